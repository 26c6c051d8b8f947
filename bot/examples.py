"""The editor's safety net: every example question of every brief must land on its brief."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .briefs import Brief, BriefError
from .matching import Matcher, MatchResult


def _where(result: MatchResult) -> str:
    if result.outcome == "answer" and result.best is not None:
        return f"now goes to {result.best.brief.id}"
    if result.outcome == "suggest":
        ids = ", ".join(m.brief.id for m in result.suggestions)
        return f"now gets a did-you-mean ({ids})"
    return "now gets no answer"


def check_examples(briefs: Sequence[Brief], matcher: Matcher | None = None) -> list[BriefError]:
    """One problem for each example that is not answered with its own brief."""
    matcher = matcher or Matcher(briefs)
    problems = []
    for brief in briefs:
        for i, example in enumerate(brief.examples):
            result = matcher.match(example)
            if result.outcome == "answer" and result.best and result.best.brief.id == brief.id:
                continue
            line = brief.example_lines[i] if i < len(brief.example_lines) else 0
            problems.append(BriefError(brief.path or Path(f"{brief.id}.yaml"), line or None,
                                       "examples", f'"{example}" {_where(result)}'))
    return problems
