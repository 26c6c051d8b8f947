"""Flood control on alerts is visible: a 429 pauses every alert and says so in one log line
(not one per send it holds), and the alerts go out after the pause, once each."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI
from tests.test_alert_faults_e2e import store_of
from tests.test_alerts_e2e import alerts_to, new_brief


async def test_a_429_on_alerts_is_one_log_line_and_loses_nothing(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    users = list(range(7101, 7109))
    async with running_bot(bot_env, tmp_path) as app:
        for uid in users:
            await store_of(app).add_subscription(uid, "")
        fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 1", times=2,
                      retry_after=1)
        new_brief(Path(bot_env["BRIEFBOT_BRIEFS_DIR"]), "paused-news")
        await eventually(lambda: all(alerts_to(fake_api, u, "Fresh paused-news") == 1
                                     for u in users), timeout=30)
    lines = [r for r in caplog.records if "flood control" in r.getMessage()]
    assert len(lines) == 2, [r.getMessage() for r in lines]  # two 429s, each its own pause
    assert "paused for 1 s" in lines[0].getMessage()
