"""The database and its key file under faults: a key file opened safely (no link, FIFO or huge
file), a swapped key refused, a damaged file refused at start, another process's lock never on
the reply path, and a persistent write failure reported once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.storage as storage
from bot.storage import QuestionRecord, Store, StoreError
from bot.usage import UsageLog
from bot.userkey import key_file
from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message
from tests.test_run_process import start


def question(n: int, text: str = "a question") -> QuestionRecord:
    return QuestionRecord(float(n), "u", "private", "text", text, "none", None, None, None)


@pytest.fixture
def short_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.3)


def take_write_lock(conn: sqlite3.Connection, deadline: float = 60.0) -> None:
    """BEGIN IMMEDIATE on the other connection, however busy the bot is just then (SQLite may
    refuse at once, without waiting, while the bot opens or checks the file). Called in a
    thread: waiting on the event loop would stop the bot from ending the very write it waits
    for."""
    give_up = time.monotonic() + deadline
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > give_up:
                raise
            time.sleep(0.05)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection to the database; a test takes its write lock with
    `take_write_lock` when it needs the database locked."""
    # it waits as long as it must for the bot's own short writes to end, however slow the
    # machine: the test's lock is taken when the test says, never refused by bad timing
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None, timeout=60,
                            check_same_thread=False)  # locked from a thread (take_write_lock)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("CREATE TABLE IF NOT EXISTS other (x)")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


# --- the key file ----------------------------------------------------------------------------
async def test_a_symlinked_key_file_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("00" * 32 + "\n")
    target.chmod(0o644)
    key_file(tmp_path / "bot.db").symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        await Store.open(tmp_path / "bot.db")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # never chmod-ed through the link


async def test_a_fifo_or_a_huge_file_is_refused_without_hanging(tmp_path: Path) -> None:
    path = key_file(tmp_path / "bot.db")
    os.mkfifo(path)
    with pytest.raises(StoreError, match="not a regular file"):
        await asyncio.wait_for(Store.open(tmp_path / "bot.db"), 10)
    path.unlink()
    path.write_bytes(b"0" * 1_000_000)
    with pytest.raises(StoreError, match="not a key"):
        await Store.open(tmp_path / "bot.db")


