"""Application wiring: logging that hides the token, one ordered handler list, lifecycle."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from dataclasses import fields
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from ..alerts import AlertSender, Announcer
from ..config import ConfigError, Settings, StartupError, briefs_folder_error
from ..dbfile import lock_database, unlock_database
from ..redact import RedactToken, install_excepthooks
from ..reload import BriefWatcher
from ..render import esc
from ..storage import Store, StoreError
from ..usage import UsageLog
from . import account, feedback, handlers, inline, jobs, language, subscriptions
from .jobs import admin_notifier, make_sender
from .lifecycle import Webhook, serve
from .ordering import PerChatOrder
from .request import JSONRequest
from .state import BotState

log = logging.getLogger("briefbot")

DATABASE_CHECK_SECONDS = 5.0  # how often the database file is looked for
API_CONNECTIONS = 256  # PTB's default pool for bot calls (getUpdates has its own)


def configure_logging(settings: Settings) -> None:
    """Log to stderr, never the token; quiet httpx's per-request lines (they carry URLs);
    warnings and uncaught exceptions go through the same redaction."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(settings.telegram_token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore", "apscheduler", "tornado.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    install_excepthooks(settings.telegram_token)


async def post_init(app: Application) -> None:
    """Open the database and the usage writer, register the command menu, say what is served."""
    state: BotState = app.bot_data
    settings = state.settings
    if settings is None:  # build_application always sets them
        raise StartupError("the bot was built without settings")
    try:
        state.store = await Store.open(settings.db_path, settings.pseudonym_key,
                                       new_key=settings.new_key)
    except StoreError as exc:
        raise StartupError(f"{exc} (set BRIEFBOT_DB)") from None
    try:  # one process per database: a second one would send every alert again
        state.database_lock = await asyncio.to_thread(lock_database, settings.db_path)
    except StoreError as exc:
        raise StartupError(str(exc)) from None
    state.store.on_failure = lambda message: alarm_admins(app, message)
    state.usage = UsageLog(state.store, settings.log_retention_days)
    state.usage.start()
    state.announcer = Announcer(state.store)
    await state.announcer.announce(state.library)  # briefs added while the bot was down
    context = app.context_types.context(application=app)
    state.alerts = AlertSender(state.store, make_sender(app.bot), lambda: state.library,
                               rate=settings.alerts_per_second, notify=admin_notifier(context))
    state.alerts.start()  # resumes whatever the outbox still holds
    # on the loop's monotonic clock, not the job queue's wall clock (see jobs.every)
    state.tickers = [
        jobs.every(settings.reload_seconds, jobs.reload_briefs, context, "reload-briefs"),
        jobs.every(DATABASE_CHECK_SECONDS, jobs.check_database, context, "check-database"),
    ]
    await language.set_command_menus(app.bot)
    settle_heap()
    folder = state.library.folder
    log.info("serving %d briefs from %s as @%s", len(state.library.briefs), folder,
             app.bot.username)


def alarm_admins(app: Application, problem: str) -> None:
    """Tell the admins, once per failing spell, that the database cannot be written (a
    damaged file, a full disk): replies go on, but what they would store is being lost."""
    state: BotState = app.bot_data
    text = (f"⚠️ {esc(problem)}\nReplies go on, but usage records and subscription changes "
            "are not being stored until this is fixed (see the log).")

    async def tell() -> None:
        for admin in sorted(state.settings.admin_ids if state.settings else ()):
            try:
                await app.bot.send_message(admin, text)
            except TelegramError as exc:
                log.warning("could not tell admin %s about the database: %s", admin, exc)

    app.create_task(tell(), name="database-alarm")


def settle_heap() -> None:
    """Exempt what start-up built (briefs, index, libraries) from full garbage collections:
    with 1,000 briefs one full pass held the interpreter for ~45 ms, stalling replies."""
    gc.collect()
    gc.freeze()


async def stop_alerts(app: Application) -> None:
    """Before the HTTP client closes: stop the reload and database watch, let alert sends in
    flight finish and be recorded."""
    state: BotState = app.bot_data
    for ticker in state.tickers:
        ticker.cancel()
    await asyncio.gather(*state.tickers, return_exceptions=True)
    state.tickers = []
    if state.alerts is not None:
        await state.alerts.close()
        state.alerts = None


async def shutdown_state(app: Application) -> None:
    """Close what post_init opened: drain the usage writer, then close the database."""
    state: BotState = app.bot_data
    if state.usage is not None:
        await state.usage.close()
        state.usage = None
    if state.store is not None:
        await state.store.close()
        state.store = None
    if state.database_lock is not None:
        unlock_database(state.database_lock)
        state.database_lock = None


