"""Commands about the user's own data and the editors' view: /forget and /stats."""

from __future__ import annotations

import asyncio
import time

from telegram import Update

from ..config import SECONDS_PER_DAY, STATS_WINDOW_DAYS
from ..render import MAX_MESSAGE, Reply
from ..report_html import render_report_html
from ..stats import read_usage, report_text
from .handlers import record_command
from .send import send_reply
from .state import Context


async def forget(update: Update, context: Context) -> None:
    """/forget: delete everything stored about the user, and confirm."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    state = context.bot_data
    if state.usage is not None:
        await state.usage.drain()  # so nothing queued before /forget survives it
    removed = await state.store.forget_user(user.id) if state.store else 0
    text = ("Done: I deleted everything I had stored about you "
            f"({removed} record{'s' if removed != 1 else ''}: questions, commands, "
            "subscriptions and alerts not yet sent). "
            "Anything you send from now on is logged again as /help describes.")
    await send_reply(message, Reply((text,)))


async def stats(update: Update, context: Context) -> None:
    """/stats: the editors' usage summary, for admins only."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    state = context.bot_data
    record_command(context, update, "stats")
    if not state.is_admin(user.id):
        await send_reply(message, Reply(("/stats is for the bot's editors (admins) only.",)))
        return
    if state.store is None:
        await send_reply(message, Reply(("Statistics are not available: no database.",)))
        return
    if state.usage is not None:
        await state.usage.drain()
    usage = await read_usage(state.store, time.time() - STATS_WINDOW_DAYS * SECONDS_PER_DAY)
    if context.args and context.args[0].lower() == "html":
        report = await asyncio.to_thread(usage.report)  # CPU-bound: off the loop
        page = await asyncio.to_thread(render_report_html, report, usage.days())
        await message.reply_document(
            page.encode(), filename="briefbot-report.html",
            caption=f"briefbot report, last {STATS_WINDOW_DAYS} days: open it in a browser.")
        return
    report = await asyncio.to_thread(usage.report, 10)
    head = f"<i>Last {STATS_WINDOW_DAYS} days</i> (<code>/stats html</code>: the full report)\n"
    text = head + report_text(report, html=True, limit=MAX_MESSAGE - len(head))
    await send_reply(message, Reply((text,)))