async def test_permissions_are_fixed_on_the_key_file_itself(tmp_path: Path) -> None:
    await (await Store.open(tmp_path / "bot.db")).close()  # creates the key file
    path = key_file(tmp_path / "bot.db")
    path.chmod(0o644)
    store = await Store.open(tmp_path / "bot.db")
    await store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_swapped_key_is_refused_unless_the_operator_says_new_key(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "bot.db"
    store = await Store.open(db)
    await store.insert_usage([question(1)], [])
    await store.close()
    key_file(db).write_text("ab" * 32 + "\n")  # another valid key
    with pytest.raises(StoreError, match="--new-key") as refused:
        await Store.open(db)
    assert "\n" not in str(refused.value)
    store = await Store.open(db, new_key=True)
    await store.close()
    assert "--new-key" in caplog.text
    store = await Store.open(db)  # the new key is the database's key from now on
    await store.close()
    with pytest.raises(StoreError, match="BRIEFBOT_PSEUDONYM_KEY"):
        await Store.open(db, key="some-other-secret-of-enough-length")


# --- the database file -----------------------------------------------------------------------
async def test_damaged_data_pages_are_reported_at_start_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = await Store.open(db)
    await store.insert_usage([question(n, "x" * 500) for n in range(2000)], [])
    await store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    await store.close()
    size = db.stat().st_size
    with db.open("r+b") as handle:  # scribble over pages in the middle of the file
        handle.seek(size // 2)
        handle.write(os.urandom(4096 * 4))
    with pytest.raises(StoreError, match="damaged") as refused:
        await Store.open(db)
    assert "\n" not in str(refused.value) and "restore it from a backup" in str(refused.value)


# --- another process holding the lock ----------------------------------------------------------
async def test_reads_do_not_wait_behind_a_write_waiting_for_the_lock(
        tmp_path: Path, locked: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    # the write waits until the lock is let go (here, only after the read): the read
    # finishing first is then a matter of order, not of how fast this machine is
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 60.0)
    store = await Store.open(tmp_path / "bot.db")
    try:
        await store.set_language(7, "ru")
        await asyncio.to_thread(take_write_lock, locked)
        writing = asyncio.ensure_future(store.add_subscription(1))
        await asyncio.sleep(0.05)  # a head start: the write waits for the other's lock
        assert await store.chosen_language(7) == "ru"
        assert not writing.done()  # the read did not wait for it
        locked.execute("ROLLBACK")
        await asyncio.wait_for(writing, 60)
        assert await store.subscriptions(1) == [""]
    finally:
        await store.close()


@pytest.mark.usefixtures("short_busy")
async def test_a_write_that_outwaits_the_busy_timeout_is_a_busy_error(
        tmp_path: Path, locked: sqlite3.Connection) -> None:
    store = await Store.open(tmp_path / "bot.db")
    try:
        await asyncio.to_thread(take_write_lock, locked)  # held until the end of the test
        with pytest.raises(StoreError) as busy:
            await store.add_subscription(1)
        assert busy.value.busy and not busy.value.persistent
    finally:
        await store.close()


@pytest.mark.usefixtures("short_busy")
async def test_usage_records_wait_out_a_lock_instead_of_being_dropped(
        tmp_path: Path, locked: sqlite3.Connection) -> None:
    store = await Store.open(tmp_path / "bot.db")
    usage = UsageLog(store, 180)
    try:
        await asyncio.to_thread(take_write_lock, locked)
        usage.start()
        usage.record_question(user_id=1, chat_type="private", kind="text", text="hi",
                              outcome="none", brief_id=None, score=None, elapsed_ms=1.0)
        await asyncio.sleep(1.0)  # several busy timeouts pass
        assert usage.written == 0
        locked.execute("ROLLBACK")
        await eventually(lambda: usage.written == 1)
        assert usage.dropped == 0 and await store.dropped() == 0
    finally:
        await usage.close()
        await store.close()


@pytest.mark.usefixtures("short_busy")
async def test_a_subscription_change_says_the_database_is_busy(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        locked: sqlite3.Connection) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        await asyncio.to_thread(take_write_lock, locked)
        fake_api.push("message", text_message("/subscribe", message_id=1))
        await eventually(lambda: len(fake_api.texts(1001)) == 1)
        locked.execute("ROLLBACK")
        fake_api.push("message", text_message("/subscribe", message_id=2))
        await eventually(lambda: len(fake_api.texts(1001)) == 2)
        assert await app.bot_data.store.subscriptions(1001) == [""]  # type: ignore[attr-defined]
    busy, done = fake_api.texts(1001)
    assert busy == "The database is busy — please try again in a minute."
    assert done.startswith("✅ Subscribed")


# --- persistent write failures ---------------------------------------------------------------
async def test_a_full_database_is_reported_once_and_cleared_when_writes_work(
        tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.db")
    told: list[str] = []
    store.on_failure = told.append
    try:
        pages = (await (await store.conn.execute("PRAGMA page_count")).fetchone())[0]
        await store.conn.execute(f"PRAGMA max_page_count = {pages}")  # as a full disk
        for _ in range(3):
            with pytest.raises(StoreError) as full:
                await store.insert_usage([question(n, "x" * 2000) for n in range(200)], [])
            assert full.value.persistent
        assert len(told) == 1 and "full" in told[0] and store.failing
        await store.conn.execute("PRAGMA max_page_count = 1073741823")
        await store.insert_usage([question(1)], [])
        assert store.failing is None
    finally:
        await store.close()


async def test_admins_hear_once_that_the_database_cannot_be_written(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        store = app.bot_data.store  # type: ignore[attr-defined]
        pages = (await (await store.conn.execute("PRAGMA page_count")).fetchone())[0]
        await store.conn.execute(f"PRAGMA max_page_count = {pages}")
        for n in range(3):  # three batches, each failing
            fake_api.push("message", text_message("csto " + "x" * 3000, uid=2000 + n))
            await eventually(lambda n=n: bool(fake_api.texts(2000 + n)))  # type: ignore[misc]
            await app.bot_data.usage.drain()  # type: ignore[attr-defined]
        await eventually(lambda: bool(fake_api.texts(4242)))
        await asyncio.sleep(0.3)
        await store.conn.execute("PRAGMA max_page_count = 1073741823")
    (alarm,) = fake_api.texts(4242)
    assert "cannot write to database" in alarm and "full" in alarm


async def test_forget_and_a_follow_up_read_the_queue_not_the_database(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.db")
    usage = UsageLog(store, 180)  # not started: everything stays queued
    try:
        for user, ask in ((1, "aaaaaaaa"), (2, "bbbbbbbb"), (1, "cccccccc")):
            usage.record_question(user_id=user, chat_type="private", kind="text", text="q",
                                  outcome="answer", brief_id="b", score=1.0, elapsed_ms=1.0,
                                  ask=ask, offered=("x", "y"))
        queued = usage.queued_question("bbbbbbbb")
        assert queued is not None and queued.offered == "x,y"
        usage.forget(1)
        assert [r.ask for r in usage.queue] == ["bbbbbbbb"]  # type: ignore[union-attr]
        await usage.close()
        assert [q.ask for q in await store.questions()] == ["bbbbbbbb"]
    finally:
        await store.close()


@pytest.mark.usefixtures("short_busy")
async def test_stopping_does_not_wait_minutes_for_a_locked_database(
        tmp_path: Path, locked: sqlite3.Connection) -> None:
    store = await Store.open(tmp_path / "bot.db")
    usage = UsageLog(store, 180)
    try:
        await asyncio.to_thread(take_write_lock, locked)
        usage.start()
        for n in range(1200):  # three batches
            usage.record_command(n, "private", "help")
        await asyncio.sleep(0.5)  # the writer now waits out the lock
        await asyncio.wait_for(usage.close(), 30)  # one busy timeout, not 60 s a batch
        assert usage.written == 0 and usage.dropped == 1200
    finally:
        locked.execute("ROLLBACK")
        await store.close()


def test_briefbot_run_refuses_a_swapped_key_in_one_line_unless_new_key(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    db = Path(bot_env["BRIEFBOT_DB"])

    async def first_start() -> None:
        store = await Store.open(db)
        await store.close()

    asyncio.run(first_start())
    key_file(db).write_text("cd" * 32 + "\n")  # another valid key
    refused = start(bot_env, tmp_path)
    _, err = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert len(err.strip().splitlines()) == 1 and "--new-key" in err, err
    accepted = start(bot_env, tmp_path, "--new-key")
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setMyCommands")), 30)
        accepted.send_signal(signal.SIGTERM)
        _, err = accepted.communicate(timeout=30)
    finally:
        if accepted.poll() is None:
            accepted.kill()
            accepted.communicate(timeout=30)
    assert accepted.returncode == 0, err
    assert "--new-key: database" in err
