"""Turning core Replies into Telegram messages and keyboards."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable
from functools import lru_cache
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from ..i18n import _
from ..render import Button, Reply
from ..storage import StoreError
from .ordering import wait_without_slot
from .request import GarbledAnswer, ProxyPage, never_sent

MAX_FLOOD_RETRIES = 2
MAX_FLOOD_WAIT = 30.0  # seconds; a reply told to wait longer gives up (the reader has moved on)
RETRY_PAUSE = 0.5  # seconds before the one retry of a reply that did not reach Telegram

log = logging.getLogger(__name__)


JSONDict = dict[str, Any]


def keyboard(reply: Reply) -> JSONDict | None:
    """The reply's buttons in their Bot API form (`reply_markup`), None when it has none.

    Rows of fixed buttons (a brief's related briefs, the topic list) are built and serialized
    once, by PTB, and shared; a row that carries an answer's own id (👍/👎, did-you-mean picks)
    is written straight into the Bot API form. Sent through `api_kwargs` (PTB's public way to
    pass a parameter as Telegram takes it), so nothing is built twice per send.
    """
    if not reply.buttons:
        return None
    return {"inline_keyboard": [
        _single_use_row(row) if any(b.per_message for b in row) else _fixed_row(row)
        for row in reply.buttons]}


def markup_kwargs(reply: Reply) -> JSONDict:
    """`api_kwargs` that attach the reply's keyboard to a send or an edit (none: empty)."""
    form = keyboard(reply)
    return {"reply_markup": form} if form is not None else {}


@lru_cache(maxsize=4096)
def _fixed_row(row: tuple[Button, ...]) -> list[JSONDict]:
    """A row's Bot API form, as PTB serializes it (shared: never changed after this)."""
    return [ptb_button(b).to_dict() for b in row]


def _single_use_row(row: tuple[Button, ...]) -> list[JSONDict]:
    """A row used once: the same form as `_fixed_row`, without building PTB objects."""
    return [{"text": b.text, "url": b.url} if b.url else {"text": b.text, "callback_data": b.data}
            for b in row]


def ptb_button(b: Button) -> InlineKeyboardButton:
    """A button as a PTB object."""
    return (InlineKeyboardButton(b.text, url=b.url) if b.url
            else InlineKeyboardButton(b.text, callback_data=b.data))


@lru_cache(maxsize=1024)
def markup(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """A keyboard as a PTB object (alerts, edited keyboards), built once per distinct one
    (shared between sends, which is safe: PTB objects are frozen)."""
    return InlineKeyboardMarkup([[ptb_button(b) for b in row] for row in buttons])


def busy_reply(lang: str) -> Reply:
    """What a change the database could not take (another process kept it locked) answers."""
    return Reply((_(lang, "The database is busy — please try again in a minute."),))


async def or_busy(change: Awaitable[Reply], lang: str) -> Reply:
    """The reply of a database change, or `busy_reply` when another process kept the
    database locked past the busy timeout (other failures are raised)."""
    try:
        return await change
    except StoreError as exc:
        if not exc.busy:
            raise
        log.warning("a change was refused, the database is busy: %s", exc)
        return busy_reply(lang)


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds (an int, or a timedelta with PTB_TIMEDELTA)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)


async def send_reply(message: Message, reply: Reply) -> list[Message]:
    """Send every message of a reply in the message's chat (and forum topic); in groups the
    first one replies to the message it answers.

    Replies are not throttled (they answer the user's own messages); alerts are paced by the
    outbox. Once part of a reply is out, a later failure is logged, not raised: the error
    handler's apology must never follow what the user already has.
    """
    sent: list[Message] = []
    maybe_sent = False
    last = len(reply.messages) - 1
    thread = None if message.chat.type == ChatType.PRIVATE else \
        ReplyParameters(message.message_id, allow_sending_without_reply=True)
    for i, text in enumerate(reply.messages):
        below = markup_kwargs(reply) if i == last else None
        try:
            result = await send_one(message, text, below, thread if i == 0 else None)
        except TelegramError as exc:
            if not sent and not maybe_sent:
                raise
            log.error("reply to chat %s cut short after %d message(s): %s", message.chat_id,
                      len(sent), exc)
            break
        if result is None:
            maybe_sent = True
        else:
            sent.append(result)
    return sent


async def send_one(message: Message, text: str, below: JSONDict | None,
                   quote: ReplyParameters | None) -> Message | None:
    """One message (`below`: its keyboard, from `markup_kwargs`). Flood control is honoured
    (up to MAX_FLOOD_WAIT, twice), with the worker slot given back meanwhile; a call that
    surely did not reach Telegram (no connection, a 5xx answer whatever its body, a proxy's
    HTML page) is tried once more; a call that timed out or broke after it was sent, or got
    garbled JSON, may have arrived, so it is not repeated: None."""
    floods = 0
    retried = False
    while True:
        try:
            return await message.reply_text(text, do_quote=False, reply_parameters=quote,
                                             api_kwargs=below or None)
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            floods += 1
            if floods > MAX_FLOOD_RETRIES or wait > MAX_FLOOD_WAIT:
                raise
            await wait_without_slot(wait)
        except GarbledAnswer as exc:
            if not isinstance(exc, ProxyPage):  # garbled JSON: Telegram may have sent it
                log.warning("reply to chat %s may have arrived (%s); not sent twice",
                            message.chat_id, exc)
                return None
            if retried:  # a proxy's page: it never reached Telegram
                raise
            retried = True
            log.warning("reply to chat %s got a proxy's page; trying once more",
                        message.chat_id)
            await wait_without_slot(RETRY_PAUSE)
        except BadRequest:  # a NetworkError in PTB, but Telegram's final word
            raise
        except NetworkError as exc:  # TimedOut included
            if never_sent(exc) or exc.__cause__ is None:  # not sent, or refused by the server
                if retried:
                    raise
                retried = True
                log.warning("reply to chat %s failed (%s); trying once more", message.chat_id,
                            exc)
                await wait_without_slot(RETRY_PAUSE)
                continue
            log.warning("reply to chat %s may not have arrived (%s); not sent twice",
                        message.chat_id, exc)
            return None


async def edit_reply(message: Message, reply: Reply) -> None:
    """Replace a one-message reply in place (e.g. paging /topics); unchanged is fine."""
    try:
        await message.edit_text(reply.messages[0], api_kwargs=markup_kwargs(reply) or None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
