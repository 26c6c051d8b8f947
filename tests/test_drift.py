"""A decision that does not drift as the library grows: briefs on something else (made-up
words that share nothing with any question) change no outcome on the labelled dev questions
beyond a small noise level, and no number of them turns chatter into an answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.chatter import chatter
from bot.evaluation import read_split, unrelated_briefs
from bot.library import Library, load_library
from bot.matching import Matcher, MatchResult
from tests.conftest import FIXTURE_BRIEFS

ROOT = Path(__file__).resolve().parent.parent
LIBRARY: Library = load_library(FIXTURE_BRIEFS)[0]
DEV = read_split(ROOT / "tests" / "data" / "dev")
# Questions of the dev split whose outcome may change when 20 unrelated briefs join the
# library (docs/matching.md, "Library growth"): 0 and 1 of 1,522 (two seeds) on 2026-12-07.
NOISE = 0.005


def grown(count: int, seed: int = 0) -> Matcher:
    return Matcher([*LIBRARY.briefs, *unrelated_briefs(count, seed)], topic=LIBRARY.topic)


def outcome(result: MatchResult) -> tuple[str, tuple[str, ...]]:
    """What the reader is shown: an answer's brief, the did-you-mean briefs, or nothing."""
    if result.outcome == "answer" and result.best is not None:
        return "answer", (result.best.brief.id,)
    return result.outcome, tuple(m.brief.id for m in result.suggestions)


@pytest.mark.parametrize("seed", [0, 1])
def test_twenty_unrelated_briefs_change_no_outcome_beyond_the_noise(seed: int) -> None:
    bigger = grown(20, seed)
    changed = [q.text for q in DEV
               if outcome(LIBRARY.matcher.match(q.text)) != outcome(bigger.match(q.text))]
    assert len(changed) <= NOISE * len(DEV), changed


@pytest.mark.parametrize("count", [0, 20, 100, 400])
def test_no_number_of_unrelated_briefs_answers_chatter(count: int) -> None:
    matcher = grown(count)
    greetings = [("en", "hello"), ("en", "thanks a lot"), ("ru", "привет"),
                 ("ru", "спасибо большое"), ("kk", "сәлеметсіз бе"), ("kk", "рақмет")]
    answered = [(lang, text) for lang, text in (*greetings, *chatter())
                if matcher.match(text).outcome == "answer"]
    assert answered == []


def test_unrelated_briefs_are_never_answered_or_offered() -> None:
    """The generator's promise, which the tests above rest on: nothing a question asks."""
    matcher = grown(20)
    ids = {b.id for b in unrelated_briefs(20)}
    reached = [q.text for q in DEV if set(outcome(matcher.match(q.text))[1]) & ids]
    assert reached == []
