"""The alert outbox under failure: a crash mid-send, network errors, chats that never accept."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot import alerts
from bot.alerts import AlertSender, Pacer, Send, detect_new
from bot.briefs import Brief
from bot.library import Library
from bot.outcomes import ChatGone, NotDelivered, OutcomeUnknown, RetryLater
from bot.storage import CommandRecord, Delivery, Store, StoreError
from tests.conftest import ROOT, eventually
from tests.test_alerts import FakeClock, _brief, _settle

# A bot process that queues one alert and dies (os._exit: no cleanup, as on SIGKILL or a
# power cut) at the moment its send starts.
CRASH = textwrap.dedent('''\
    import asyncio, os, sys
    from bot.alerts import AlertSender, detect_new
    from bot.library import Library
    from bot.storage import Store
    from tests.test_alerts import _brief

    async def main() -> None:
        store = await Store.open(__import__("pathlib").Path(sys.argv[1]))
        await detect_new(store, Library(()))
        await store.add_subscription(7, "")
        await detect_new(store, Library((_brief("n"),)))

        async def send(delivery, brief):
            os._exit(3)

        AlertSender(store, send, lambda: Library((_brief("n"),)), rate=1000).start()
        await asyncio.sleep(10)

    asyncio.run(main())
    ''')


async def _send_all(store: Store, send: Send, library: Library,
                    pacer: Pacer | None = None) -> None:
    """Run a sender (1,000 a second unless `pacer`) until the outbox is empty, then close it."""
    sender = AlertSender(store, send, lambda: library, rate=1000, pacer=pacer)
    sender.start()
    await _settle(store)
    await sender.close()


async def _outbox(db: Path) -> tuple[list[Delivery], dict[str, int]]:
    store = await Store.open(db)
    try:
        return await store.due_deliveries(), await store.alert_results()
    finally:
        await store.close()

async def test_a_crash_while_sending_leaves_the_alert_in_sending_and_it_is_never_sent_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "crash.db"
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", CRASH, str(db)],
                                   cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 3, done.stderr
    store = await Store.open(db)
    try:
        assert await store.delivery_states() == {("n", 7): "sending"}
        assert await store.due_deliveries() == []  # never taken again: it may have gone
        sent: list[int] = []

        async def send(d: Delivery, b: Brief) -> int:
            sent.append(d.chat_id)
            return 1

        with caplog.at_level(logging.WARNING, logger="bot.alerts"):
            await _send_all(store, send, Library((_brief("n"),)))
        assert sent == []  # at most once: the restarted bot does not repeat it
        assert await store.alert_results() == {"unknown": 1}
        assert await store.delivery_states() == {}
        assert any("not sent again" in m for m in caplog.messages)
    finally:
        await store.close()


async def _queued(store: Store, *chats: int) -> Library:
    """Brief "n" newly published, with an alert queued for each of these chats."""
    await detect_new(store, Library(()))
    for chat in chats:
        await store.add_subscription(chat, "")
    library = Library((_brief("n"),))
    await detect_new(store, library)
    return library


async def test_a_send_that_never_reached_telegram_is_retried_until_it_goes(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "MAX_BACKOFF", 0.01)  # the pacing of retries is not at stake
    library = await _queued(store, 5)
    seen: list[tuple[str, int]] = []

    async def send(d: Delivery, b: Brief) -> int:
        seen.append((d.state, d.attempts))
        if len(seen) < 8:
            raise NotDelivered("Bad Gateway")
        return 1

    await _send_all(store, send, library)
    assert seen == [("pending", n) for n in range(8)]  # no limit: it surely was not sent
    assert await store.alert_results("n") == {"sent": 1}
    assert await store.subscriptions(5) == [""]  # a flaky network is not the chat's fault


async def test_a_send_whose_outcome_is_unknown_is_never_repeated(store: Store) -> None:
    library = await _queued(store, 5, 6)
    tries: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        tries.append(d.chat_id)
        if d.chat_id == 5:
            raise OutcomeUnknown("Timed out")
        return 1

    await _send_all(store, send, library)
    assert sorted(tries) == [5, 6]
    assert await store.alert_results("n") == {"sent": 1, "unknown": 1}
    assert await store.subscriptions(5) == [""]


async def test_attempts_are_counted_when_the_send_starts(store: Store) -> None:
    await _queued(store, 5)
    assert await store.claim_delivery("n", 5, ()) == "claimed"
    assert await store.claim_delivery("n", 5, ()) == "gone"  # being sent: never twice
    await store.mark_delivery("n", 5, "pending", "Bad Gateway")
    assert await store.claim_delivery("n", 5, ()) == "claimed"
    assert await store.due_deliveries() == []
    assert await store.delivery_states() == {("n", 5): "sending"}
    rows = await store.conn.execute_fetchall("SELECT attempts FROM deliveries")
    assert [tuple(r) for r in rows] == [(2,)]
    await store.mark_delivery("n", 5, "sent", message_id=9)
    assert await store.delivery_states() == {}
    assert await store.alert_results("n") == {"sent": 1}


async def test_a_chat_that_can_never_get_alerts_is_dropped(store: Store) -> None:
    await detect_new(store, Library(()))
    for chat in (5, 6):
        await store.add_subscription(chat, "")
    both = Library((_brief("n"), _brief("m")))
    await detect_new(store, both)
    assert len(await store.due_deliveries()) == 4
    sent: list[tuple[str, int]] = []

    async def send(d: Delivery, b: Brief) -> int:
        if d.chat_id == 5:
            raise ChatGone("Chat not found")
        sent.append((d.brief_id, d.chat_id))
        return 1

    await _send_all(store, send, both)
    assert await store.subscriptions(5) == []  # dropped: no alert tried for it again
    assert await store.subscriptions(6) == [""]
    assert sorted(sent) == [("m", 6), ("n", 6)]
    assert await store.alert_results() == {"sent": 2, "blocked": 2}


async def test_a_failed_forget_or_drop_changes_nothing_and_the_store_goes_on(
        store: Store) -> None:
    await _queued(store, 1001)
    await store.insert_usage([], [CommandRecord(1.0, store.user_key(1001), "private", "help")])
    await store.conn.execute(  # the disk refuses the last step of both writes
        "CREATE TRIGGER refuse BEFORE DELETE ON deliveries "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    await store.conn.commit()
    refused = rf"^cannot write to database {store.path}: disk I/O error$"
    with pytest.raises(StoreError, match=refused):
        await store.forget_user(1001)
    with pytest.raises(StoreError, match=refused):
        await store.drop_chat(1001)
    with pytest.raises(StoreError, match=refused):
        await store.mark_delivery("n", 1001, "sent")
    await store.conn.execute("CREATE TRIGGER refuse_new BEFORE INSERT ON deliveries "
                             "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    await store.conn.commit()
    with pytest.raises(StoreError, match=refused):
        await store.enqueue_alert("z", ())
    assert "z" not in await store.known_brief_ids()  # marked known only with its alerts
    await store.add_subscription(2002, "")  # the next write commits only itself
    assert await store.command_counts() == {"help": 1}
    assert await store.subscriptions(1001) == [""]
    assert set(await store.delivery_states()) == {("n", 1001)}
    assert await store.alert_results() == {}


async def test_alerts_queue_once_per_chat_for_any_of_a_briefs_tags(store: Store) -> None:
    await detect_new(store, Library(()))
    for chat, tag in ((1, "trade"), (2, "energy"), (3, "security"), (4, ""), (2, "")):
        await store.add_subscription(chat, tag)
    assert await store.enqueue_alert("e", ("energy", "trade")) == 3  # chats 1, 2 and 4
    assert await store.enqueue_alert("e", ("energy", "trade")) == 0  # known: never again
    assert set(await store.delivery_states("e")) == {("e", 1), ("e", 2), ("e", 4)}
    assert await store.enqueue_alert("untagged", ()) == 2  # only the every-brief chats


async def test_an_alert_for_a_brief_withdrawn_before_sending_is_failed_not_sent(
        store: Store) -> None:
    await _queued(store, 5, 6)
    sent: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.chat_id)
        return 1

    await _send_all(store, send, Library(()))  # "n" is gone
    assert sent == []
    assert await store.alert_results("n") == {"failed": 2}
    assert await store.subscriptions(5) == [""]  # the chats did nothing wrong


async def test_a_chat_that_blocked_the_bot_is_logged_and_dropped(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    library = await _queued(store, 7)

    async def send(d: Delivery, b: Brief) -> int:
        raise ChatGone("Forbidden: bot was blocked by the user")

    with caplog.at_level(logging.INFO, logger="bot.alerts"):
        await _send_all(store, send, library)
    assert ("chat 7 blocked the bot or is gone (Forbidden: bot was blocked by the user); "
            "subscriptions dropped") in caplog.messages
    assert await store.subscriptions(7) == []
    assert await store.alert_results("n") == {"blocked": 1}


async def test_the_hard_window_holds_a_burst_to_30_a_second() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=30, clock=clock, sleep=clock.sleep)
    pacer.interval = 0.001  # a burst: only the one-second window holds it back
    for _ in range(90):
        await pacer.wait_turn()
        clock.starts.append(clock.now)
    assert clock.starts[30] == pytest.approx(101.0)  # a second after the burst's first
    assert clock.starts[60] == pytest.approx(clock.starts[30] + 1.0)
    assert max(sum(1 for t in clock.starts if s <= t < s + 1.0) for s in clock.starts) == 30


async def test_the_pacer_sleeps_once_until_a_full_window_frees() -> None:
    clock = FakeClock()  # binary fractions of a second below: every time is exact
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.now += seconds

    pacer = Pacer(rate=30, clock=clock, sleep=sleep)
    pacer.interval = 1 / 64
    await pacer.wait_turn()  # at 100.0
    clock.now = 100.5  # a lull, then a burst fills the window
    for _ in range(29):
        await pacer.wait_turn()
    await pacer.wait_turn()  # the 31st waits until the send at 100.0 is a second old
    assert clock.now == 101.0
    sleeps.clear()
    await pacer.wait_turn()  # (100, 101] holds 30 again: the next may start at 101.5
    assert clock.now == 101.5
    assert sleeps == [0.5]  # one sleep: a send exactly a second old no longer counts


async def test_flood_control_holds_every_send_for_its_seconds(store: Store) -> None:
    library = await _queued(store, 1, 2, 3)
    starts: list[float] = []
    loop = asyncio.get_running_loop()

    async def send(d: Delivery, b: Brief) -> int:
        starts.append(loop.time())
        if len(starts) == 1:
            raise RetryLater(0.3)
        return 1

    await _send_all(store, send, library)
    assert len(starts) == 4 and min(t - starts[0] for t in starts[1:]) >= 0.29
    assert await store.alert_results("n") == {"sent": 3}


async def test_network_errors_back_off_doubling_and_success_resets_it(store: Store) -> None:
    library = await _queued(store, 5)
    backoffs: list[float] = []
    sender: AlertSender

    async def send(d: Delivery, b: Brief) -> int:
        backoffs.append(sender.backoff)
        if len(backoffs) < 3:
            raise NotDelivered("Bad Gateway")
        return 1

    sender = AlertSender(store, send, lambda: library, rate=1000)
    sender.start()
    await _settle(store)
    await sender.close()
    assert backoffs == [0.0, 0.5, 1.0]
    assert sender.backoff == 0.0
    assert await store.alert_results("n") == {"sent": 1}


async def test_a_bug_in_sending_fails_that_alert_once_and_is_logged(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    library = await _queued(store, 5)
    calls: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        calls.append(d.chat_id)
        raise ValueError("a bug")

    with caplog.at_level(logging.ERROR, logger="bot.alerts"):
        await _send_all(store, send, library)
    assert calls == [5]
    assert await store.alert_results("n") == {"failed": 1}
    assert await store.subscriptions(5) == [""]
    (record,) = [r for r in caplog.records if r.name == "bot.alerts"]
    assert record.getMessage() == "alert to 5 failed" and record.exc_info is not None


async def test_a_new_brief_is_logged_with_its_alerts(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bot.alerts"):
        await _queued(store, 5, 6)
    assert "new brief n: 2 alert(s) queued" in caplog.messages


async def test_the_first_send_starts_at_once_whatever_the_clock_reads() -> None:
    clock = FakeClock()
    clock.now = 0.0  # a monotonic clock may start anywhere, 0 included
    pacer = Pacer(rate=28, clock=clock, sleep=clock.sleep)
    await pacer.wait_turn()
    assert clock.now == 0.0


def alerts_task() -> asyncio.Task[Any]:
    """The sender's background task, as asyncio lists it: by its name."""
    (task,) = [t for t in asyncio.all_tasks() if t.get_name() == "alerts"]
    return task


