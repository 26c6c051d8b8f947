"""The outbox's answers to each outcome of a send: a re-check just before it, a held brief,
a skipped chat, a migrated group."""

from __future__ import annotations

import asyncio

import pytest

from bot import alerts
from bot.alerts import AlertSender, detect_new
from bot.briefs import Brief
from bot.library import Library
from bot.outcomes import ChatMoved, ChatUnavailable, MessageRejected
from bot.storage import Delivery, Store
from tests.conftest import eventually, eventually_async
from tests.test_alerts import _brief, _settle
from tests.test_outbox import _queued, _send_all


async def test_a_row_already_taken_is_checked_again_just_before_its_send(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "IN_FLIGHT", 1)  # one send at a time: chat 2 after chat 1
    await detect_new(store, Library(()))
    await store.add_subscription(1, "")
    await store.add_subscription(2, "energy")
    library = Library((_brief("n", tags=("energy",)),))
    await detect_new(store, library)
    sent: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        sent.append(d.chat_id)
        if d.chat_id == 1:  # meanwhile chat 2 sends /unsubscribe energy
            await store.remove_subscription(2, "energy")
        return 1

    await _send_all(store, send, library)
    assert sent == [1]
    assert await store.alert_results("n") == {"sent": 1, "unsubscribed": 1}


async def test_unsubscribing_from_everything_deletes_the_queued_alerts_at_once(
        store: Store) -> None:
    await _queued(store, 5, 6)
    assert await store.remove_subscription(5) == 1
    assert set(await store.delivery_states("n")) == {("n", 6)}
    assert await store.alert_results("n") == {"unsubscribed": 1}


