"""Alerts against a Bot API that refuses, delays, garbles or cuts off the sends: nobody is
unsubscribed by a message error, nothing is sent twice, nothing after /unsubscribe or /forget,
migrated groups and closed topics keep their subscriptions."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.telegram import jobs
from tests.conftest import brief_yaml, eventually, eventually_async, running_bot
from tests.fake_api import FakeBotAPI, text_message
from tests.test_alerts_e2e import ADMIN, alerts_to, new_brief


def store_of(app: Any) -> Any:
    store = app.bot_data.store
    assert store is not None
    return store


async def _subscribed(store: Any, chat: int) -> bool:
    return bool(await store.subscriptions(chat))


async def drained(app: Any, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    """Wait until the outbox holds nothing still to send (pending or sending)."""
    store = store_of(app)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        states = await store.delivery_states()
        if not any(s in ("pending", "sending") for s in states.values()):
            return
        if loop.time() > deadline:
            raise AssertionError(f"outbox not drained: {states}")
        await asyncio.sleep(0.05)


def long_publisher_brief(folder: Path, bid: str, publisher: str) -> None:
    """A brief whose alert Telegram refuses when the publisher's name is very long."""
    text = brief_yaml(bid, title=f"Fresh {bid}", tags="[energy]", summary="Fresh summary.")
    text = text.replace("publisher: A publisher", f"publisher: {publisher}")
    tmp = folder / f".{bid}.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.rename(folder / f"{bid}.yaml")


