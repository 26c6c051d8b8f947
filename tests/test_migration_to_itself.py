"""A migration answer that names the chat's own id (a garbled or forged answer) unsubscribes
nobody: moving a chat onto itself changes nothing."""

from __future__ import annotations

from bot.storage import Store


async def test_a_chat_moved_onto_itself_keeps_its_subscriptions(store: Store) -> None:
    await store.add_subscription(-5, "")
    await store.add_subscription(-5, "energy")
    await store.migrate_chat(-5, -5)
    assert sorted(await store.subscriptions(-5)) == ["", "energy"]
