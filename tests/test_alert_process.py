"""The bot as an operator runs it: one process per database, prompt SIGTERM during a flood
wait, announcing through storage faults, and a wall clock stepped back."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import time_machine

from bot.dbfile import StoreError, lock_database, unlock_database
from bot.reload import BriefWatcher
from bot.storage import Store
from tests.conftest import ROOT, eventually, running_bot
from tests.fake_api import FakeBotAPI
from tests.test_alerts_e2e import alerts_to, new_brief
from tests.test_run_process import start

# How soon SIGTERM must end the bot while an alert waits (a 40,000 s flood wait, or a send
# Telegram never answers until the bot is gone). A prompt stop takes the 2 s grace for sends
# in flight plus the shutdown, a few seconds on a heavily loaded 2-core machine; a bot that
# waited would take hours or never stop. 15 s lies far from both.
PROMPT = 15.0


def briefbot(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], env=full, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_the_database_lock_is_held_once_and_dies_with_its_process(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    fd = lock_database(db)
    try:
        with pytest.raises(StoreError, match=rf"^another briefbot is running on this "
                                             rf"database, pid {os.getpid()} \("):
            lock_database(db)
    finally:
        unlock_database(fd)
    with subprocess.Popen(  # takes the lock, then is killed with no chance to clean up
            [sys.executable, "-c", "import sys, time; from pathlib import Path; "
             "from bot.dbfile import lock_database; lock_database(Path(sys.argv[1])); "
             "print('locked', flush=True); time.sleep(60)", str(db)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            with pytest.raises(StoreError, match=f"pid {holder.pid} "):
                lock_database(db)
        finally:
            holder.kill()
    unlock_database(lock_database(db))  # free again: the OS let go of the dead one's lock


async def test_a_second_bot_on_the_same_database_refuses_and_stats_still_works(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        second = await asyncio.to_thread(briefbot, bot_env, tmp_path, "run")
        stats = await asyncio.to_thread(briefbot, bot_env, tmp_path, "stats", "--json")
    assert second.returncode == 1
    assert second.stderr.count("\n") == 1, second.stderr
    assert f"another briefbot is running on this database, pid {os.getpid()}" in second.stderr
    assert "Traceback" not in second.stderr
    assert stats.returncode == 0, stats.stderr


async def _prepare(db: Path, briefs: Path, hold_back: str, chat: int) -> None:
    """A database whose bot has seen every brief but `hold_back`, with `chat` subscribed: the
    bot announces `hold_back` as soon as it starts."""
    result = BriefWatcher(briefs).scan()
    assert result.library is not None
    store = await Store.open(db)
    try:
        await store.record_known(b.id for b in result.library.briefs if b.id != hold_back)
        await store.set_meta("briefs_seeded", "1")
        await store.add_subscription(chat, "")
    finally:
        await store.close()


def test_sigterm_ends_a_long_flood_wait_at_once_and_the_alert_stays_due(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    db = Path(bot_env["BRIEFBOT_DB"])
    asyncio.run(_prepare(db, Path(bot_env["BRIEFBOT_BRIEFS_DIR"]), "csto-sco", 7001))
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 40000", times=-1,
                  retry_after=40000, chat_id=7001)
    proc = start(bot_env, tmp_path)
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("sendMessage", 7001,
                                                                 ok=False)), 60)
        time.sleep(0.5)  # well into the 40,000 s wait
        proc.send_signal(signal.SIGTERM)
        sent_at = time.monotonic()
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent_at
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert took < PROMPT, f"SIGTERM took {took:.1f} s"
    store_rows = sqlite3.connect(db).execute(
        "SELECT brief_id, chat_id, state FROM deliveries").fetchall()
    assert store_rows == [("csto-sco", 7001, "pending")]  # due at the next start
    assert len(fake_api.calls_to("sendMessage", 7001, ok=False)) == 1


def test_sigterm_during_a_slow_send_exits_promptly_and_never_repeats_it(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    db = Path(bot_env["BRIEFBOT_DB"])
    asyncio.run(_prepare(db, Path(bot_env["BRIEFBOT_BRIEFS_DIR"]), "csto-sco", 7001))
    arrived = threading.Event()
    answer = threading.Event()  # set once the bot is gone: a bot that waited never exits

    def slow(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and params.get("chat_id") == 7001:
            arrived.set()
            answer.wait(120)  # Telegram still working on it when the bot is told to stop

    fake_api.hook = slow
    proc = start(bot_env, tmp_path)
    try:
        assert arrived.wait(60)
        proc.send_signal(signal.SIGTERM)
        sent_at = time.monotonic()
        _, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent_at
    finally:
        answer.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert took < PROMPT, f"SIGTERM took {took:.1f} s"
    with sqlite3.connect(db) as conn:
        left = conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()
        counted = conn.execute("SELECT state, count FROM alert_results").fetchall()
    assert left == (0,) and counted == [("unknown", 1)]  # may have arrived: never again


@pytest.mark.parametrize("fault", ["locked", "full"])
async def test_a_brief_published_while_the_database_refuses_is_announced_after(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path, fault: str) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        state: Any = app.bot_data  # type: ignore[attr-defined]
        store = state.store
        await store.add_subscription(7001, "")
        other: sqlite3.Connection | None = None
        if fault == "locked":  # another program holds the write lock
            other = sqlite3.connect(bot_env["BRIEFBOT_DB"], isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
        else:  # the disk refuses every new row
            await store.conn.execute(
                "CREATE TRIGGER full BEFORE INSERT ON known_briefs "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
            await store.conn.commit()
        new_brief(folder, "stuck-news")
        await eventually(lambda: state.announcer.due, timeout=30)
        await eventually(lambda: state.library.get("stuck-news") is not None)
        await asyncio.sleep(0.5)  # reloads go on; nothing was lost
        assert alerts_to(fake_api, 7001, "Fresh stuck-news") == 0
        if other is not None:
            other.execute("ROLLBACK")
            other.close()
        else:
            await store.conn.execute("DROP TRIGGER full")
            await store.conn.commit()
        await eventually(lambda: alerts_to(fake_api, 7001, "Fresh stuck-news") == 1,
                         timeout=30)
        assert not state.announcer.due


async def test_a_wall_clock_stepped_back_an_hour_stops_nothing(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    db = Path(bot_env["BRIEFBOT_DB"])
    async with running_bot(bot_env, tmp_path) as app:
        state: Any = app.bot_data  # type: ignore[attr-defined]
        await state.store.add_subscription(7001, "")
        await asyncio.sleep(0.5)  # a few reload ticks on the true clock first
        with time_machine.travel(time.time() - 3600, tick=True):  # an NTP correction
            new_brief(folder, "clock-news")  # live reload and alerts
            await eventually(lambda: alerts_to(fake_api, 7001, "Fresh clock-news") == 1,
                             timeout=30)
            await asyncio.to_thread(db.unlink)  # the deleted-database watch
            await eventually(db.is_file, timeout=30)