async def test_a_refused_message_holds_the_brief_for_everyone_and_unsubscribes_nobody(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    users = list(range(7001, 7021))
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        for uid in users:
            await store.add_subscription(uid, "")
        long_publisher_brief(folder, "long-news", "P" * 5000)
        await eventually(lambda: any("long-news" in t for t in fake_api.texts(ADMIN)))
        assert len(await store.subscriptions(7001)) == 1
        held = await store.delivery_states("long-news")
        new_brief(folder, "good-news")  # the next brief reaches everyone
        await eventually(lambda: all(alerts_to(fake_api, u, "Fresh good-news") == 1
                                     for u in users), timeout=20)
        subscribed = [u for u in users if await store.subscriptions(u) == [""]]
        long_publisher_brief(folder, "long-news", "A publisher")  # the editor fixes it
        await eventually(lambda: all(alerts_to(fake_api, u, "Fresh long-news") == 1
                                     for u in users), timeout=20)
        await drained(app)
        results = await store.alert_results("long-news")
    assert subscribed == users  # 20 subscriptions before, 20 after
    assert set(held.values()) == {"held"} and len(held) == len(users)
    refused = [c for c in fake_api.calls_to("sendMessage", ok=False) if c.status == 400]
    assert len(refused) == 1  # one refusal held the brief: not 20 tries
    notices = [t for t in fake_api.texts(ADMIN) if "long-news" in t]
    assert len(notices) == 1 and "too long" in notices[0] and "held" in notices[0]
    assert results == {"sent": len(users)}


async def test_a_closed_topic_skips_the_alert_and_keeps_the_subscription(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    forum = -100777
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(forum, "", thread_id=55)
        await store.add_subscription(7001, "")
        fake_api.fail("sendMessage", 400, "Bad Request: TOPIC_CLOSED", chat_id=forum)
        new_brief(folder, "closed-news")
        await eventually(lambda: alerts_to(fake_api, 7001, "Fresh closed-news") == 1)
        await drained(app)
        await eventually(lambda: any("closed-news" in t for t in fake_api.texts(ADMIN)))
        assert await store.subscriptions(forum) == [""]
        new_brief(folder, "reopened-news")  # the topic is open again
        await eventually(lambda: alerts_to(fake_api, forum, "Fresh reopened-news") == 1)
        results = await store.alert_results("closed-news")
    assert results == {"sent": 1, "skipped": 1}
    (notice,) = [t for t in fake_api.texts(ADMIN) if "closed-news" in t]
    assert "topic_closed" in notice.lower() and str(forum) in notice
    assert "stays subscribed" in notice
    assert alerts_to(fake_api, forum, "Fresh closed-news") == 0


async def test_a_migrated_group_gets_the_alert_at_its_new_id_and_keeps_its_subscription(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    group, supergroup = -555, -100555
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(group, "")
        await store.add_subscription(group, "energy")
        fake_api.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a "
                      "supergroup chat", chat_id=group, times=-1, migrate_to_chat_id=supergroup)
        new_brief(folder, "moved-news")
        await eventually(lambda: alerts_to(fake_api, supergroup, "Fresh moved-news") == 1)
        await drained(app)
        old, new = await store.subscriptions(group), await store.subscriptions(supergroup)
        new_brief(folder, "later-news")
        await eventually(lambda: alerts_to(fake_api, supergroup, "Fresh later-news") == 1)
        await drained(app)
    assert old == [] and new == ["", "energy"]
    assert len(fake_api.calls_to("sendMessage", group, ok=False)) == 1  # asked once
    assert alerts_to(fake_api, supergroup, "Fresh moved-news") == 1


async def test_a_slow_api_delivers_each_alert_once(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    users = [7001, 7002, 7003]
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        for uid in users:
            await store.add_subscription(uid, "")
        fake_api.delay("sendMessage", 6.0, times=-1)  # longer than any reply's 5 s timeout
        new_brief(folder, "slow-news")
        await eventually(lambda: all(alerts_to(fake_api, u, "Fresh slow-news") == 1
                                     for u in users), timeout=30)
        await drained(app)
        results = await store.alert_results("slow-news")
    assert results == {"sent": 3}
    assert len(fake_api.calls_to("sendMessage", ok=False)) == 3  # each tried once


async def test_a_send_that_times_out_or_is_cut_off_is_not_repeated(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "ALERT_READ_TIMEOUT", 1.0)  # so a 2 s answer is too late
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        for uid in (7001, 7002, 7003):
            await store.add_subscription(uid, "")
        fake_api.delay("sendMessage", 2.0, chat_id=7001)  # delivered after the bot gave up
        fake_api.cut("sendMessage", chat_id=7002)  # delivered, then the connection reset
        new_brief(folder, "cut-news")
        await eventually(lambda: alerts_to(fake_api, 7003, "Fresh cut-news") == 1)
        await drained(app)
        await eventually(lambda: alerts_to(fake_api, 7001, "Fresh cut-news") == 1)
        results = await store.alert_results("cut-news")
        kept = [await store.subscriptions(u) for u in (7001, 7002)]
    assert [alerts_to(fake_api, u, "Fresh cut-news") for u in (7001, 7002, 7003)] == [1, 1, 1]
    assert len(fake_api.calls_to("sendMessage", ok=False)) == 3  # none sent a second time
    assert results == {"sent": 1, "unknown": 2}
    assert kept == [[""], [""]]


@pytest.mark.parametrize("status", [200, 502])
async def test_a_proxy_page_instead_of_an_answer_is_retried(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path, status: int) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(7001, "")
        fake_api.garble("sendMessage", times=2, chat_id=7001, status=status)
        new_brief(folder, "proxy-news")
        await eventually(lambda: alerts_to(fake_api, 7001, "Fresh proxy-news") == 1)
        await drained(app)
        results = await store.alert_results("proxy-news")
        subscribed = await store.subscriptions(7001)
    garbled = [c for c in fake_api.calls_to("sendMessage", 7001, ok=False)
               if c.content_type == "garbled"]
    assert len(garbled) == 2 and results == {"sent": 1} and subscribed == [""]


@pytest.mark.parametrize("command", ["/unsubscribe", "/forget"])
async def test_nothing_is_sent_after_unsubscribe_or_forget(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path, command: str) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(1001, "")
        await store.add_subscription(7001, "")
        # the first alert meets flood control: everything waits 10 s, the rows stay queued
        # (long enough for the command to be handled meanwhile on a heavily loaded machine)
        fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 10", retry_after=10)
        new_brief(folder, "queued-news")
        await eventually(lambda: bool(fake_api.calls_to("sendMessage", ok=False)))
        fake_api.push("message", text_message(command))
        await eventually(lambda: bool(fake_api.texts(1001)))
        await eventually(lambda: alerts_to(fake_api, 7001, "Fresh queued-news") == 1)
        await drained(app)
    (confirmation,) = fake_api.texts(1001)  # the confirmation, and no alert after it
    assert confirmation.startswith(("Unsubscribed", "Done: I deleted"))


async def test_a_garbled_200_may_have_been_carried_out_and_is_not_repeated(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(7001, "")
        fake_api.garble("sendMessage", chat_id=7001, body=b'{"ok": true, "result": {"mess')
        new_brief(folder, "garbled-news")
        await eventually(lambda: bool(fake_api.calls_to("sendMessage", 7001, ok=False)))
        await drained(app)
        results = await store.alert_results("garbled-news")
    assert len(fake_api.calls_to("sendMessage", 7001, ok=False)) == 1
    assert results == {"unknown": 1}


async def test_the_upgrade_notice_moves_a_groups_subscriptions_before_any_alert(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    group = {"id": -556, "type": "group", "title": "G"}
    async with running_bot(bot_env, tmp_path) as app:
        store = store_of(app)
        await store.add_subscription(-556, "")
        fake_api.push("message", {"message_id": 3, "date": 0, "chat": group,
                                  "from": {"id": 1001, "is_bot": False, "first_name": "A"},
                                  "migrate_to_chat_id": -100556})
        await eventually_async(lambda: _subscribed(store, -100556))
        subscriptions = (await store.subscriptions(-556), await store.subscriptions(-100556))
    assert subscriptions == ([], [""])
    assert fake_api.texts(-556) == []  # a service message gets no answer
