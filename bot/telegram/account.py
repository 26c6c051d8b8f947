"""Commands about the user's own data and the editors' view: /forget and /stats."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Message, Update

from ..config import SECONDS_PER_DAY, STATS_WINDOW_DAYS
from ..editorial import Editorial, editorial_for
from ..i18n import _, ngettext
from ..render import MAX_MESSAGE, Reply
from ..report_html import render_report_html
from ..stats import ReportCancelled, Stop, Usage, read_usage, report_text
from ..storage import StoreError
from .handlers import record_command
from .reader import reader_language
from .send import busy_reply, send_reply
from .state import Context

log = logging.getLogger(__name__)


async def forget(update: Update, context: Context) -> None:
    """/forget: delete everything stored about the user, and confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    state = context.bot_data
    lang = await reader_language(context, user)  # the reply is in it; then it is forgotten
    if state.usage is not None:
        state.usage.forget(user.id)  # nothing queued before /forget survives it
    try:
        removed = await state.store.forget_user(user.id) if state.store else 0
    except StoreError as exc:
        if not exc.busy:
            raise
        await send_reply(message, busy_reply(lang))
        return
    state.readers.forget(user.id)
    text = ngettext(
        lang, "Done: I deleted everything I had stored about you ({count} record: questions, "
        "votes, picks, commands, subscriptions, your language choice and alerts not yet "
        "sent). Anything you send from now on is logged again as /help describes.",
        "Done: I deleted everything I had stored about you ({count} records: questions, "
        "votes, picks, commands, subscriptions, your language choice and alerts not yet "
        "sent). Anything you send from now on is logged again as /help describes.",
        removed).format(count=removed)
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
    usage = await read_usage(state.store, time.time() - STATS_WINDOW_DAYS * SECONDS_PER_DAY)
    try:
        await _send_report(message, usage, lang, state.stopping.is_set,
                           bool(context.args and context.args[0].lower() == "html"),
                           editorial_for(state.library))  # titles; chatter told from gaps
    except ReportCancelled:
        log.info("a /stats report was abandoned: the bot is stopping")


async def _send_report(message: Message, usage: Usage, lang: str, stop: Stop,
                       html: bool, editorial: Editorial) -> None:
    """The report as one message, or (html) as a page sent as a file."""
    days = STATS_WINDOW_DAYS
    # the report itself is the editors' English, as `briefbot stats` prints it
    if html:
        report = await asyncio.to_thread(usage.report, 20, stop, editorial)  # off the loop
        page = await asyncio.to_thread(render_report_html, report, usage.days(editorial))
        await message.reply_document(
            page.encode(), filename="briefbot-report.html",
            caption=ngettext(lang, "briefbot report, last {days} day: open it in a browser.",
                             "briefbot report, last {days} days: open it in a browser.",
                             days).format(days=days))
        return
    report = await asyncio.to_thread(usage.report, 10, stop, editorial)
    head = ngettext(lang, "<i>Last {days} day</i> (<code>/stats html</code>: the full report)",
                    "<i>Last {days} days</i> (<code>/stats html</code>: the full report)",
                    days).format(days=days) + "\n"
    text = head + report_text(report, html=True, limit=MAX_MESSAGE - len(head))
    await send_reply(message, Reply((text,)))
