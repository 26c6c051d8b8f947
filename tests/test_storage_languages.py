"""The store's languages: /language choices by pseudonymous key, each subscription's alert
language, the upgrade that adds them, and /forget."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from bot.storage import Store, migrate


async def test_language_choice_is_kept_by_pseudonymous_key_and_forgotten(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "t.db")
    try:
        assert await store.chosen_language(1001) is None
        await store.set_language(1001, "kk")
        await store.set_language(1001, "ru")
        await store.set_language(2002, "en")
        assert await store.chosen_language(1001) == "ru"
        async with store.conn.execute("SELECT user_key FROM languages") as cursor:
            keys = {row[0] for row in await cursor.fetchall()}
        assert keys == {store.user_key(1001), store.user_key(2002)}  # never the raw id
        assert await store.forget_user(1001) == 1
        assert await store.chosen_language(1001) is None
        await store.set_language(2002, None)  # back to automatic
        assert await store.chosen_language(2002) is None
    finally:
        await store.close()


async def test_alerts_go_out_in_each_chats_language(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "t.db")
    try:
        await store.add_subscription(1, "", lang="ru")
        await store.add_subscription(1, "energy", lang="ru")
        await store.add_subscription(2, "")
        await store.add_subscription(3, "", lang="en")
        assert not await store.add_subscription(3, "", lang="kk")  # already: language updated
        await store.record_known([])
        assert await store.enqueue_alert("new", ["energy"]) == 3
        langs = {d.chat_id: d.lang for d in await store.due_deliveries()}
        assert langs == {1: "ru", 2: "en", 3: "kk"}
        await store.set_alert_language(1, "kk")  # e.g. /language kk in that private chat
        assert {d.chat_id: d.lang for d in await store.due_deliveries()}[1] == "kk"
    finally:
        await store.close()


async def test_upgrade_keeps_subscriptions_in_english(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path) as conn:
        await migrate(conn, target=3)
        await conn.execute("INSERT INTO subscriptions (chat_id, tag, created_at) "
                           "VALUES (7, '', 1.0)")
        await conn.commit()
    store = await Store.open(path)
    try:
        assert await store.subscriptions(7) == [""]
        await store.enqueue_alert("x", [])
        assert [(d.chat_id, d.lang) for d in await store.due_deliveries()] == [(7, "en")]
    finally:
        await store.close()
