"""New-brief detection, reload with last-good versions, the outbox sender and its pacing."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.alerts import AlertSender, Pacer, detect_new
from bot.briefs import Brief
from bot.library import Library
from bot.outcomes import ChatGone, NotDelivered, RetryLater
from bot.reload import BriefWatcher
from bot.storage import Delivery, Store
from tests.conftest import brief_yaml, eventually, eventually_async


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a visible change


def test_watcher_keeps_last_good_and_reports(empty_briefs_dir: Path) -> None:
    watcher = BriefWatcher(empty_briefs_dir)
    touch(empty_briefs_dir / "a.yaml", brief_yaml("a", title="Version one"))
    first = watcher.scan()
    assert first.library is not None and first.added == ("a",)
    assert watcher.scan().library is None  # nothing changed: no rebuild
    touch(empty_briefs_dir / "a.yaml", "id: a\ntitle: [half-written")
    touch(empty_briefs_dir / "b.yaml", "id: b\n")
    broken = watcher.scan()
    assert broken.library is not None
    assert broken.library.get("a") is not None
    assert broken.library.get("a").title == "Version one"  # type: ignore[union-attr]
    assert broken.library.get("b") is None  # never had a good version
    assert {e.path.name for e in broken.problems} == {"a.yaml", "b.yaml"}
    touch(empty_briefs_dir / "a.yaml", brief_yaml("a", title="Version two"))
    (empty_briefs_dir / "b.yaml").unlink()
    fixed = watcher.scan()
    assert fixed.library is not None and fixed.problems == ()
    assert fixed.library.get("a").title == "Version two"  # type: ignore[union-attr]
    (empty_briefs_dir / "a.yaml").unlink()
    gone = watcher.scan()
    assert gone.removed == ("a",) and gone.library is not None and gone.library.briefs == ()


async def test_first_start_records_known_without_alerts(store: Store) -> None:
    lib = Library((_brief("a"), _brief("b")))
    await store.add_subscription(1, "")
    assert await detect_new(store, lib) == []
    assert await store.due_deliveries() == []
    lib2 = Library((_brief("a"), _brief("b"), _brief("c", tags=("energy",))))
    assert await detect_new(store, lib2) == ["c"]
    assert await detect_new(store, lib2) == []  # only once
    assert [(d.brief_id, d.chat_id) for d in await store.due_deliveries()] == [("c", 1)]
    # removing and re-adding, or editing, never re-alerts
    assert await detect_new(store, Library((_brief("a"),))) == []
    assert await detect_new(store, lib2) == []


async def test_tag_subscriptions_and_one_row_per_chat(store: Store) -> None:
    await detect_new(store, Library(()))
    await store.add_subscription(1, "")
    await store.add_subscription(1, "energy")
    await store.add_subscription(2, "energy", thread_id=77)
    await store.add_subscription(3, "trade")
    await detect_new(store, Library((_brief("e", tags=("energy",)),)))
    rows = {d.chat_id: d for d in await store.due_deliveries()}
    assert set(rows) == {1, 2}
    assert rows[2].thread_id == 77


def _brief(bid: str, tags: tuple[str, ...] = ()) -> Brief:
    import datetime as dt

    from bot.briefs import Source

    return Brief(bid, f"Title {bid}", dt.date(2023, 1, 1), tags, ("k",), "S", "body",
                 (Source("t", "p", "https://x.org", "2023-01-01"),))


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.starts: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_pacer_is_even_and_never_exceeds_30_a_second() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=28, clock=clock, sleep=clock.sleep)
    for _ in range(200):
        await pacer.wait_turn()
        clock.starts.append(clock.now)
    windows = [sum(1 for t in clock.starts if s <= t < s + 1.0) for s in clock.starts]
    assert max(windows) <= 30
    rate = (len(clock.starts) - 1) / (clock.starts[-1] - clock.starts[0])
    assert 25 <= rate <= 30
    pacer.pause(5)
    before = clock.now
    await pacer.wait_turn()
    assert clock.now - before == pytest.approx(5)


async def _sender(store: Store, lib: Library, send) -> AlertSender:  # type: ignore[no-untyped-def]
    sender = AlertSender(store, send, lambda: lib, rate=1000)
    sender.start()
    return sender


async def _settle(store: Store) -> None:
    """Wait until no alert is due or being sent (held ones wait for their brief to change).

    A row in 'sending' is not settled: its outcome may still queue it again (a network
    error, a migrated chat), so returning then would stop the sender half-way.
    """
    await eventually_async(lambda: _nothing_to_send(store), timeout=60)


async def _nothing_to_send(store: Store) -> bool:
    return not {"pending", "sending"} & set((await store.delivery_states()).values())


async def test_sender_outcomes(store: Store) -> None:
    lib = Library((_brief("n"),))
    await detect_new(store, Library(()))
    for chat in (1, 2, 3, 4):
        await store.add_subscription(chat, "")
    await detect_new(store, lib)
    calls: list[int] = []
    flaky = {3: 2}

    async def send(d: Delivery, b: Brief) -> int:
        calls.append(d.chat_id)
        if d.chat_id == 2:
            raise ChatGone("Forbidden: bot was blocked by the user")
        if d.chat_id == 4 and calls.count(4) == 1:
            raise RetryLater(0.05)
        if flaky.get(d.chat_id, 0) > 0:
            flaky[d.chat_id] -= 1
            raise NotDelivered("Bad Gateway")
        return 500 + d.chat_id

    sender = await _sender(store, lib, send)
    await _settle(store)
    await sender.close()
    assert await store.delivery_states("n") == {}  # finished: no chat id kept
    assert await store.alert_results("n") == {"sent": 3, "blocked": 1}
    assert await store.subscriptions(2) == []
    assert calls.count(2) == 1 and calls.count(3) == 3 and calls.count(4) == 2


async def test_resume_after_restart_sends_each_once(store: Store, tmp_path: Path) -> None:
    lib = Library((_brief("n"),))
    await detect_new(store, Library(()))
    for chat in range(1, 41):
        await store.add_subscription(chat, "")
    await detect_new(store, lib)
    sent: list[int] = []
    gate = asyncio.Event()

    async def send(d: Delivery, b: Brief) -> int:
        if len(sent) >= 15:
            await gate.wait()  # the rest hang until the "restart"
        sent.append(d.chat_id)
        return 1

    first = await _sender(store, lib, send)
    await eventually(lambda: len(sent) >= 15)  # the "restart" comes half-way through
    gate.set()
    await first.close()  # graceful: in-flight sends finish and are recorded
    second = await _sender(store, lib, send)
    await _settle(store)
    await second.close()
    assert sorted(sent) == list(range(1, 41))
    assert await store.delivery_states("n") == {}
    assert await store.alert_results("n") == {"sent": 40}


def test_a_file_replaced_with_the_same_time_and_size_is_read_again(
        empty_briefs_dir: Path) -> None:
    watcher = BriefWatcher(empty_briefs_dir)
    path = empty_briefs_dir / "a.yaml"
    path.write_text(brief_yaml("a", title="Version one"), encoding="utf-8")
    first = path.stat()
    assert watcher.scan().library is not None
    tmp = empty_briefs_dir / ".a.tmp"  # same length, same mtime: only the inode differs
    tmp.write_text(brief_yaml("a", title="Version two"), encoding="utf-8")
    os.utime(tmp, ns=(first.st_atime_ns, first.st_mtime_ns))
    tmp.rename(path)
    assert (path.stat().st_mtime_ns, path.stat().st_size) == (first.st_mtime_ns,
                                                               first.st_size)
    changed = watcher.scan()
    assert changed.library is not None
    assert changed.library.get("a").title == "Version two"  # type: ignore[union-attr]


def test_a_file_set_back_to_an_older_time_is_read_again(empty_briefs_dir: Path) -> None:
    watcher = BriefWatcher(empty_briefs_dir)
    path = empty_briefs_dir / "a.yaml"
    path.write_text(brief_yaml("a", title="Version one"), encoding="utf-8")
    assert watcher.scan().library is not None
    older = path.stat().st_mtime_ns - 3600 * 1_000_000_000  # a restored backup, or a clock
    path.write_text(brief_yaml("a", title="Version 2.0"), encoding="utf-8")  # set back
    os.utime(path, ns=(older, older))
    changed = watcher.scan()
    assert changed.library is not None
    assert changed.library.get("a").title == "Version 2.0"  # type: ignore[union-attr]
