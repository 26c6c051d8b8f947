"""Usage logging, /forget and /stats through the Bot API stand-in, and `briefbot stats`."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message, user

ADMIN = 4242


async def test_everything_asked_is_logged_and_stats_for_admins(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    message = {"message_id": 7, "date": int(time.time()),
               "chat": {"id": 1001, "type": "private"}, "from": BOT_USER, "text": "x"}
    async with running_bot(bot_env, tmp_path) as app:
        for i, q in enumerate(["csto", "beshbarmak recipe", "Recipe for beshbarmak?",
                               "sanctions ukraine"]):
            fake_api.push("message", text_message(q, message_id=i + 1))
        fake_api.push("message", text_message("/start energy-partnership", message_id=9))
        fake_api.push("message", text_message("/help", message_id=10))
        fake_api.push("callback_query", {"id": "c", "from": user(), "chat_instance": "i",
                                         "data": "b:csto-sco", "message": message})
        fake_api.push("inline_query", {"id": "iq", "from": user(), "query": "odkb",
                                       "offset": ""})
        await eventually(lambda: len(fake_api.calls_to("answerInlineQuery")) == 1
                         and len(fake_api.texts(1001)) >= 7)
        fake_api.push("message", text_message("/stats", message_id=11))
        fake_api.push("message", text_message("/stats", uid=ADMIN, message_id=12))
        await eventually(lambda: len(fake_api.texts(ADMIN)) == 1
                         and any("admins" in t for t in fake_api.texts(1001)))
        store = app.bot_data.store
        assert store is not None
        questions = await store.questions()
    stats_text = fake_api.texts(ADMIN)[0]
    assert "Questions: 5 (answered 2, suggested 1, unanswered 2)" in stats_text
    assert "beshbarmak" in stats_text
    kinds = sorted(q.kind for q in questions)
    assert kinds == ["button", "deeplink", "inline", "text", "text", "text", "text"]
    assert all(q.user_key != "1001" and len(q.user_key) == 32 for q in questions)
    assert all(q.elapsed_ms is not None and q.elapsed_ms >= 0 for q in questions)

    monkeypatch.chdir(tmp_path)
    for key, value in bot_env.items():
        monkeypatch.setenv(key, value)
    assert await asyncio.to_thread(main, ["stats", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["questions"], report["answered"], report["suggested"],
            report["unanswered"]) == (5, 2, 1, 2)
    assert {"id": "csto-sco", "title": "Kazakhstan in the CSTO and the SCO", "count": 3} \
        in report["top_briefs"]
    assert report["chatter"][0]["count"] == 2  # beshbarmak: chatter, apart from the gaps
    assert report["commands"]["help"] == 1
    assert await asyncio.to_thread(main, ["stats", "--since", "2999-01-01"]) == 0
    assert "Questions: 0" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["stats", "--since", "yesterday"]) == 2


async def test_forget_deletes_questions_and_subscriptions(fake_api: FakeBotAPI,
                                                          bot_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        store = app.bot_data.store
        assert store is not None
        await store.add_subscription(1001, "")
        fake_api.push("message", text_message("csto", message_id=1))
        fake_api.push("message", text_message("energy", uid=2002, message_id=2))
        await eventually(lambda: len(fake_api.texts(1001)) == 1 and len(fake_api.texts(2002)))
        fake_api.push("message", text_message("/forget", message_id=3))
        await eventually(lambda: len(fake_api.texts(1001)) == 2)
        await app.bot_data.usage.drain()  # /forget no longer waits for the others' records
        remaining = await store.questions()
        subs = await store.subscriptions(1001)
    assert fake_api.texts(1001)[1].startswith("Done: I deleted everything")
    assert [q.text for q in remaining] == ["energy"]
    assert subs == []


def test_stats_without_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "none.db"))
    assert main(["stats"]) == 2
    assert "no database" in capsys.readouterr().err


def test_unwritable_database_stops_the_bot_with_one_line(fake_api: FakeBotAPI,
                                                         bot_env: dict[str, str],
                                                         tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "file").write_text("x")
    env = {**bot_env, "BRIEFBOT_DB": str(tmp_path / "file" / "bot.db"),
           "PATH": os.environ.get("PATH", "")}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("briefbot: cannot create folder ")
    assert proc.stderr.count("\n") == 1 and proc.stderr.endswith("(set BRIEFBOT_DB)\n")
