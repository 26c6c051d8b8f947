"""Commands about the user's own data and the editors' view: /forget and /stats."""

from __future__ import annotations

import asyncio
import time

from telegram import Update

from ..i18n import _, ngettext
from ..render import MAX_MESSAGE, Reply
from ..stats import build_report, report_text
from .handlers import record_command
from .reader import reader_language
from .send import send_reply
from .state import Context

STATS_WINDOW_DAYS = 30


async def forget(update: Update, context: Context) -> None:
    """/forget: delete everything stored about the user, and confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    state = context.bot_data
    lang = await reader_language(context, user)  # the reply is in it; then it is forgotten
    if state.usage is not None:
        await state.usage.drain()  # so nothing queued before /forget survives it
    removed = await state.store.forget_user(user.id) if state.store else 0
    state.readers.forget(user.id)
    text = ngettext(
        lang, "Done: I deleted everything I had stored about you ({count} record: questions, "
        "commands, subscriptions, your language choice and alerts not yet sent). Anything you "
        "send from now on is logged again as /help describes.",
        "Done: I deleted everything I had stored about you ({count} records: questions, "
        "commands, subscriptions, your language choice and alerts not yet sent). Anything you "
        "send from now on is logged again as /help describes.", removed).format(count=removed)
    await send_reply(message, Reply((text,)))


async def stats(update: Update, context: Context) -> None:
    """/stats: the editors' usage summary, for admins only."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    state = context.bot_data
    record_command(context, update, "stats")
    lang = await reader_language(context, user)
    if not state.is_admin(user.id):
        await send_reply(message, Reply((_(lang, "/stats is for the bot's editors (admins) "
                                                 "only."),)))
        return
    if state.store is None:
        await send_reply(message, Reply((_(lang, "Statistics are not available: no "
                                                 "database."),)))
        return
    if state.usage is not None:
        await state.usage.drain()
    since = time.time() - STATS_WINDOW_DAYS * 86400
    questions = await state.store.questions(since)
    commands = await state.store.command_counts(since)
    report = await asyncio.to_thread(build_report, questions, commands,
                                     await state.store.dropped(), 10)  # CPU-bound: off the loop
    # the report itself is the editors' English, as `briefbot stats` prints it
    head = "<i>" + ngettext(lang, "Last {days} day", "Last {days} days",
                            STATS_WINDOW_DAYS).format(days=STATS_WINDOW_DAYS) + "</i>\n"
    text = head + report_text(report, html=True, limit=MAX_MESSAGE - len(head))
    await send_reply(message, Reply((text,)))
