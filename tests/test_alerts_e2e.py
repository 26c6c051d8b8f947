"""Subscriptions and alerts end to end: live reload, 429s, blocking, restarts, broken files."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.storage import Store
from tests.conftest import brief_yaml, eventually, eventually_async, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message

ADMIN = 4242


def alerts_to(api: FakeBotAPI, chat: int, brief_title: str) -> int:
    return sum(1 for t in api.texts(chat) if t.startswith("🆕") and brief_title in t)


def new_brief(folder: Path, bid: str, tags: str = "[energy]") -> None:
    tmp = folder / f".{bid}.tmp"
    tmp.write_text(brief_yaml(bid, title=f"Fresh {bid}", tags=tags, summary="Fresh summary."),
                   encoding="utf-8")
    tmp.rename(folder / f"{bid}.yaml")


async def test_subscribe_commands(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                  tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        for i, cmd in enumerate(["/subscribe", "/subscribe", "/subscribe energy",
                                 "/subscribe nosuchtag", "/subscriptions", "/unsubscribe energy",
                                 "/unsubscribe energy", "/unsubscribe", "/subscriptions"]):
            fake_api.push("message", text_message(cmd, message_id=i + 1))
        await eventually(lambda: len(fake_api.texts(1001)) == 9)
    t = fake_api.texts(1001)
    assert t[0].startswith("✅ Subscribed: you will get every new brief")
    assert "already" in t[1]
    assert "tagged <b>energy</b>" in t[2]
    assert "no topic tag" in t[3]
    tag_buttons = fake_api.calls_to("sendMessage", 1001)[3].params["reply_markup"]
    assert "s:energy" in str(tag_buttons)
    assert "every new brief, briefs tagged energy" in t[4]
    assert t[5].startswith("Unsubscribed from briefs tagged")
    assert t[6].startswith("You were not subscribed")
    assert t[7].startswith("Unsubscribed: no more")
    assert "no subscriptions" in t[8]


async def test_group_subscriptions_need_an_admin(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                 tmp_path: Path) -> None:
    forum = {"id": -100777, "type": "supergroup", "title": "F", "is_forum": True}
    async with running_bot(bot_env, tmp_path) as app:
        # the stand-in says odd user ids are administrators
        fake_api.push("message", text_message("/subscribe@brief_test_bot", uid=1002,
                                              chat=forum, message_id=1))
        fake_api.push("message", text_message("/subscribe@brief_test_bot", uid=1001,
                                              chat=forum, message_id=2, message_thread_id=55,
                                              is_topic_message=True))
        await eventually(lambda: len(fake_api.texts(-100777)) == 2)
        subs = await app.bot_data.store.subscriptions(-100777)  # type: ignore[union-attr]
        new_brief(Path(bot_env["BRIEFBOT_BRIEFS_DIR"]), "forum-news")
        await eventually(lambda: alerts_to(fake_api, -100777, "Fresh forum-news") == 1)
    texts = fake_api.texts(-100777)
    assert "administrators" in texts[0]
    assert texts[1].startswith("✅ Subscribed: This chat")
    assert subs == [""]
    alert = next(c for c in fake_api.calls_to("sendMessage", -100777)
                 if c.params["text"].startswith("🆕"))
    assert alert.params["message_thread_id"] == 55  # a JSON body keeps numbers numbers


async def test_new_brief_fans_out_once_despite_429_block_and_restart(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    users = list(range(5001, 5031))
    async with running_bot(bot_env, tmp_path) as app:
        store = app.bot_data.store
        assert store is not None
        for uid in users:
            await store.add_subscription(uid, "")
        await store.add_subscription(6001, "trade")  # topic: gets nothing for energy
        fake_api.blocked.add(5003)
        fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 1", times=2,
                      retry_after=1)
        new_brief(folder, "energy-news")
        await eventually(lambda: sum(alerts_to(fake_api, u, "Fresh energy-news")
                                     for u in users) >= 10, timeout=20)
    # graceful restart in the middle of the fan-out
    async with running_bot(bot_env, tmp_path) as app:
        await eventually(lambda: all(alerts_to(fake_api, u, "Fresh energy-news") == 1
                                     for u in users if u != 5003), timeout=30)
        store = app.bot_data.store
        assert store is not None
        assert await store.subscriptions(5003) == []
        # the last alert may have reached the stand-in before its row is counted: read the
        # counts once no row is left (a row is counted in the transaction that deletes it)
        await eventually_async(lambda: _none_left(store), timeout=30)
        results = await store.alert_results("energy-news")
        left = await store.delivery_states("energy-news")
    assert all(alerts_to(fake_api, u, "Fresh energy-news") <= 1 for u in users)
    assert alerts_to(fake_api, 6001, "Fresh energy-news") == 0
    # a send still in flight when the first bot stopped (its answer not back within the grace
    # period on a slow machine) is counted unknown and never repeated: each user still has it
    # exactly once, as asserted above
    assert results.pop("blocked") == 1 and left == {}
    assert results.get("sent", 0) + results.get("unknown", 0) == len(users) - 1, results
    assert set(results) <= {"sent", "unknown"}, results
    alert = next(c for c in fake_api.calls_to("sendMessage", 5001)
                 if c.params["text"].startswith("🆕"))
    assert "Fresh summary." in alert.params["text"]
    assert "https://example.org" in alert.params["text"]
    assert alert.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == \
        "b:energy-news"


async def test_reload_serves_new_set_and_reports_broken_files(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        new_brief(folder, "zebra-farming", tags="[farming]")
        await eventually(lambda: app.bot_data.library.get("zebra-farming") is not None)
        fake_api.push("message", text_message("/brief zebra-farming", message_id=1))
        (folder / "csto-sco.yaml").write_text("id: csto-sco\ntitle: [broken", encoding="utf-8")
        await eventually(lambda: len(fake_api.texts(ADMIN)) == 1)
        fake_api.push("message", text_message("ODKB", message_id=2))
        (folder / "energy-partnership.yaml").unlink()
        await eventually(lambda: app.bot_data.library.get("energy-partnership") is None)
        fake_api.push("inline_query", {"id": "iq", "from": {"id": 1001, "is_bot": False,
                                                            "first_name": "A"},
                                       "query": "", "offset": ""})
        await eventually(lambda: len(fake_api.texts(1001)) == 2
                         and bool(fake_api.calls_to("answerInlineQuery")))
    told = fake_api.texts(ADMIN)[0]
    assert told.startswith("⚠️ Broken brief files") and "<code>csto-sco.yaml:3: YAML syntax " \
        "error: did not find expected ',' or ']'</code>" in told
    texts = fake_api.texts(1001)
    assert texts[0].startswith("<b>Fresh zebra-farming</b>")
    assert texts[1].startswith("<b>Kazakhstan in the CSTO")  # last good version still served
    ids = [r["id"] for r in fake_api.calls_to("answerInlineQuery")[0].params["results"]]
    assert "zebra-farming" in ids and "energy-partnership" not in ids


async def test_blocking_update_drops_subscriptions(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    member = {"status": "member", "user": BOT_USER}
    kicked = {"status": "kicked", "user": BOT_USER, "until_date": 0}
    async with running_bot(bot_env, tmp_path) as app:
        store = app.bot_data.store
        assert store is not None
        await store.add_subscription(1001, "")
        fake_api.push("my_chat_member", {
            "chat": {"id": 1001, "type": "private", "first_name": "A"},
            "from": {"id": 1001, "is_bot": False, "first_name": "A"},
            "date": int(time.time()), "old_chat_member": member, "new_chat_member": kicked})
        for _ in range(250):
            if not await store.subscriptions(1001):
                break
            await asyncio.sleep(0.02)
        assert await store.subscriptions(1001) == []
    assert fake_api.texts(1001) == []


async def _none_left(store: Store) -> bool:
    return await store.delivery_states("energy-news") == {}
