"""The gettext catalogs: every interface string extracted, translated into Russian and Kazakh,
none fuzzy or empty, placeholders and HTML kept; and the strings as the bot uses them."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bot import replies
from bot.i18n import LANGUAGES, LOCALE_DIR, _, catalog_path, ngettext
from bot.library import Library, load_library
from tests.conftest import FIXTURE_BRIEFS, ROOT

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{\w*\}")
TAG = re.compile(r"</?\w+>")
KEYWORDS = {"_": (1,), "ngettext": (1, 2), "N_": (0,)}  # message arguments, 0-based


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def msgids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The template `pybabel extract` makes from the code now, run as docs/development.md says."""
    out = tmp_path_factory.mktemp("pot") / "briefbot.pot"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "pyproject.toml",
                                    "-o", str(out), "bot"])
    return read(out)


def test_extraction_finds_the_interface(extracted: Catalog) -> None:
    ids = msgids(extracted)
    assert len(ids) > 80
    assert {"Sources", "Automatic", "🔕 Unsubscribe", "Every brief, as buttons"} <= ids


def test_committed_template_is_up_to_date(extracted: Catalog) -> None:
    assert msgids(read(LOCALE_DIR / "briefbot.pot")) == msgids(extracted)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_translates_every_string(lang: str, extracted: Catalog) -> None:
    catalog = read(catalog_path(lang), lang)
    assert msgids(catalog) == msgids(extracted), "run pybabel update (docs/development.md)"
    assert not catalog.obsolete
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string
        assert "fuzzy" not in message.flags, message.id
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{lang}: untranslated {message.id!r}"
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(source)), string
            assert sorted(TAG.findall(string)) == sorted(TAG.findall(source)), string
            assert string != source, f"{lang}: {source!r} is left in English"


def test_every_marked_string_is_one_pybabel_sees(extracted: Catalog) -> None:
    """A message in an f-string, or glued from pieces, is invisible to extraction: each
    message argument is a literal that the template holds, or a name (of an `N_` constant)."""
    ids = msgids(extracted)
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS):
                continue
            for index in KEYWORDS[node.func.id]:
                arg = node.args[index]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if node.func.id == "N_" or not isinstance(arg, ast.Name):
                    assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), \
                        f"{where}: not a string literal"
                if isinstance(arg, ast.Constant) and index == KEYWORDS[node.func.id][0]:
                    assert arg.value in ids, f"{where}: not extracted"


def test_translations_as_the_bot_uses_them() -> None:
    assert _("ru", "Sources") == "Источники" and _("kk", "Sources") == "Дереккөздер"
    assert _("en", "Sources") == "Sources" and _("xx", "Sources") == "Sources"
    one, many = "📚 <b>{count} brief</b>, newest first. Tap one to read it:", \
        "📚 <b>{count} briefs</b>, newest first. Tap one to read it:"
    forms = {n: ngettext("ru", one, many, n).split("</b>")[0] for n in (1, 3, 5, 11, 21, 22)}
    assert forms == {1: "📚 <b>{count} справка", 3: "📚 <b>{count} справки",
                     5: "📚 <b>{count} справок", 11: "📚 <b>{count} справок",
                     21: "📚 <b>{count} справка", 22: "📚 <b>{count} справки"}
    assert ngettext("en", one, many, 1) == one and ngettext("en", one, many, 2) == many


@pytest.mark.parametrize("lang", LANGUAGES)
def test_examples_offered_to_readers_get_a_brief(lang: str) -> None:
    """The example questions /start and /help show must work, in each language."""
    library: Library = load_library(FIXTURE_BRIEFS)[0]
    assert library.match(replies.example(library, lang)).outcome == "answer"
    text = replies.help_reply("brief_test_bot", 180, lang, library).messages[0]
    shown = re.findall(r"• <i>(.*?)</i>", text)
    assert len(shown) == 3
    for question in shown:
        assert library.match(html.unescape(question)).outcome == "answer", question


def test_help_has_no_stray_line_breaks_and_no_brief_ids() -> None:
    for lang in LANGUAGES:
        text = replies.help_reply("brief_test_bot", 180, lang).messages[0]
        assert "/brief" not in text and "ID" not in text.replace("Telegram ID", "")
        for line in text.splitlines():  # every line is a heading, an item or a whole paragraph
            assert not line or line.startswith(("<b>", "•", "/")) or line.endswith((".", ":")), \
                (lang, line)
