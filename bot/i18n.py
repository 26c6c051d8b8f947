"""Interface text in English, Russian and Kazakh, from the gettext catalogs in bot/locale/.

Strings are written in English in the code as `_(lang, "text")`, `ngettext(lang, "one", "many",
n)` or, where the language is known only later, `N_("text")`; `pybabel` extracts them
(docs/development.md). The `.po` files are compiled in memory the first time a language is
used, so no `.mo` file is built or committed.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "ru", "kk")
DEFAULT = "en"
NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}  # each in its own language
DOMAIN = "briefbot"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalog_path(lang: str) -> Path:
    """The .po file of a language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of a language (English, the source language, needs none).
    Fuzzy entries are left out, so an unchecked translation falls back to English."""
    if lang not in LANGUAGES or lang == DEFAULT:
        return gettext.NullTranslations()
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(lang: str, message: str) -> str:
    """`message` in `lang`."""
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The form for `n` in `lang` (Russian has three)."""
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with `_(lang, message)`."""
    return message
