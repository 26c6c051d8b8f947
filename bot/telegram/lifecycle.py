"""Running the Application: connect (retrying while the Bot API is unreachable), start, serve
until SIGINT/SIGTERM, stop cleanly. Every start-up failure becomes one StartupError line."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from dataclasses import dataclass

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from ..config import StartupError
from .webhook import webhook_server

log = logging.getLogger("briefbot")

FIRST_RETRY = 1.0  # seconds; doubles up to MAX_RETRY while the Bot API is unreachable
MAX_RETRY = 30.0
REJECTED = "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped)"


@dataclass(frozen=True)
class Webhook:
    """Where to serve a webhook: the public URL Telegram calls and the local address."""

    url: str
    path: str
    listen: str
    port: int


async def connect(app: Application, stop: asyncio.Event) -> bool:
    """Log in (getMe), retrying with backoff while the Bot API cannot be reached.

    Returns False when a stop signal came first. Raises StartupError for a rejected token.
    """
    delay = FIRST_RETRY
    while not stop.is_set():
        try:
            await app.bot.initialize()
            return True
        except InvalidToken:
            await app.bot.request.shutdown()  # PTB shuts down only a bot that logged in
            raise StartupError(REJECTED) from None
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            log.warning("Bot API unreachable at start (%s); retrying in %.0f s "
                        "(check the network or TELEGRAM_API_BASE_URL)", exc, delay)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, MAX_RETRY)
    return False


def bind(app: Application, hook: Webhook, secret: str) -> HTTPServer:
    """Listen for the webhook before anything else, so a taken port fails at once."""
    server = webhook_server(app, hook.path, secret)
    try:
        server.listen(hook.port, hook.listen)
    except OSError as exc:
        raise StartupError(f"cannot listen on {hook.listen}:{hook.port}: {exc.strerror or exc} "
                           "(choose another --port or --listen)") from None
    return server


async def serve(app: Application, hook: Webhook | None = None) -> None:
    """Run the bot until SIGINT/SIGTERM; long polling, or the webhook endpoint."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    secret = secrets.token_urlsafe(32)
    server = bind(app, hook, secret) if hook is not None else None
    try:
        if not await connect(app, stop):
            await app.bot.request.shutdown()  # the connections of the failed logins
            return
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        if stop.is_set():
            return
        if hook is not None:
            await app.bot.set_webhook(hook.url, secret_token=secret,
                                      allowed_updates=Update.ALL_TYPES)
            log.info("webhook at %s (listening on %s:%d)", hook.url, hook.listen, hook.port)
        elif app.updater is not None:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES,
                                            bootstrap_retries=-1)
        await app.start()
        await stop.wait()
    finally:
        await shut_down(app, server)


async def shut_down(app: Application, server: HTTPServer | None) -> None:
    """Stop taking updates, finish the ones in progress (a report being built is abandoned),
    then close everything post_init opened (the order PTB's run_polling uses)."""
    stopping = getattr(app.bot_data, "stopping", None)
    if stopping is not None:
        stopping.set()
    if server is not None:
        server.stop()
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop is not None:  # also after a failed start: post_init's tasks stop
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