def add_handlers(app: Application) -> None:
    """Every handler, in the order PTB should try them."""
    private = filters.ChatType.PRIVATE
    # Only new messages (and channel posts) are answered: an edited message was answered
    # when it was sent, and a business account's customers did not write to the bot.
    new = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    # Free-text questions first: most updates are questions, and no handler below takes
    # text that is not a command (groups: only when the bot is mentioned or replied to).
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, handlers.question))
    # Commands users type (private chats and groups; `/cmd@bot` in groups).
    app.add_handler(CommandHandler("start", handlers.start, filters=new))
    app.add_handler(CommandHandler("help", handlers.help_command, filters=new))
    app.add_handler(CommandHandler("topics", handlers.topics, filters=new))
    app.add_handler(CommandHandler("brief", handlers.brief, filters=new))
    app.add_handler(CommandHandler("language", language.language, filters=new))
    # Privacy and editors.
    app.add_handler(CommandHandler("forget", account.forget, filters=new))
    app.add_handler(CommandHandler("stats", account.stats, filters=new))
    # Subscriptions (groups: administrators only).
    app.add_handler(CommandHandler("subscribe", subscriptions.subscribe, filters=new))
    app.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe, filters=new))
    app.add_handler(CommandHandler("subscriptions", subscriptions.list_subscriptions, filters=new))
    app.add_handler(ChatMemberHandler(subscriptions.chat_member,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, subscriptions.chat_migrated))
    # Buttons, each kind by its callback data's pattern: feedback on answers and readers'
    # picks, topic pages, briefs, subscriptions, languages; any other (an older version's)
    # has expired.
    app.add_handler(CallbackQueryHandler(feedback.vote, pattern=feedback.VOTE))
    app.add_handler(CallbackQueryHandler(feedback.choose, pattern=feedback.CHOICE))
    app.add_handler(CallbackQueryHandler(feedback.none_of_these, pattern=feedback.NONE))
    app.add_handler(CallbackQueryHandler(handlers.topics_page, pattern=handlers.TOPICS_PAGE))
    app.add_handler(CallbackQueryHandler(handlers.brief_button, pattern=handlers.BRIEF_BUTTON))
    app.add_handler(CallbackQueryHandler(subscriptions.subscription_button,
                                         pattern=subscriptions.SUBSCRIPTION_BUTTON))
    app.add_handler(CallbackQueryHandler(language.language_button,
                                         pattern=language.LANGUAGE_BUTTON))
    app.add_handler(CallbackQueryHandler(handlers.expired_button))
    # Inline mode.
    app.add_handler(InlineQueryHandler(inline.inline_query))
    # Anything else: unknown commands get a hint, non-text in private chats a nudge.
    app.add_handler(MessageHandler(new & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                   handlers.non_text))
    app.add_error_handler(handlers.on_error)


def build_application(settings: Settings, state: BotState | None = None,
                      concurrent_updates: int | None = None,
                      request: BaseRequest | None = None) -> Application:
    """The configured PTB Application (not started).

    Up to `settings.concurrent_updates` updates (or `concurrent_updates`) are handled at once,
    each chat's in order; 1 handles them one at a time (see docs/performance.md). `request`
    replaces the JSON request class (the throughput benchmark compares PTB's own).
    """
    token = settings.require_token()
    context_types = ContextTypes(bot_data=BotState)
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .request(request or JSONRequest(connection_pool_size=API_CONNECTIONS))
        .get_updates_request(JSONRequest(connection_pool_size=1))  # skips unreadable updates
        .context_types(context_types)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(update_processor(concurrent_updates or settings.concurrent_updates))
        .post_init(post_init)
        .post_stop(stop_alerts)
        .post_shutdown(shutdown_state)
        .build()
    )
    source = state or BotState()
    for item in fields(BotState):
        setattr(app.bot_data, item.name, getattr(source, item.name))
    app.bot_data.settings = settings
    if isinstance(app.update_processor, PerChatOrder):
        app.update_processor.on_flood = lambda update: app.create_task(
            handlers.too_fast(app.bot, app.bot_data, update), name="flood-notice")
        app.update_processor.on_drop = lambda update: handlers.press_dropped(
            app, app.bot_data, update)
    add_handlers(app)
    return app


def update_processor(limit: int) -> PerChatOrder:
    """Per-chat ordered, fair concurrency; a limit of 1 handles one update at a time (still
    taking chats in turn, so one chat's flood does not queue in front of the others)."""
    return PerChatOrder(limit)


def initial_state(settings: Settings) -> BotState:
    """Load the briefs folder into a fresh BotState; a missing folder is a ConfigError."""
    if (unreadable := briefs_folder_error(settings.briefs_dir)) is not None:
        raise unreadable
    watcher = BriefWatcher(settings.briefs_dir)
    try:
        result = watcher.scan()
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        raise briefs_folder_error(settings.briefs_dir) or \
            ConfigError(f"{exc} (set BRIEFBOT_BRIEFS_DIR)") from None
    for error in result.problems:
        log.warning("brief problem: %s", error)
    if result.library is None:  # a first scan always builds one
        raise ConfigError(f"cannot read the briefs in {settings.briefs_dir} "
                          "(set BRIEFBOT_BRIEFS_DIR)")
    return BotState(settings=settings, library=result.library, watcher=watcher,
                    broken_files={str(e) for e in result.problems if not e.warning})


def run_bot(settings: Settings, webhook_url: str | None = None, listen: str = "127.0.0.1",
            port: int = 8443) -> int:
    """Run until SIGINT/SIGTERM; long polling, or a webhook with a secret token.

    Raises:
        StartupError: the bot cannot start (one line: the cause and the setting to fix).
    """
    settings.require_token()
    configure_logging(settings)
    app = build_application(settings, initial_state(settings))
    hook = Webhook(webhook_url, urlsplit(webhook_url).path, listen, port) if webhook_url else None
    asyncio.run(serve(app, hook))
    log.info("stopped")
    return 0
