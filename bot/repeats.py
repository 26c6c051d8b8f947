"""A keyword listed twice in one brief (the same once normalized: case, 'ё', punctuation):
a validate warning at the repeat's line, so the list stays what the editor meant. Keywords
are one list for every language, so a name spelt alike in Russian and Kazakh is listed once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .briefs import Brief, BriefError
from .locate import Locator
from .text import normalize

_ONCE = ("case, punctuation and 'ё'/'е' do not tell keywords apart, and one keyword serves "
         "every language")


def repeated_keywords(briefs: Iterable[Brief]) -> list[BriefError]:
    """A warning for each keyword that repeats an earlier one of the same brief."""
    warnings = []
    for brief in briefs:
        seen: dict[str, int] = {}
        where: Locator | None = None
        for i, keyword in enumerate(brief.keywords):
            key = normalize(keyword)
            if key not in seen:
                seen[key] = i
                continue
            if where is None:
                where = Locator(_read(brief.path))
            first = brief.keywords[seen[key]]
            warnings.append(BriefError(
                brief.path or Path(f"{brief.id}.yaml"), where.line(f"keywords[{i}]"),
                "keywords", f"{keyword!r} repeats {first!r} (keyword {seen[key] + 1}): "
                f"list each once ({_ONCE})", warning=True))
    return warnings


def _read(path: Path | None) -> str:
    try:
        return path.read_text("utf-8") if path else ""
    except (OSError, UnicodeDecodeError):
        return ""
