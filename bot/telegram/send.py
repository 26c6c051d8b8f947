"""Turning core Replies into Telegram messages and keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from ..render import Reply


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (None when it has none)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b.text, url=b.url) if b.url
         else InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
        for row in reply.buttons
    ])


async def send_reply(message: Message, reply: Reply) -> list[Message]:
    """Send every message of a reply in the message's chat (and forum topic)."""
    sent = []
    last = len(reply.messages) - 1
    for i, text in enumerate(reply.messages):
        markup = keyboard(reply) if i == last else None
        sent.append(await message.reply_text(text, reply_markup=markup, do_quote=False))
    return sent


async def edit_reply(message: Message, reply: Reply) -> None:
    """Replace a one-message reply in place (e.g. paging /topics); unchanged is fine."""
    try:
        await message.edit_text(reply.messages[0], reply_markup=keyboard(reply))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
