"""Background work on the Telegram side: reloading briefs and delivering alerts."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError
from telegram.ext import ExtBot

from ..briefs import Brief
from ..i18n import _
from ..notices import broken_files_notice
from ..pacing import Pause
from ..render import Button, brief_title, esc, render_alert, shorten
from ..replies import BRIEF_PREFIX
from ..storage import Delivery, StoreError
from .answers import classify
from .send import markup
from .state import BotState, Context
from .subscriptions import UNSUBSCRIBE_DATA

log = logging.getLogger(__name__)
YIELD_BUDGET = 0.5  # seconds one re-index may spend waiting for updates in progress
YIELD_STEP = 0.0005
RELOAD_SWITCH_INTERVAL = 0.0005  # seconds; Python's default of 0.005 starves the event loop
# An alert whose answer is late is never sent again (at most once), so wait long for it: a slow
# Bot API that answers after 6 s still delivers each alert once.
ALERT_READ_TIMEOUT = 30.0
ALERT_WRITE_TIMEOUT = 30.0


def make_sender(bot: ExtBot[None]) -> Callable[[Delivery, Brief], Awaitable[int | None]]:
    """The alert send function: one message in the chat's language, with buttons to read the
    brief and to unsubscribe; every Telegram answer mapped to an outcome (answers.py)."""

    async def send(delivery: Delivery, brief: Brief) -> int | None:
        lang = delivery.lang
        title = shorten(brief_title(brief, lang), 50)
        buttons = markup((  # built once per brief and language
            (Button(_(lang, "Read: {title}").format(title=title), data=BRIEF_PREFIX + brief.id),),
            (Button(_(lang, "🔕 Unsubscribe"), data=UNSUBSCRIBE_DATA),),
        ))
        try:
            message = await bot.send_message(delivery.chat_id, render_alert(brief, lang),
                                             reply_markup=buttons,
                                             message_thread_id=delivery.thread_id,
                                             read_timeout=ALERT_READ_TIMEOUT,
                                             write_timeout=ALERT_WRITE_TIMEOUT)
        except TelegramError as exc:
            raise classify(exc) from exc
        return message.message_id

    return send


def admin_notifier(context: Context) -> Callable[[str], Awaitable[None]]:
    """A plain-text notice to every admin (escaped for HTML), for the alert sender."""

    async def notify(text: str) -> None:
        await notify_admins(context, context.bot_data, f"⚠️ {esc(text)}")

    return notify


async def notify_admins(context: Context, state: BotState, text: str) -> None:
    """Tell every admin; a failure to reach one is logged, not raised."""
    if state.settings is None:
        return
    for admin in sorted(state.settings.admin_ids):
        try:
            await context.bot.send_message(admin, text)
        except Exception as exc:  # one unreachable admin must not stop the reload
            log.warning("could not notify admin %s: %s", admin, exc)


async def _tell_admins(context: Context, state: BotState, messages: list[str]) -> None:
    for text in messages:
        await notify_admins(context, state, text)


def yield_to_updates(busy: Callable[[], bool], budget: float = YIELD_BUDGET) -> Pause:
    """A pause for re-indexing in a worker thread: a short sleep at every pause, and while
    updates are being handled, more (up to `budget` in all, so a busy bot still reloads)."""
    waited = 0.0

    def pause() -> None:
        nonlocal waited
        time.sleep(YIELD_STEP)  # even when idle, indexing takes at most about half the time
        while waited < budget and busy():
            time.sleep(YIELD_STEP)
            waited += YIELD_STEP

    return pause


async def reload_briefs(context: Context) -> None:
    """Job: rescan the briefs folder; serve the new set, report broken files, queue alerts."""
    state = context.bot_data
    watcher = state.watcher
    if watcher is None:
        return
    switch = sys.getswitchinterval()
    sys.setswitchinterval(RELOAD_SWITCH_INTERVAL)  # let replies grab the GIL while we index
    processor = context.application.update_processor
    try:
        result = await asyncio.to_thread(
            watcher.scan, yield_to_updates(lambda: processor.current_concurrent_updates > 0))
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        log.error("briefs folder unavailable, keeping the current briefs: %s", exc)
        return
    finally:
        sys.setswitchinterval(switch)
    # a warning (a related id that is not a brief yet) is no broken file: the bot ignores it
    problems = {str(e): e for e in result.problems if not e.warning}
    fresh = [e for text, e in problems.items() if text not in state.broken_files]
    state.broken_files = set(problems)
    if result.library is not None:  # served first: telling the admins must not delay it
        state.library = result.library
        log.info("briefs reloaded: %d served (+%d, -%d)", len(result.library.briefs),
                 len(result.added), len(result.removed))
    for problem in fresh:
        log.warning("brief problem (last good version stays in service): %s", problem)
    notices = broken_files_notice(fresh, watcher.folder)
    if notices:  # in the background, so the next reload is not held by a slow Bot API
        context.application.create_task(_tell_admins(context, state, notices),
                                        name="broken-files-notice")
    if result.library is None:
        if state.announcer is not None and state.announcer.due:  # the database refused
            await announce(state)
        return
    if state.alerts is not None:
        await state.alerts.release_changed(result.library)
    if result.added or (state.announcer is not None and state.announcer.due):
        await announce(state)


async def announce(state: BotState) -> None:
    """Queue alerts for new briefs (kept due while the database refuses) and wake the sender."""
    if state.announcer is not None and await state.announcer.announce(state.library) \
            and state.alerts is not None:
        state.alerts.poke()


def every(seconds: float, job: Callable[[Context], Awaitable[None]], context: Context,
          name: str) -> asyncio.Task[None]:
    """Run `job` every `seconds` on the event loop's monotonic clock (a wall clock set back
    by an NTP correction delays nothing); a failed run is logged and the next one comes."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job(context)
            except Exception:  # one failed run must not end the schedule
                log.exception("%s failed; running it again in %.1f s", name, seconds)

    return asyncio.get_running_loop().create_task(loop(), name=name)


async def check_database(context: Context) -> None:
    """Job: notice a database file deleted or replaced under the running bot. A deleted one
    is written back from the open connection (which still holds everything); a replaced one
    is left alone and reported (the bot keeps using the file it opened until restarted)."""
    state = context.bot_data
    store = state.store
    if store is None or state.database_alarm:
        return
    found = await store.file_state()
    if found == "ok":
        return
    if found == "replaced":
        state.database_alarm = True
        text = (f"DATABASE FILE {store.path} WAS REPLACED while the bot was running; the bot "
                "keeps writing to the file it opened, which is lost at the next restart. "
                "Restart it to use the new file.")
        log.critical("%s", text)
        await notify_admins(context, state, f"⚠️ {esc(text)}")
        return
    log.critical("DATABASE FILE %s WAS DELETED while the bot was running; writing it back "
                 "from the open connection (subscriptions and usage kept)", store.path)
    try:
        await store.restore_file()
    except StoreError as exc:
        state.database_alarm = True
        log.critical("%s; everything stored since start is lost at the next restart", exc)
        await notify_admins(context, state, f"⚠️ {esc(str(exc))}")
        return
    log.error("database %s restored; the bot goes on with it", store.path)
    await notify_admins(context, state, f"⚠️ The database file {esc(str(store.path))} was "
                        "deleted while the bot was running. It has been written back from the "
                        "open connection; nothing was lost.")
