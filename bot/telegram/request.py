"""Bot API calls as one JSON body (Telegram accepts application/json), over aiohttp.

PTB's own transport (httpx) posts every call without files as a url-encoded form, quoting
each byte of the text in Python, and spends ~0.6 ms of CPU a call in httpcore and anyio;
aiohttp's C HTTP parser and plain asyncio streams take ~0.15 ms (docs/performance.md). This is
a `telegram.request.BaseRequest` (PTB's public extension point); calls that upload files are
sent as a multipart form.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

_DEFAULT = type(BaseRequest.DEFAULT_NONE)  # PTB's "not passed" marker
JSON_HEADERS = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
FORM_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}
MEDIA_WRITE_TIMEOUT = 20.0  # seconds to upload a file (PTB's default)
# Failures that come before a request's first byte is written (no connection could be made,
# none was free in time, the TLS handshake failed): safe to retry.
NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
BOT_PATH = re.compile(r"/bot[^/\s]*")  # an error's URL: the token is in its path
SHOWN = 80  # characters of a garbled answer shown in the log


class ServerRefused(Exception):
    """The Bot API answered with a 5xx status: the call was not carried out."""


class GarbledAnswer(TelegramError):
    """A 2xx answer that is not JSON: the call may have been carried out."""


class ProxyPage(GarbledAnswer):
    """The answer is an HTML page (a proxy's error page), not the Bot API's: the call most
    likely never reached Telegram."""


def json_body(request_data: RequestData) -> bytes:
    """The call's parameters as one UTF-8 JSON object (nested objects stay objects)."""
    return json.dumps(request_data.parameters, ensure_ascii=False).encode()


def never_sent(error: BaseException) -> bool:
    """True when a failed call certainly did not reach Telegram (no connection, or none free),
    so sending it again cannot duplicate a message."""
    return isinstance(error.__cause__, (*NOT_SENT, ServerRefused))


def update_kind(item: object) -> str:
    """What an update carries (message, poll, ...), from its raw JSON object."""
    if not isinstance(item, dict):
        return type(item).__name__
    return next((str(k) for k in item if k != "update_id"), "nothing")


def _typed(value: object, kind: type | tuple[type, ...], optional: bool = True) -> bool:
    return (optional and value is None) or (isinstance(value, kind)
                                             and not isinstance(value, bool))


def read_update(item: object, bot: Any = None) -> Update:
    """PTB's Update from its raw JSON, refused (TypeError) when a field the handlers read has
    the wrong type: PTB checks presence, not types, so `"text": 5` would reach the matcher."""
    update = Update.de_json(item, bot)  # type: ignore[arg-type]
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    query, inline = update.callback_query, update.inline_query
    fields: list[tuple[object, type | tuple[type, ...], bool]] = [
        (update.update_id, int, False),
        (message and message.text, str, True), (message and message.caption, str, True),
        (message and message.message_id, int, True), (message and message.message_thread_id,
                                                       int, True),
        (chat and chat.id, int, True), (chat and chat.type, str, True),
        (user and user.id, int, True), (user and user.language_code, str, True),
        (query and query.data, str, True), (query and query.id, str, True),
        (inline and inline.query, str, True), (inline and inline.offset, str, True),
    ]
    for value, kind, optional in fields:
        if not _typed(value, kind, optional):
            raise TypeError(f"a field of type {type(value).__name__}")
    return update


def skip_poison(content: bytes) -> bytes:
    """A getUpdates answer with every update PTB cannot parse replaced by a bare update of
    the same id: polling moves past it (PTB would fetch and refuse the same batch forever),
    no handler takes it, and it is logged once, by id and kind (never its content)."""
    try:
        answer = json.loads(content)
        items = answer["result"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return content  # not a getUpdates answer: PTB reports it as it does
    if not isinstance(items, list) or not items:
        return content
    kept: list[Any] = []
    changed = False
    for item in items:
        try:
            read_update(item)
            kept.append(item)
        except Exception as exc:  # whatever PTB raises on a malformed update
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int):
                log.warning("skipped an update without an id that cannot be read (%s)",
                            update_kind(item))
                changed = True
                continue
            log.warning("skipped update %d (%s): it cannot be read (%s)", update_id,
                        update_kind(item), exc.__class__.__name__)
            kept.append({"update_id": update_id})
            changed = True
    if not changed:
        return content
    answer["result"] = kept
    return json.dumps(answer).encode()


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY, as for
    its scheme), or None: none is set, or NO_PROXY exempts the host."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies_environment()
    if not proxies or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")


