"""The editor's safety net: every example question of every brief must land on its brief."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .briefs import Brief, BriefError
from .matching import Matcher, MatchResult
from .topic import EMPTY_TOPIC, Topic


def _where(result: MatchResult) -> str:
    if result.outcome == "answer" and result.best is not None:
        return f"now goes to {result.best.brief.id}"
    if result.outcome == "suggest":
        ids = ", ".join(m.brief.id for m in result.suggestions)
        return f"now gets a did-you-mean ({ids})"
    return "now gets no answer"


def check_examples(briefs: Sequence[Brief], matcher: Matcher | None = None,
                   topic: Topic = EMPTY_TOPIC) -> list[BriefError]:
    """One problem for each example that is not answered with its own brief, and for each
    example question of the topic file (shown to readers) that gets no brief."""
    matcher = matcher or Matcher(briefs, topic=topic)
    problems = []
    for lang, questions in topic.examples.items():
        for question in questions:
            result = matcher.match(question)
            if briefs and result.outcome == "none":
                problems.append(BriefError(topic.path or Path("_topic.yaml"), None,
                                           f"examples.{lang}", f'"{question}" {_where(result)}'))
    for brief in briefs:
        for i, example in enumerate(brief.examples):
            result = matcher.match(example)
            if result.outcome == "answer" and result.best and result.best.brief.id == brief.id:
                continue
            line = brief.example_lines[i] if i < len(brief.example_lines) else 0
            where = _where(result)
            problems.append(BriefError(brief.path or Path(f"{brief.id}.yaml"), line or None,
                                       "examples", f'"{example}" {where}',
                                       cause=f"example questions that are not answered with "
                                             f"this brief: each {where}",
                                       detail=f'"{example}"'))
    return problems
