"""Concurrent updates that keep each chat's order and share the worker slots fairly.

Processing updates one at a time makes every user wait for every other user's Telegram round
trip; PTB's plain concurrency answers one chat's messages out of order. This processor runs up
to `limit` updates at once, but a chat's (or, outside chats, a user's) updates strictly in the
order they arrived, one at a time: a busy chat waits in its own queue, never in a slot other
chats need, so however much one chat sends it holds at most one slot.

Each chat's queue is bounded: past PER_CHAT_WAITING waiting messages, buttons and inline
queries, the oldest waiting one is dropped (counted in the log; `on_flood` hears of the first
of a spell, so the chat can be told once, and `on_drop` of each, so a dropped button press can
still be answered), so a flood costs its chat its oldest questions and nobody else anything.
A handler waiting out Telegram's flood control gives its slot back meanwhile
(`wait_without_slot`).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# Updates admitted past PTB's own semaphore (which is first come, first served across all
# chats): high, so a flood queues in its own chat's queue, not in front of other chats.
ADMITTED = 100_000
PER_CHAT_WAITING = 20  # waiting updates one chat may have before its oldest are dropped


def order_key(update: object) -> int | None:
    """The chat an update belongs to (the user for inline queries), else None (unordered)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def droppable(update: object) -> bool:
    """Messages, button presses and inline queries may be shed in a flood; anything else
    (a block, a member change) always runs."""
    return isinstance(update, Update) and (
        update.message is not None or update.callback_query is not None
        or update.inline_query is not None or update.edited_message is not None)


@dataclass(eq=False)
class _Ticket:
    turn: asyncio.Future[bool]  # True: its turn came; False: dropped from the queue
    droppable: bool
    update: object = None


@dataclass
class _Chat:
    queue: deque[_Ticket] = field(default_factory=deque)  # the head is running
    dropped: int = 0  # in this busy spell; logged when the chat's queue empties


class _Slot:
    """One worker slot, held while an update runs; given back while it only waits."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.held = False

    async def acquire(self) -> None:
        await self.slots.acquire()
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()


_SLOT: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar("briefbot_slot",
                                                                     default=None)


async def wait_without_slot(seconds: float) -> None:
    """Sleep with this update's worker slot given back (e.g. waiting out a 429), then take a
    slot again; outside PerChatOrder, just sleep. The chat's place in its order is kept."""
    slot = _SLOT.get()
    if slot is None or not slot.held:
        await asyncio.sleep(seconds)
        return
    slot.release()
    try:
        await asyncio.sleep(seconds)
    finally:
        await slot.acquire()


class PerChatOrder(BaseUpdateProcessor):
    """Up to `limit` updates at a time; one chat's updates one after another, in order, with at
    most `per_chat` of them waiting."""

    def __init__(self, limit: int, per_chat: int = PER_CHAT_WAITING) -> None:
        super().__init__(max(ADMITTED, limit))
        self.limit = limit
        self.per_chat = per_chat
        self._slots = asyncio.Semaphore(limit)
        self._chats: dict[int, _Chat] = {}
        self.dropped_total = 0
        self.on_flood: Callable[[object], object] | None = None  # told once a flooding spell
        self.on_drop: Callable[[object], object] | None = None  # told of every dropped update

    async def do_process_update(self, update: object,
                                coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free slot, then process."""
        key = order_key(update)
        try:
            if key is None:
                await self._run(coroutine)
                return
            chat = self._chats.setdefault(key, _Chat())
            ticket = _Ticket(asyncio.get_running_loop().create_future(), droppable(update),
                             update)
            chat.queue.append(ticket)
            if len(chat.queue) == 1:
                ticket.turn.set_result(True)
            else:
                self._shed(key, chat)
            try:
                if await ticket.turn:
                    await self._run(coroutine)
            finally:
                self._leave(key, chat, ticket)
        finally:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()  # dropped or cancelled before it ran: no "never awaited"

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        slot = _Slot(self._slots)
        await slot.acquire()
        token = _SLOT.set(slot)
        try:
            await coroutine
        finally:
            _SLOT.reset(token)
            slot.release()

    def _shed(self, key: int, chat: _Chat) -> None:
        """Drop the chat's oldest waiting droppable updates beyond `per_chat` waiting."""
        waiting = [t for t in list(chat.queue)[1:] if t.droppable]
        for ticket in waiting[:max(0, len(waiting) - self.per_chat)]:
            chat.queue.remove(ticket)
            ticket.turn.set_result(False)
            if chat.dropped == 0:
                log.warning("chat %s sends faster than it can be answered: its oldest waiting "
                            "updates are dropped (at most %d wait)", key, self.per_chat)
                if self.on_flood is not None:
                    self.on_flood(ticket.update)
            chat.dropped += 1
            self.dropped_total += 1
            if self.on_drop is not None:
                self.on_drop(ticket.update)

    def _leave(self, key: int, chat: _Chat, ticket: _Ticket) -> None:
        """Take a finished, dropped or cancelled ticket out; wake the next in the chat."""
        if chat.queue and chat.queue[0] is ticket:
            chat.queue.popleft()
            if chat.queue and not chat.queue[0].turn.done():
                chat.queue[0].turn.set_result(True)
        elif ticket in chat.queue:
            chat.queue.remove(ticket)
        if not chat.queue and self._chats.get(key) is chat:
            del self._chats[key]
            if chat.dropped:
                log.warning("chat %s: %d update(s) dropped while it sent faster than it could "
                            "be answered", key, chat.dropped)

    @property
    def waiting_chats(self) -> int:
        """Chats with updates in progress or queued (for tests and diagnostics)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release (PTB awaits the updates in progress before shutting down)."""