def described(error: BaseException) -> str:
    """An aiohttp error in one line, any URL's token path cut (some messages quote the URL)."""
    return BOT_PATH.sub("/bot…", f"aiohttp.{error.__class__.__name__}: {error}".rstrip(": "))


class JSONRequest(BaseRequest):
    """Bot API calls over aiohttp: file-less calls as application/json, uploads as multipart.

    The aiohttp client is opened on first use in the running event loop, and opened again
    after a shutdown or in another loop. POST calls are never retried by aiohttp
    itself, so a message is never sent twice behind the caller's back."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0) -> None:
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._pool_size = connection_pool_size
        self._client: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shut = False
        self._proxies: dict[str, str | None] = {}  # per scheme://host: read once

    def _proxy(self, url: str) -> str | None:
        """The environment's proxy for the URL's server, looked up once per server (aiohttp's
        own `trust_env` looks it up in a thread on every call: ~0.6 ms)."""
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            self._proxies[origin] = env_proxy(url)
        return self._proxies[origin]

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._read

    def _open(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._client = aiohttp.ClientSession(connector=connector, headers=FORM_HEADERS)
            self._loop = loop
        return self._client

    async def initialize(self) -> None:
        """Ready to call again after a shutdown (the client opens with the first call, so a
        request never used, e.g. getUpdates' under a webhook, holds nothing open)."""
        self._shut = False

    async def shutdown(self) -> None:
        """Close the client and its connections."""
        self._shut = True
        client, self._client = self._client, None
        if client is not None and not client.closed:
            await client.close()

    def _timeouts(self, read: Any, write: Any, connect: Any, pool: Any,
                  files: bool) -> aiohttp.ClientTimeout:
        """PTB's four timeouts as aiohttp's: waiting for a free connection and connecting
        share `connect` (pool + connect). A JSON body is written at once; an upload is written
        while the answer is awaited, so there the read timeout gets the write timeout added."""
        read = self._read if isinstance(read, _DEFAULT) else read
        write = (MEDIA_WRITE_TIMEOUT if files else self._write) \
            if isinstance(write, _DEFAULT) else write
        connect = self._connect if isinstance(connect, _DEFAULT) else connect
        pool = self._pool if isinstance(pool, _DEFAULT) else pool
        waiting = None if connect is None or pool is None else connect + pool
        reading = None if read is None else read + ((write or 0.0) if files else 0.0)
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect,
                                     sock_read=reading)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """One HTTP call; timeouts and failures become PTB's TimedOut and NetworkError (with
        the aiohttp error as their cause, see `never_sent`)."""
        if self._shut:
            raise RuntimeError("This JSONRequest is not initialized")
        client = self._open()
        files = request_data is not None and request_data.contains_files
        timeout = self._timeouts(read_timeout, write_timeout, connect_timeout, pool_timeout,
                                 files)
        body: Any
        if request_data is not None and files:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in request_data.multipart_data.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
            headers = FORM_HEADERS
        else:
            body = json_body(request_data) if request_data else b"{}"
            headers = JSON_HEADERS
        try:
            async with client.request(method, url, data=body, headers=headers,
                                       timeout=timeout, allow_redirects=False,
                                       proxy=self._proxy(url)) as res:
                status, reason = res.status, res.reason or ""
                content = await res.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut("Timed out connecting, or waiting for a free connection; the call "
                           "was not sent") from err
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(described(err)) from err
        if status >= 500:
            raise NetworkError(f"the Bot API answered {status} {reason}".strip()) \
                from ServerRefused()
        if status == 200 and url.endswith("/getUpdates"):
            return status, skip_poison(content)
        return status, content
    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's JSON parsing, but a garbled answer is one log line (PTB logs it whole, with a
        traceback) and a GarbledAnswer."""
        try:
            parsed = json.loads(payload.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            shown = payload[:SHOWN].decode("utf-8", "replace")
            log.warning("the Bot API answered something that is not JSON: %r%s", shown,
                        "…" if len(payload) > SHOWN else "")
            page = payload.lstrip()[:1] == b"<"
            raise (ProxyPage if page else GarbledAnswer)("Invalid server response") from None
        if not isinstance(parsed, dict):
            raise GarbledAnswer("Invalid server response")
        return parsed
