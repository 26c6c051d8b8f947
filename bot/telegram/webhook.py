"""The webhook endpoint: the secret is checked on the headers, before any of the body is read.

PTB's own webhook server reads a body whole (up to 100 MB) before it looks at the secret and
offers no public way to change that, so briefbot serves the webhook itself with tornado (which
PTB's webhook support uses too) and hands each update to `Application.update_queue`.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApp
from tornado.web import HTTPError, RequestHandler, stream_request_body

from .request import read_update, update_kind

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few KB; Telegram's largest are well under this
BODY_TIMEOUT = 10.0  # seconds to send a body (slow senders hold no connection for long)


@stream_request_body
class UpdateEndpoint(RequestHandler):
    """POST an update with the secret header; anything else is refused as early as possible."""

    def initialize(self, app: Application, secret: str) -> None:
        """Tornado's per-request setup."""
        self.app = app
        self.secret = secret.encode()
        self.body = bytearray()

    def prepare(self) -> None:
        """Runs on the headers alone: wrong method, secret or size ends the request here."""
        if self.request.method != "POST":
            raise HTTPError(405)
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise HTTPError(403)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body, never past MAX_BODY (chunked bodies have no length up front)."""
        if len(self.body) + len(chunk) > MAX_BODY:
            raise HTTPError(413)
        self.body += chunk

    async def post(self) -> None:
        """Queue the update for the Application; 200 as soon as it is queued. An update that
        cannot be read is logged once (id and kind) and answered 200 too, so Telegram moves on
        to the next one instead of sending it again."""
        try:
            data = json.loads(self.body)
        except (ValueError, RecursionError):  # nesting deeper than the parser's stack
            log.warning("webhook: a body that is not JSON")
            raise HTTPError(400) from None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int):
            log.warning("webhook: not an update (no update_id)")
            raise HTTPError(400)
        try:
            update = read_update(data, self.app.bot)
        except Exception as exc:  # whatever PTB raises on a malformed update
            log.warning("skipped update %d (%s): it cannot be read (%s)", update_id,
                        update_kind(data), exc.__class__.__name__)
            self.set_status(200)
            return
        await self.app.update_queue.put(update)
        self.set_status(200)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """No body on errors (tornado's default page would say more than needed)."""
        self.finish()

    def log_exception(self, *args: Any) -> None:
        """Refusals are routine; they are not logged as errors."""


def webhook_server(app: Application, path: str, secret: str) -> HTTPServer:
    """An HTTP server (not yet listening) that accepts updates at `/path` only."""
    routes = [(f"/{path.strip('/')}" if path.strip("/") else "/", UpdateEndpoint,
               {"app": app, "secret": secret})]
    web = WebApp(routes, log_function=lambda handler: None)
    return HTTPServer(web, max_body_size=MAX_BODY, body_timeout=BODY_TIMEOUT,
                      idle_connection_timeout=60, xheaders=True)
