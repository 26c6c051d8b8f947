"""The store: schema and migrations, pseudonymous keys, usage writer, retention, privacy."""

from __future__ import annotations

import asyncio
import os
import stat
import time
from pathlib import Path

import aiosqlite
import pytest

from bot.stats import build_report, group_unanswered, report_text
from bot.storage import MIGRATIONS, SCHEMA_VERSION, QuestionRecord, Store, StoreError, migrate
from bot.usage import UsageLog


def question(text: str, outcome: str = "none", brief: str | None = None,
             kind: str = "text", at: float | None = None) -> QuestionRecord:
    return QuestionRecord(at or time.time(), "k", "private", kind, text, outcome, brief, None, 1.0)


async def test_schema_version_wal_and_secret(store: Store, tmp_path: Path) -> None:
    async with store.conn.execute("PRAGMA user_version") as c:
        assert (await c.fetchone())[0] == SCHEMA_VERSION  # type: ignore[index]
    async with store.conn.execute("PRAGMA journal_mode") as c:
        assert (await c.fetchone())[0] == "wal"  # type: ignore[index]
    key = store.user_key(1001)
    assert key == store.user_key(1001) != store.user_key(1002)
    assert "1001" not in key and len(key) == 32
    other = await Store.open(tmp_path / "other.db")
    assert other.user_key(1001) != key  # per-installation secret
    await other.close()


async def test_upgrade_from_previous_schema_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path) as conn:
        await migrate(conn, target=1)
        await conn.execute("INSERT INTO meta VALUES ('user_key_secret', ?)", ("ab" * 32,))
        await conn.execute("INSERT INTO questions (at, user_key, chat_type, kind, text, "
                           "outcome) VALUES (1.0, 'u', 'private', 'text', 'old q', 'none')")
        await conn.commit()
    store = await Store.open(path)
    try:
        assert [q.text for q in await store.questions()] == ["old q"]
        assert await store.add_subscription(1, "")
        async with store.conn.execute("PRAGMA user_version") as c:
            assert (await c.fetchone())[0] == len(MIGRATIONS)  # type: ignore[index]
    finally:
        await store.close()


async def test_unusable_database_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreError, match=r"cannot create folder .* for database"):
        await Store.open(tmp_path / "a-file" / "x.db")
    with pytest.raises(StoreError, match=r"cannot open database .*: it is a folder"):
        await Store.open(tmp_path)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as info:
        await Store.open(garbage)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_database(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    await (await Store.open(path)).close()
    path.chmod(stat.S_IRUSR)
    with pytest.raises(StoreError):
        s = await Store.open(path)
        await s.insert_usage([question("x")], [])


async def test_a_failed_read_is_one_clear_error_and_the_store_goes_on(store: Store) -> None:
    await store.add_subscription(1, "")
    await store.conn.execute("ALTER TABLE subscriptions RENAME TO away")  # unreadable
    with pytest.raises(StoreError, match=rf"^cannot read database {store.path}: no such table: "
                       "subscriptions$"):
        await store.subscriptions(1)
    await store.conn.execute("ALTER TABLE away RENAME TO subscriptions")
    assert await store.subscriptions(1) == [""]


async def test_writer_drains_everything_on_close(store: Store) -> None:
    usage = UsageLog(store, retention_days=180)
    usage.start()
    for i in range(2500):
        usage.record_question(user_id=i, chat_type="private", kind="text", text=f"q{i}",
                              outcome="none", brief_id=None, score=None, elapsed_ms=0.5)
        usage.record_command(i, "private", "help")
    await usage.close()
    assert len(await store.questions()) == 2500
    assert (await store.command_counts())["help"] == 2500
    assert usage.dropped_total == 0


async def test_usage_log_keys_users_as_the_store_does(store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.usage.KEYS", 3)
    usage = UsageLog(store, retention_days=180)
    for uid in (1, 2, 1, 3, 4, 5, 1):  # remembered keys, and past the limit
        assert usage.user_key(uid) == store.user_key(uid)
    usage.record_question(user_id=7, chat_type="private", kind="text", text="q", outcome="none",
                          brief_id=None, score=None, elapsed_ms=0.5)
    usage.record_command(7, "private", "help")
    await usage.close()
    assert [q.user_key for q in await store.questions()] == [store.user_key(7)]


async def test_full_queue_counts_dropped(store: Store) -> None:
    usage = UsageLog(store, retention_days=180, queue_size=10)
    for i in range(25):  # writer not started: the queue fills
        usage.record_command(i, "private", "start")
    assert usage.dropped_total == 15
    await usage.close()
    assert (await store.command_counts())["start"] == 10
    assert await store.dropped() == 15
    report = build_report(await store.questions(), await store.command_counts(),
                          await store.dropped())
    assert report["dropped_records"] == 15


async def test_concurrent_writers(store: Store) -> None:
    usages = [UsageLog(store, 180) for _ in range(4)]
    for u in usages:
        u.start()

    async def produce(u: UsageLog, base: int) -> None:
        for i in range(300):
            u.record_question(user_id=base + i, chat_type="group", kind="text", text="x",
                              outcome="answer", brief_id="b", score=1.0, elapsed_ms=1.0)
            if i % 50 == 0:
                await asyncio.sleep(0)

    await asyncio.gather(*(produce(u, n * 1000) for n, u in enumerate(usages)),
                         store.add_subscription(5, "energy"))
    await asyncio.gather(*(u.close() for u in usages))
    assert len(await store.questions()) == 1200


async def test_retention_purge(store: Store) -> None:
    old = time.time() - 200 * 86400
    await store.insert_usage([question("old", at=old), question("new")], [])
    assert await store.purge_older_than(180) == 1
    assert [q.text for q in await store.questions()] == ["new"]


async def test_forget_user_removes_their_rows_only(store: Store) -> None:
    usage = UsageLog(store, 180)
    usage.record_question(user_id=1, chat_type="private", kind="text", text="mine",
                          outcome="none", brief_id=None, score=None, elapsed_ms=1)
    usage.record_question(user_id=2, chat_type="private", kind="text", text="theirs",
                          outcome="none", brief_id=None, score=None, elapsed_ms=1)
    await usage.close()
    await store.add_subscription(1, "")
    await store.add_subscription(2, "")
    assert await store.forget_user(1) == 2
    assert [q.text for q in await store.questions()] == ["theirs"]
    assert await store.subscriptions(1) == [] and await store.subscriptions(2) == [""]


def test_unanswered_grouping() -> None:
    groups = group_unanswered([question("beshbarmak recipe", brief="trade-investment"),
                               question("Recipe for beshbarmak?"),
                               question("beshbarmak recipes"),
                               question("weather in almaty")])
    assert [(g.count, g.closest_brief()) for g in groups] == [(3, "trade-investment"),
                                                                (1, None)]


def test_report_counts_and_text() -> None:
    records = [question("csto", "answer", "csto-sco"), question("x", "suggest", "a"),
               question("<b>bad</b>", "none"), question("opened", "answer", "csto-sco",
                                                        kind="button")]
    report = build_report(records, {"help": 2})
    assert (report["questions"], report["answered"], report["suggested"],
            report["unanswered"]) == (3, 1, 1, 1)
    assert report["top_briefs"] == [{"id": "csto-sco", "title": "csto-sco", "count": 2}]
    assert report["unanswered_questions"] == [{"text": "<b>bad</b>", "count": 1,
                                               "closest_brief": None, "closest_title": None}]
    assert "&lt;b&gt;bad&lt;/b&gt;" in report_text(report, html=True)
    assert "<b>bad</b>" in report_text(report)
