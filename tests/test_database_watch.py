"""A database file deleted (or replaced) under the running bot is noticed, reported loudly,
and a deleted one is written back so no subscription is lost."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.storage import Store
from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message

ADMIN = 4242


def subscriptions_in(db: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT chat_id, tag FROM subscriptions")]
    finally:
        conn.close()


async def test_a_deleted_database_is_written_back(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("bot.telegram.app.DATABASE_CHECK_SECONDS", 0.2)
    db = Path(bot_env["BRIEFBOT_DB"])
    async with running_bot(bot_env, tmp_path) as app:
        fake_api.push("message", text_message("/subscribe", message_id=1))
        await eventually(lambda: bool(fake_api.texts(1001)))
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
        await eventually(lambda: any("was deleted" in t for t in fake_api.texts(ADMIN)))
        assert await asyncio.to_thread(db.exists)
        fake_api.push("message", text_message("/subscribe energy", uid=1002, message_id=2))
        await eventually(lambda: bool(fake_api.texts(1002)))
        store = app.bot_data.store
        assert store is not None and await store.subscriptions(1002) == ["energy"]
    assert sorted(subscriptions_in(db)) == [(1001, ""), (1002, "energy")]  # after a restart
    loud = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert loud and "WAS DELETED" in loud[0].getMessage()


async def test_a_replaced_database_is_reported_not_overwritten(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.telegram.app.DATABASE_CHECK_SECONDS", 0.2)
    db = Path(bot_env["BRIEFBOT_DB"])
    async with running_bot(bot_env, tmp_path):
        await eventually(lambda: db.exists())
        other = tmp_path / "backup.db"
        await (await Store.open(other)).close()
        other.replace(db)  # an operator restores a backup under the running bot
        await eventually(lambda: any("WAS REPLACED" in t for t in fake_api.texts(ADMIN)))
    assert subscriptions_in(db) == []  # the file put there was left alone
