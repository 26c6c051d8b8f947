"""Concurrent updates that keep each chat's order.

Processing updates one at a time makes every user wait for every other user's Telegram round
trip; PTB's plain concurrency answers one chat's messages out of order. This processor runs up
to `limit` updates at once, but a chat's (or, outside chats, a user's) updates strictly in the
order they arrived. A busy chat waits on its own lock, not in a slot other chats need.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

ADMITTED = 4096  # updates admitted past PTB's own semaphore; `limit` is the real bound


def order_key(update: object) -> int | None:
    """The chat an update belongs to (the user for inline queries), else None (unordered)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    updates: int = 0  # in progress or waiting; the entry goes when this drops to 0


class PerChatOrder(BaseUpdateProcessor):
    """Up to `limit` updates at a time; one chat's updates one after another, in order."""

    def __init__(self, limit: int) -> None:
        super().__init__(max(ADMITTED, limit))
        self.limit = limit
        self._slots = asyncio.Semaphore(limit)
        self._chats: dict[int, _Chat] = {}

    async def do_process_update(self, update: object,
                                coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free slot, then process."""
        key = order_key(update)
        try:
            if key is None:
                async with self._slots:
                    await coroutine
                return
            chat = self._chats.setdefault(key, _Chat())
            chat.updates += 1
            try:
                async with chat.lock, self._slots:
                    await coroutine
            finally:
                chat.updates -= 1
                if chat.updates == 0:
                    del self._chats[key]
        finally:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled before it ran: no "never awaited" warning

    @property
    def waiting_chats(self) -> int:
        """Chats with updates in progress or queued (for tests and diagnostics)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release (PTB awaits the updates in progress before shutting down)."""
