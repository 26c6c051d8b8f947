"""Turning core Replies into Telegram messages and keyboards."""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import lru_cache
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, RetryAfter

from ..render import Button, Reply

MAX_FLOOD_RETRIES = 2
MAX_FLOOD_WAIT = 60.0


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (None when it has none)."""
    return markup(reply.buttons) if reply.buttons else None


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard whose Bot API form is worked out once per distinct keyboard: PTB
    would otherwise walk every button's attributes again on each send. PTB objects are
    frozen, so the cached form cannot go stale."""

    __slots__ = ()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The Bot API form (a shallow copy, so callers may add keys)."""
        return dict(_bot_api_form(self))


@lru_cache(maxsize=1024)
def _bot_api_form(keyboard: InlineKeyboardMarkup) -> dict[str, Any]:
    return InlineKeyboardMarkup.to_dict(keyboard)


@lru_cache(maxsize=1024)
def markup(buttons: tuple[tuple[Button, ...], ...]) -> Keyboard:
    """Built once per distinct keyboard (shared between sends, which is safe: it is frozen)."""
    return Keyboard([
        [InlineKeyboardButton(b.text, url=b.url) if b.url
         else InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
        for row in buttons
    ])


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds (an int, or a timedelta with PTB_TIMEDELTA)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


async def send_reply(message: Message, reply: Reply) -> list[Message]:
    """Send every message of a reply in the message's chat (and forum topic).

    Replies are not throttled (they answer the user's own messages); alerts are paced by the
    outbox. A flood-control answer is honoured: wait `retry_after` (up to a minute), then retry.
    """
    sent = []
    last = len(reply.messages) - 1
    for i, text in enumerate(reply.messages):
        below = keyboard(reply) if i == last else None
        for attempt in range(MAX_FLOOD_RETRIES + 1):
            try:
                sent.append(await message.reply_text(text, reply_markup=below, do_quote=False))
                break
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == MAX_FLOOD_RETRIES or wait > MAX_FLOOD_WAIT:
                    raise
                await asyncio.sleep(wait)
    return sent


async def edit_reply(message: Message, reply: Reply) -> None:
    """Replace a one-message reply in place (e.g. paging /topics); unchanged is fine."""
    try:
        await message.edit_text(reply.messages[0], reply_markup=keyboard(reply))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