async def test_a_refused_message_is_held_until_the_brief_changes(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    # one send at a time: a send already started when the first refusal came back cannot be
    # called back, and how many start in parallel depends on the machine's load
    monkeypatch.setattr(alerts, "IN_FLIGHT", 1)
    await _queued(store, 1, 2, 3)
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    current = {"brief": Brief(**{**vars(_brief("n")), "title": "Old"})}
    tries: list[tuple[str, int]] = []

    async def send(d: Delivery, b: Brief) -> int:
        tries.append((b.title, d.chat_id))
        if b.title == "Old":
            raise MessageRejected("Message is too long")
        return 1

    sender = AlertSender(store, send, lambda: Library((current["brief"],)), rate=1000,
                         notify=notify)
    sender.start()
    try:
        await eventually(lambda: bool(told))  # told once the rows are held
        held = await store.delivery_states("n")
        await sender.release_changed(Library((current["brief"],)))  # unchanged: still held
        assert await store.delivery_states("n") == held
        current["brief"] = _brief("n")  # the editor fixed it
        await sender.release_changed(Library((current["brief"],)))
        await _settle(store)
    finally:
        await sender.close()
    assert set(held.values()) == {"held"} and len(held) == 3
    assert [t for t, _ in tries].count("Old") == 1  # held after the first refusal
    assert sorted(c for t, c in tries if t != "Old") == [1, 2, 3]
    assert len(told) == 1 and "held" in told[0] and "too long" in told[0]
    assert await store.alert_results("n") == {"sent": 3}
    assert [await store.subscriptions(c) for c in (1, 2, 3)] == [[""]] * 3


async def test_a_chat_that_cannot_take_an_alert_is_skipped_and_the_admins_told_once(
        store: Store) -> None:
    library = await _queued(store, 1, 2, 3)
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    async def send(d: Delivery, b: Brief) -> int:
        if d.chat_id in (1, 2):
            raise ChatUnavailable("Topic_closed")
        return 1

    sender = AlertSender(store, send, lambda: library, rate=1000, notify=notify)
    sender.start()
    await _settle(store)
    await sender.close()
    assert await store.alert_results("n") == {"sent": 1, "skipped": 2}
    assert [await store.subscriptions(c) for c in (1, 2)] == [[""], [""]]
    assert len(told) == 1 and "Topic_closed" in told[0]


async def test_a_migrated_chat_takes_its_subscriptions_and_alerts_to_the_new_id(
        store: Store) -> None:
    library = await _queued(store, -5)
    await store.add_subscription(-5, "energy")
    await store.add_subscription(-100, "trade")  # already known under the new id
    sent: list[int] = []

    async def send(d: Delivery, b: Brief) -> int:
        if d.chat_id == -5:
            raise ChatMoved(-100)
        sent.append(d.chat_id)
        return 1

    await _send_all(store, send, library)
    assert sent == [-100]
    assert await store.subscriptions(-5) == []
    assert await store.subscriptions(-100) == ["", "energy", "trade"]
    assert await store.alert_results("n") == {"sent": 1}


async def test_a_restart_keeps_an_unchanged_refused_brief_held_and_tells_nobody_again(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "IN_FLIGHT", 1)
    await _queued(store, 1, 2)
    told: list[str] = []
    tries: list[tuple[str, int]] = []

    async def notify(text: str) -> None:
        told.append(text)

    async def send(d: Delivery, b: Brief) -> int:
        tries.append((b.title, d.chat_id))
        if b.title == "Old":
            raise MessageRejected("Message is too long")
        return 1

    old = Brief(**{**vars(_brief("n")), "title": "Old", "digest": "0ld"})  # as files have
    first = AlertSender(store, send, lambda: Library((old,)), rate=1000, notify=notify)
    first.start()
    await eventually(lambda: bool(told))
    await first.close()
    held = await store.delivery_states("n")
    assert set(held.values()) == {"held"} and len(tries) == 1

    again = AlertSender(store, send, lambda: Library((old,)), rate=1000, notify=notify)
    again.start()  # a restart with the brief unchanged: nothing tried, nobody told
    await asyncio.wait_for(again.recovered.wait(), timeout=60)
    await _settle(store)
    await again.close()
    assert await store.delivery_states("n") == held
    assert len(tries) == 1 and len(told) == 1

    new = Brief(**{**vars(_brief("n")), "digest": "n3w"})
    fixed = AlertSender(store, send, lambda: Library((new,)), rate=1000, notify=notify)
    fixed.start()  # fixed while the bot was down: sent at start
    await asyncio.wait_for(fixed.recovered.wait(), timeout=60)
    await _settle(store)
    await fixed.close()
    assert await store.alert_results("n") == {"sent": 2}
    assert len(told) == 1


async def test_a_new_briefbot_version_tries_a_held_alert_again(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "IN_FLIGHT", 1)
    await _queued(store, 1)
    brief = Brief(**{**vars(_brief("n")), "digest": "same"})
    refuse = {"on": True}

    async def send(d: Delivery, b: Brief) -> int:
        if refuse["on"]:
            raise MessageRejected("Message is too long")
        return 1

    async def notify(text: str) -> None:
        pass

    monkeypatch.setattr(alerts, "_briefbot_version", lambda: "1.0")
    first = AlertSender(store, send, lambda: Library((brief,)), rate=1000, notify=notify)
    first.start()
    await eventually_async(lambda: _states_are(store, {"held"}), timeout=60)
    await first.close()
    monkeypatch.setattr(alerts, "_briefbot_version", lambda: "1.1")  # its rendering fixed
    refuse["on"] = False
    upgraded = AlertSender(store, send, lambda: Library((brief,)), rate=1000, notify=notify)
    upgraded.start()
    await asyncio.wait_for(upgraded.recovered.wait(), timeout=60)
    await _settle(store)
    await upgraded.close()
    assert await store.alert_results("n") == {"sent": 1}


async def _states_are(store: Store, states: set[str]) -> bool:
    found = set((await store.delivery_states("n")).values())
    return bool(found) and found <= states


async def test_a_brief_fixed_while_recovery_reads_the_outbox_is_tried_again(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reload lands between recovery's look at the library and its end: the final
    re-check sees the fixed version and lets the held alerts go."""
    monkeypatch.setattr(alerts, "IN_FLIGHT", 1)
    await _queued(store, 1, 2)
    old = Brief(**{**vars(_brief("n")), "title": "Old", "digest": "0ld"})
    new = Brief(**{**vars(_brief("n")), "digest": "n3w"})

    async def send(d: Delivery, b: Brief) -> int:
        if b.title == "Old":
            raise MessageRejected("Message is too long")
        return 1

    async def notify(text: str) -> None:
        pass

    first = AlertSender(store, send, lambda: Library((old,)), rate=1000, notify=notify)
    first.start()
    await eventually_async(lambda: _states_are(store, {"held"}), timeout=60)
    await first.close()

    looks: list[int] = []

    def library() -> Library:  # the first look sees the old file, every later one the fix
        looks.append(1)
        return Library((old,) if len(looks) == 1 else (new,))

    again = AlertSender(store, send, library, rate=1000, notify=notify)
    again.start()
    await asyncio.wait_for(again.recovered.wait(), timeout=60)
    await _settle(store)
    await again.close()
    assert await store.alert_results("n") == {"sent": 2}
