"""validate's chatter check: everyday chatter and assistant requests (bot/lang/chatter/) must
get no brief as an answer; each one that does is a problem of the brief that takes it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from .briefs import Brief, BriefError
from .locate import Locator
from .matching import Matcher

CHATTER_DIR = Path(__file__).parent / "lang" / "chatter"


@cache
def chatter(folder: Path = CHATTER_DIR) -> tuple[tuple[str, str], ...]:
    """(language, message) for every line of every `<lang>.txt` in the folder, comments and
    blank lines left out."""
    lines = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            text = line.strip()
            if text and not text.startswith("#"):
                lines.append((path.stem, text))
    return tuple(lines)


def _draws(make: Callable[[Sequence[Brief]], Matcher], briefs: Sequence[Brief], index: int,
           text: str) -> tuple[str, int] | None:
    """The brief's keyword, example or tag (field, index) without which `text` no longer gets
    the brief at `index` as its answer; None when no single one does."""
    brief = briefs[index]
    for field in ("keywords", "examples", "tags"):
        values: tuple[str, ...] = getattr(brief, field)
        for i in range(len(values)):
            changed: dict[str, Any] = {field: values[:i] + values[i + 1:]}
            if field == "examples":
                changed["example_lines"] = brief.example_lines[:i] + brief.example_lines[i + 1:]
            trial = [*briefs[:index], replace(brief, **changed), *briefs[index + 1:]]
            result = make(trial).match(text)
            best = result.best if result.outcome == "answer" else None
            if best is None or best.brief.id != brief.id:
                return field, i
    return None


def _fix_line(brief: Brief, drawn: tuple[str, int] | None) -> tuple[int | None, str | None]:
    """The file line and field an editor can change (none when no single entry draws the
    message: its words come from the text, or from several entries together)."""
    if drawn is None:
        return None, None
    if brief.path is None:
        return None, f"{drawn[0]}[{drawn[1]}]"
    field, i = drawn
    try:
        line = Locator(brief.path.read_text("utf-8")).line(f"{field}[{i}]")
    except (OSError, UnicodeDecodeError):
        line = None
    return line, f"{field}[{i}]"


def check_chatter(briefs: Sequence[Brief],
                  make: Callable[[Sequence[Brief]], Matcher] = Matcher,
                  messages: Sequence[tuple[str, str]] | None = None) -> list[BriefError]:
    """One problem for each chatter message a brief now answers, in that brief's file, at the
    keyword, example or tag that draws it when one alone does. `make` builds the matcher
    (once, and again with one entry left out for each message a brief takes)."""
    matcher = make(briefs)
    problems = []
    for lang, text in chatter() if messages is None else messages:
        result = matcher.match(text)
        best = result.best if result.outcome == "answer" else None
        if best is None:
            continue
        index = next(i for i, b in enumerate(briefs) if b.id == best.brief.id)
        line, field = _fix_line(best.brief, _draws(make, briefs, index, text))
        words = ", ".join(best.terms) or "?"
        cause = "" if field else "; no single keyword, example or tag draws it"
        problems.append(BriefError(
            best.brief.path or Path(f"{best.brief.id}.yaml"), line, field,
            f'everyday chatter ({lang}) "{text}" now gets this brief as an answer (words '
            f"matched: {words}{cause})",
            # several messages drawn by one entry are one line (bot/problems.py)
            cause=("everyday chatter messages now answered with this brief"
                   + (f", drawn by {field}" if field else cause)),
            detail=f'({lang}) "{text}" (words matched: {words})'))
    return problems
