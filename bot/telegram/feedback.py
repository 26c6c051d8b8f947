"""The readers' side of the editors' loop: 👍 / 👎 on answers, did-you-mean picks, and the
briefs offered after a 👎. Each records what the reader chose (pseudonymously, off the reply
path) and shows what they asked for."""

from __future__ import annotations

import contextlib
import re
import time

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from .. import replies
from ..i18n import _
from ..storage import StoreError
from .handlers import record
from .reader import reader_language
from .send import ptb_button, send_reply
from .state import Context

VOTE = re.compile(rf"^{replies.VOTE_PREFIX}([0-9a-f]{{8}}):([ud])$")
CHOICE = re.compile(rf"^({replies.PICK_PREFIX}|{replies.ALTERNATIVE_PREFIX})"
                    r"([0-9a-f]{8}):([a-z0-9-]{1,60})$")
NONE = re.compile(rf"^{replies.NONE_PREFIX}([0-9a-f]{{8}})$")


async def answer_empty(query: CallbackQuery | None) -> None:
    """Answer a button press with nothing, so it never spins (forged or empty data)."""
    if query is not None:
        await query.answer()


async def _offered(context: Context, ask: str) -> tuple[str, ...]:
    """An answer's runners-up: from memory, else from its logged question."""
    state = context.bot_data
    found = state.recent.get(ask)
    if found is not None:
        return found
    if state.store is None:
        return ()
    question = state.usage.queued_question(ask) if state.usage is not None else None
    try:  # not yet written: from the queue; else from the database (never waiting on a write)
        question = question or await state.store.question_by_ask(ask)
    except StoreError:
        return ()
    return tuple(i for i in (question.offered.split(",") if question else []) if i)


def _marked(current: InlineKeyboardMarkup | None, ask: str, vote: str,
            lang: str) -> InlineKeyboardMarkup:
    """The message's keyboard with the chosen vote marked (other buttons kept as they are)."""
    rows = [list(row) for row in (current.inline_keyboard if current else ())]
    rows = [row for row in rows if not any(
        (b.callback_data or "") == f"{replies.VOTE_PREFIX}{ask}:u" for b in row)]
    rows.append([ptb_button(b) for b in replies.vote_row(ask, vote, lang)])
    return InlineKeyboardMarkup(rows)


async def vote(update: Update, context: Context) -> None:
    """👍 or 👎 on an answer: recorded (a later vote replaces it); 👎 offers the next best."""
    query, user = update.callback_query, update.effective_user
    match = VOTE.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        await answer_empty(query)  # a button without data reaches the first handler
        return
    ask, choice = match.groups()
    helpful = choice == "u"
    lang = await reader_language(context, user)
    await query.answer(_(lang, "Thanks!") if helpful
                       else _(lang, "Thanks — let's find the right one."))
    if context.bot_data.usage is not None:
        context.bot_data.usage.record_vote(user.id, ask, "up" if helpful else "down")
    message = query.message
    if not isinstance(message, Message):
        return
    with contextlib.suppress(BadRequest):  # "message is not modified": the same vote twice
        await message.edit_reply_markup(_marked(message.reply_markup, ask, choice, lang))
    if not helpful:
        library = context.bot_data.library
        await send_reply(message, replies.after_not_helpful(
            library, ask, await _offered(context, ask), lang))


async def choose(update: Update, context: Context) -> None:
    """A did-you-mean button, or a brief offered after a 👎: open it and record the pick."""
    query, user = update.callback_query, update.effective_user
    match = CHOICE.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        await answer_empty(query)  # a button without data reaches the first handler
        return
    prefix, ask, brief_id = match.groups()
    started = time.perf_counter()
    library = context.bot_data.library
    found = library.get(brief_id)
    lang = await reader_language(context, user)
    await query.answer(None if found else _(lang, "That brief is no longer available."))
    if found is not None and context.bot_data.usage is not None:
        via = "suggest" if prefix == replies.PICK_PREFIX else "down"
        context.bot_data.usage.record_pick(user.id, ask, found.id, via)
    if isinstance(query.message, Message):
        reply = replies.brief_reply(library, found, lang) if found \
            else replies.gone_brief(lang)
        await send_reply(query.message, reply)
    if found is not None:
        record(context, update, "button", found.id, None, started, brief=found.id)


async def none_of_these(update: Update, context: Context) -> None:
    """"None of these" after a 👎: thank the reader; the question stays for the editors."""
    query, user = update.callback_query, update.effective_user
    match = NONE.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        await answer_empty(query)  # a button without data reaches the first handler
        return
    await query.answer()
    if context.bot_data.usage is not None:
        context.bot_data.usage.record_pick(user.id, match.group(1), "", "none")
    if isinstance(query.message, Message):
        lang = await reader_language(context, user)
        await send_reply(query.message, replies.none_of_these(lang))
