"""The editors' report stays bounded however many distinct questions were logged: only the
most asked distinct questions are read and compared, the rest are counted (no timing here;
bench/report.py measures the time)."""

from __future__ import annotations

import dataclasses
import logging
import random
import string
import time
from pathlib import Path

import pytest
from rapidfuzz import process

import bot.stats as stats
from bot.stats import MAX_GROUPED, ReportCancelled, build_report, group_counted, report_text
from bot.storage import QuestionRecord
from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message


def asked(text: str, n: int = 1) -> list[QuestionRecord]:
    return [QuestionRecord(0, "u", "private", "text", text, "none", None, None, None)] * n


def test_only_the_most_asked_distinct_questions_are_grouped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    compared: list[int] = []
    real_cdist = process.cdist

    def counting_cdist(queries, choices, **kwargs):  # type: ignore[no-untyped-def]
        compared.append(len(choices))
        return real_cdist(queries, choices, **kwargs)

    monkeypatch.setattr(stats.process, "cdist", counting_cdist)
    rng = random.Random(3)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(3000)]
    records = [r for w in words for r in asked(f"{w} {w[::-1]}")]  # 3,000 unlike questions
    records += asked("beshbarmak recipe", 4) + asked("recipe for beshbarmak?", 3)
    groups, left_out = group_counted(records, cap=100)
    assert max(compared) <= 100  # never more keys compared than the cap
    # 3,002 distinct texts, the two beshbarmak ones one key: 3,001 keys, 100 grouped
    assert len(groups) == 100 and left_out == 3001 - 100
    assert (groups[0].text, groups[0].count) == ("beshbarmak recipe", 7)  # the most asked


def test_the_report_says_how_many_were_not_grouped() -> None:
    records = [r for i in range(MAX_GROUPED * 6) for r in asked(f"zzz{i} qqq{i} question")]
    report = build_report(records, {})
    assert report["unanswered"] == MAX_GROUPED * 6
    assert report["unanswered_not_grouped"] == MAX_GROUPED * 5
    assert f"… and {MAX_GROUPED * 5} rarer distinct questions" in report_text(report)
    few = build_report(asked("beshbarmak recipe", 2), {})
    assert few["unanswered_not_grouped"] == 0
    assert "rarer distinct" not in report_text(few)


def test_a_report_is_abandoned_when_asked_to_stop() -> None:
    records = [r for i in range(50) for r in asked(f"zzz{i} qqq{i} question")]
    with pytest.raises(ReportCancelled):
        build_report(records, {}, stop=lambda: True)
    assert build_report(records, {}, stop=lambda: False)["unanswered"] == 50


async def test_a_stats_report_is_abandoned_when_the_bot_stops(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(bot_env, tmp_path) as app:
        state = app.bot_data  # type: ignore[attr-defined]
        now = [dataclasses.replace(r, at=time.time()) for r in asked("beshbarmak recipe", 3)]
        await state.store.insert_usage(now, [])
        state.stopping.set()  # as SIGTERM does before the bot stops taking updates
        fake_api.push("message", text_message("/stats", uid=4242))
        await eventually(lambda: "report was abandoned" in caplog.text)
    assert fake_api.texts(4242) == []  # neither a report nor an apology