async def _sent_at_once(d: Delivery, b: Brief) -> int:
    return 1


async def test_the_sender_is_one_task_named_alerts_that_close_ends(store: Store) -> None:
    library = await _queued(store)
    sender = AlertSender(store, _sent_at_once, lambda: library, rate=1000)
    sender.start()
    sender.start()  # already running: still one task
    task = alerts_task()  # named, as asyncio's task listings and warnings show it
    await sender.close()
    assert task.done() and not task.cancelled()  # ended by close(), before it returned
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "alerts"]
    await sender.close()  # closing twice is harmless (post_stop may run twice)
    await AlertSender(store, _sent_at_once, lambda: library).close()  # so is a never-started one


async def test_close_while_the_sender_waits_for_a_turn_takes_no_more_and_ends_last(
        store: Store) -> None:
    library = await _queued(store, 1, 2)
    clock = FakeClock()
    asked, go, turned = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def sleep(seconds: float) -> None:  # the pacer's wait for chat 2's turn, held
        asked.set()
        await go.wait()
        clock.now += seconds
        turned.set()

    sending, release = asyncio.Event(), asyncio.Event()
    sent: list[int] = []
    order: list[str] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.chat_id)
        delivery = asyncio.current_task()
        assert delivery is not None
        delivery.add_done_callback(lambda _: order.append(f"chat {d.chat_id} recorded"))
        sending.set()
        await release.wait()
        return 1

    sender = AlertSender(store, send, lambda: library, pacer=Pacer(28, clock, sleep))
    sender.start()
    alerts_task().add_done_callback(lambda _: order.append("sender ended"))
    await asyncio.wait_for(asyncio.gather(asked.wait(), sending.wait()), timeout=30)
    closing = asyncio.create_task(sender.close())
    await asyncio.sleep(0)  # close() has begun: no row is taken from now on
    go.set()
    await turned.wait()  # the turn came (and the sender stopped there)
    release.set()
    await closing
    assert sent == [1]
    assert order == ["chat 1 recorded", "sender ended"]  # the task waits for its sends
    assert await store.alert_results("n") == {"sent": 1}
    assert await store.delivery_states("n") == {("n", 2): "pending"}  # for the next start


