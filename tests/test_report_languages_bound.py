"""The report reads the language of only the most asked distinct questions as the bot reads
them; the rarer ones are counted by their letters, so 100,000 distinct questions of words the
report never saw cost no stemming each (bench/report.py times it)."""

from __future__ import annotations

import random
import string

import pytest

import bot.editorial as editorial
from bot.editorial import Editorial, period_totals
from bot.storage import QuestionRecord


def asked(text: str, n: int = 1) -> list[QuestionRecord]:
    return [QuestionRecord(0, "u", "private", "text", text, "none", None, None, None)] * n


def test_only_the_most_asked_distinct_questions_are_read_for_their_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = editorial.question_language

    def counting(text: str) -> str | None:
        read.append(text)
        return real(text)

    monkeypatch.setattr(editorial, "question_language", counting)
    monkeypatch.setattr(editorial, "MAX_JUDGED", 50)
    rng = random.Random(5)
    records = asked("what is the weather today", 9) + asked("какая сегодня погода", 7)
    for _ in range(500):
        records += asked(" ".join("".join(rng.choice(string.ascii_lowercase)
                                          for _ in range(8)) for _ in range(4)))
    totals = period_totals(records, Editorial({}))
    assert len(set(read)) <= 50
    assert {"what is the weather today", "какая сегодня погода"} <= set(read)
    languages = totals["languages"]
    assert isinstance(languages, dict)
    assert languages["ru"]["asked"] == 7
    assert languages["en"]["asked"] == 509


def test_a_report_stopped_while_judging_ends_there() -> None:
    from bot.stats import ReportCancelled, build_report

    judged: list[str] = []

    def stop() -> bool:  # SIGTERM arrives while the first group is being judged
        return bool(judged)

    def judge(text: str) -> str:
        judged.append(text)
        return "gap"

    records = asked("beshbarmak recipe", 3) + asked("weather in the steppe", 2)
    with pytest.raises(ReportCancelled):
        build_report(records, {}, stop=stop, editorial=Editorial({}, judge=judge),
                     previous=records)
    assert len(judged) == 1  # the second group is never judged
