"""Bot API calls as one JSON body (Telegram accepts application/json) instead of a form.

PTB posts every call without files as a url-encoded form, quoting each byte of the text in
Python; for a 1.5 KB brief with its keyboard that costs twice what json.dumps does (see
docs/performance.md). This is a `telegram.request.BaseRequest` (PTB's public extension point)
with an `httpx.AsyncClient` of its own; calls that upload files are sent as a multipart form.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

_DEFAULT = type(BaseRequest.DEFAULT_NONE)  # PTB's "not passed" marker
JSON_HEADERS = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
FORM_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}
MEDIA_WRITE_TIMEOUT = 20.0  # seconds to upload a file (PTB's default)
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)  # safe to retry
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


class JSONRequest(BaseRequest):
    """Bot API calls over httpx: file-less calls as application/json, uploads as multipart."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0) -> None:
        self._timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout,
                                      write=write_timeout, pool=pool_timeout)
        self._limits = httpx.Limits(max_connections=connection_pool_size)
        self._client = self._new_client()

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout, limits=self._limits, http1=True)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._timeout.read

    async def initialize(self) -> None:
        """Open a client again after a shutdown."""
        if self._client.is_closed:
            self._client = self._new_client()

    async def shutdown(self) -> None:
        """Close the client and its connections."""
        if not self._client.is_closed:
            await self._client.aclose()

    def _timeouts(self, read: Any, write: Any, connect: Any, pool: Any,
                  files: bool) -> httpx.Timeout:
        default = self._timeout
        return httpx.Timeout(
            connect=default.connect if isinstance(connect, _DEFAULT) else connect,
            read=default.read if isinstance(read, _DEFAULT) else read,
            write=(MEDIA_WRITE_TIMEOUT if files else default.write)
            if isinstance(write, _DEFAULT) else write,
            pool=default.pool if isinstance(pool, _DEFAULT) else pool,
        )

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """One HTTP call; timeouts and failures become PTB's TimedOut and NetworkError (with
        the httpx error as their cause, see `never_sent`)."""
        if self._client.is_closed:
            raise RuntimeError("This JSONRequest is not initialized")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeouts(read_timeout, write_timeout, connect_timeout, pool_timeout,
                                 files)
        if request_data is not None and files:
            body: dict[str, Any] = {"files": request_data.multipart_data,
                                    "data": request_data.json_parameters,
                                    "headers": FORM_HEADERS}
        else:
            body = {"content": json_body(request_data) if request_data else b"{}",
                    "headers": JSON_HEADERS}
        try:
            res = await self._client.request(method=method, url=url, timeout=timeout, **body)
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut("Pool timeout: every connection is busy; the call was not sent") \
                    from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        if res.status_code >= 500:
            raise NetworkError(f"the Bot API answered {res.status_code} "
                               f"{res.reason_phrase}".strip()) from ServerRefused()
        if res.status_code == 200 and url.endswith("/getUpdates"):
            return res.status_code, skip_poison(res.content)
        return res.status_code, res.content

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