async def test_close_records_the_sends_in_flight_even_after_the_senders_task_was_cancelled(
        store: Store) -> None:
    library = await _queued(store, 1, 2)
    await store.conn.execute(  # chat 2's send cannot be recorded: the disk refuses
        "CREATE TRIGGER refuse BEFORE DELETE ON deliveries WHEN OLD.chat_id = 2 "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    await store.conn.commit()
    started: list[int] = []
    release = asyncio.Event()

    async def send(d: Delivery, b: Brief) -> int:
        started.append(d.chat_id)
        await release.wait()
        return 1

    sender = AlertSender(store, send, lambda: library, rate=1000)
    sender.start()
    await eventually(lambda: sorted(started) == [1, 2])
    task = alerts_task()
    task.cancel()  # as a loop shutting down cancels the tasks still running
    closing = asyncio.create_task(sender.close())
    done, _ = await asyncio.wait([closing], timeout=0.05)
    assert not done  # close() waits for the two sends in flight
    release.set()
    await closing  # returns: a send that could not be recorded does not fail the shutdown
    assert task.cancelled()
    assert await store.alert_results("n") == {"sent": 1}
    assert await store.delivery_states("n") == {("n", 2): "sending"}  # unknown at next start


async def test_a_send_that_cannot_be_recorded_is_logged_and_stays_due(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    library = await _queued(store, 7)
    await store.conn.execute(  # the disk refuses to record chat 7's delivery
        "CREATE TRIGGER refuse BEFORE DELETE ON deliveries WHEN OLD.chat_id = 7 "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    await store.conn.commit()
    sent: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.chat_id)
        return 1

    sender = AlertSender(store, send, lambda: library, rate=1000)
    with caplog.at_level(logging.ERROR, logger="bot.alerts"):
        sender.start()
        await eventually(lambda: any(r.name == "bot.alerts" for r in caplog.records))
        await sender.close()
    assert sent == [7]  # its row stays 'sending': never taken again (at most once)
    (record, *_) = [r for r in caplog.records if r.name == "bot.alerts"]
    assert record.getMessage().startswith("alert n to chat 7 not recorded: cannot write")
    assert await store.delivery_states("n") == {("n", 7): "sending"}  # unknown at next start


async def test_rows_queued_without_a_poke_are_sent_after_the_idle_wait_and_a_poke_is_at_once(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "OUTBOX_IDLE_SECONDS", 0.05)
    await detect_new(store, Library(()))
    await store.add_subscription(1, "")
    library = Library((_brief("m"), _brief("n")))
    sent: list[str] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.brief_id)
        return 1

    sender = AlertSender(store, send, lambda: library, rate=1000)
    sender.start()
    try:
        await asyncio.sleep(0.1)  # idle: the outbox was empty at least once
        await store.enqueue_alert("m", ())  # as by a reload that failed before its poke
        await eventually(lambda: sent == ["m"], timeout=30)
        monkeypatch.setattr(alerts, "OUTBOX_IDLE_SECONDS", 60.0)
        await asyncio.sleep(0.1)  # idle again, now for a minute
        await store.enqueue_alert("n", ())
        sender.poke()
        await eventually(lambda: sent == ["m", "n"], timeout=30)  # idle: 60 s
    finally:
        await sender.close()
    assert await store.alert_results() == {"sent": 2}


async def test_an_unreadable_outbox_is_logged_and_read_again_after_the_idle_wait(
        store: Store, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(alerts, "OUTBOX_IDLE_SECONDS", 0.05)
    library = await _queued(store, 5)
    await store.conn.execute("ALTER TABLE deliveries RENAME TO away")  # a damaged database
    await store.conn.commit()
    sent: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.chat_id)
        return 1

    def logged() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "bot.alerts"
                and r.getMessage().startswith("alert outbox unreadable")]

    sender = AlertSender(store, send, lambda: library, rate=1000)
    with caplog.at_level(logging.ERROR, logger="bot.alerts"):
        sender.start()
        try:
            await eventually(lambda: bool(logged()), timeout=30)
            await store.conn.execute("ALTER TABLE away RENAME TO deliveries")  # repaired
            await store.conn.commit()
            await eventually(lambda: sent == [5], timeout=30)  # the sender went on
        finally:
            await sender.close()
    first = logged()[0]
    assert first.levelno == logging.ERROR
    assert first.getMessage() == ("alert outbox unreadable: cannot read database "
                                  f"{store.path}: no such table: deliveries")
    assert await store.alert_results("n") == {"sent": 1}


async def test_the_sender_takes_the_outbox_a_batch_at_a_time(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "OUTBOX_BATCH", 2)
    library = await _queued(store, 1, 2, 3)

    class Counted(Pacer):  # the real pacing on a fake clock (no real waits), turns counted
        turns = 0

        async def wait_turn(self) -> None:
            await super().wait_turn()
            self.turns += 1

    clock = FakeClock()
    pacer = Counted(28, clock, clock.sleep)
    seen: dict[int, tuple[int, dict[str, int]]] = {}

    async def send(d: Delivery, b: Brief) -> int:
        seen[d.chat_id] = (pacer.turns, await store.alert_results("n"))
        return 1

    await _send_all(store, send, library, pacer=pacer)
    assert seen[1][0] == seen[2][0] == 2  # a batch's turns are taken before its sends run
    assert seen[3] == (3, {"sent": 2})  # the next batch only once the last is recorded
