"""A small Bot API stand-in on 127.0.0.1 that answers the way Telegram does.

It queues updates for getUpdates (long polling), records every call, and replies with real HTTP
statuses and Telegram's error bodies: 400 for HTML it cannot parse, text over 4096 characters or
callback data over 64 bytes; 403 for users who blocked the bot; 429 with retry_after on demand.
On demand it also misbehaves as a slow or broken network does: a call answered late (but
delivered), a call delivered and then cut off without an answer, a proxy's HTML page instead
of Telegram's JSON, and 400s with migrate_to_chat_id.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvwxyz"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Brief Bot",
            "username": "brief_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": True}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
JSON_FIELDS = {"reply_markup", "results", "entities", "allowed_updates", "link_preview_options",
               "commands", "button", "reply_parameters", "input_message_content"}


class _Entities(HTMLParser):
    """Parses Telegram HTML strictly enough to reject what Telegram rejects."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = self.error or f"Unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = self.error or f"Unmatched end tag \"{tag}\""

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> tuple[str, str]:
    """(plain text, error) for a Telegram HTML message."""
    parser = _Entities()
    parser.feed(text)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f"Can't find end tag corresponding to start tag \"{parser.stack[-1]}\""
    return "".join(parser.text), parser.error


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    content_type: str = ""
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    """An error to return for matching calls, `times` times (or forever when -1)."""

    method: str
    status: int
    description: str
    times: int = 1
    retry_after: int | None = None
    chat_id: int | None = None
    migrate_to_chat_id: int | None = None


PROXY_PAGE = b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


@dataclass
class Fault:
    """A network fault for matching calls, `times` times (or forever when -1): "delay" (the
    call is handled `seconds` late), "cut" (handled, then the connection closes with no
    answer), "garble" (never reaches the API: `status` with `body`, not JSON)."""

    method: str
    kind: str
    times: int = 1
    chat_id: int | None = None
    seconds: float = 0.0
    status: int = 200
    body: bytes = PROXY_PAGE


class _Server(ThreadingHTTPServer):
    """A thread per connection and a deep accept queue: Telegram does not reset connections
    when a bot opens many at once (the stdlib default backlog of 5 does)."""

    daemon_threads = True
    request_queue_size = 512


class FakeBotAPI:
    """The stand-in: start() it, point PTB's base_url at it, push updates, inspect calls."""

    def __init__(self, port: int = 0) -> None:
        self.port = port  # 0: any free port
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.blocked: set[int] = set()
        self.last_markup: dict[str, Any] = {}  # message id -> its keyboard, as last edited
        self.failures: list[Failure] = []
        self.faults: list[Fault] = []
        self.rate_limit: int | None = None  # max sends in any 1-second window, else 429
        self.hook: Callable[[str, dict[str, Any]], None] | None = None
        self.latency = 0.0  # seconds each call (but getUpdates) waits, as a far server would
        self.sent = 0  # successful sendMessage calls
        self._next_update = 1
        self._next_message = 1000
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeBotAPI:
        handler = self._handler_class()
        self._server = _Server(("127.0.0.1", self.port), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    # --- driving it ------------------------------------------------------------------------
    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update of `kind` (message, callback_query, ...) and return its id."""
        with self._cond:
            update_id = self._next_update
            self._next_update += 1
            self.updates.append({"update_id": update_id, kind: payload})
            self._cond.notify_all()
        return update_id

    def fail(self, method: str, status: int, description: str, times: int = 1,
             retry_after: int | None = None, chat_id: int | None = None,
             migrate_to_chat_id: int | None = None) -> None:
        """Make the next `times` calls of `method` (optionally to one chat) fail."""
        with self._cond:
            self.failures.append(Failure(method, status, description, times, retry_after,
                                         chat_id, migrate_to_chat_id))

    def delay(self, method: str, seconds: float, times: int = 1,
              chat_id: int | None = None) -> None:
        """Answer the next `times` calls `seconds` late (they still take effect)."""
        with self._cond:
            self.faults.append(Fault(method, "delay", times, chat_id, seconds=seconds))

    def cut(self, method: str, times: int = 1, chat_id: int | None = None) -> None:
        """Carry out the next `times` calls, then close the connection without an answer."""
        with self._cond:
            self.faults.append(Fault(method, "cut", times, chat_id))

    def garble(self, method: str, times: int = 1, chat_id: int | None = None,
               status: int = 200, body: bytes = PROXY_PAGE) -> None:
        """Answer the next `times` calls as a proxy would (an HTML page); they never reach
        the API."""
        with self._cond:
            self.faults.append(Fault(method, "garble", times, chat_id, status=status,
                                     body=body))

    def _fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The fault for this call, if any (counted)."""
        with self._cond:
            for fault in self.faults:
                if fault.method != method or fault.times == 0:
                    continue
                if fault.chat_id is not None and str(params.get("chat_id")) != str(
                        fault.chat_id):
                    continue
                if fault.times > 0:
                    fault.times -= 1
                return fault
        return None

    def calls_to(self, method: str, chat_id: int | None = None, ok: bool = True) -> list[Call]:
        """Recorded calls of a method (successful ones unless ok=False)."""
        with self._cond:
            return [c for c in self.calls if c.method == method
                    and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
                    and (not ok or c.status == 200)]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of successful sendMessage calls."""
        return [c.params["text"] for c in self.calls_to("sendMessage", chat_id)]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Poll until predicate() is true (True) or the timeout passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return predicate()

    def pending_updates(self) -> int:
        with self._cond:
            return len(self.updates)

    # --- Bot API semantics -----------------------------------------------------------------
    def _error(self, status: int, description: str, retry_after: int | None = None,
               migrate_to_chat_id: int | None = None) -> tuple[int, dict[str, Any]]:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        if migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": migrate_to_chat_id}
        return status, body

    def _injected(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        for failure in self.failures:
            if failure.method != method or failure.times == 0:
                continue
            if failure.chat_id is not None and str(params.get("chat_id")) != str(failure.chat_id):
                continue
            if failure.times > 0:
                failure.times -= 1
            return self._error(failure.status, failure.description, failure.retry_after,
                               failure.migrate_to_chat_id)
        return None

    def _rate_limited(self, method: str) -> tuple[int, dict[str, Any]] | None:
        if self.rate_limit is None or method != "sendMessage":
            return None
        now = time.monotonic()
        recent = [c for c in self.calls if c.method == "sendMessage" and c.status == 200
                  and now - c.at < 1.0]
        if len(recent) >= self.rate_limit:
            return self._error(429, "Too Many Requests: retry after 1", retry_after=1)
        return None

    def _message(self, params: dict[str, Any], text: str) -> dict[str, Any]:
        self._next_message += 1
        chat_id = int(params["chat_id"])
        return {"message_id": self._next_message, "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
                "text": text}

    def _check_text(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | str:
        text = str(params.get("text", ""))
        plain, error = (parse_html(text) if params.get("parse_mode") == "HTML"
                        else (text, ""))
        if error:
            return self._error(400, f"Bad Request: can't parse entities: {error}")
        if not plain.strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(plain) > 4096:
            return self._error(400, "Bad Request: message is too long")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > 64:
                    return self._error(400, "Bad Request: BUTTON_DATA_INVALID")
        return plain

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        if self.hook is not None:
            self.hook(method, params)
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if self.latency:
            time.sleep(self.latency)
        with self._cond:
            injected = self._injected(method, params) or self._rate_limited(method)
            if injected:
                return injected
            if method == "getMe":
                return 200, {"ok": True, "result": BOT_USER}
            if method in ("sendMessage", "editMessageText"):
                if "chat_id" in params and int(params["chat_id"]) in self.blocked:
                    return self._error(403, "Forbidden: bot was blocked by the user")
                checked = self._check_text(params)
                if isinstance(checked, tuple):
                    return checked
                return 200, {"ok": True, "result": self._message(params, checked)}
            if method == "editMessageReplyMarkup":
                for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        if len(str(button.get("callback_data", "")).encode()) > 64:
                            return self._error(400, "Bad Request: BUTTON_DATA_INVALID")
                if self.last_markup.get(str(params.get("message_id"))) == params.get(
                        "reply_markup"):
                    return self._error(400, "Bad Request: message is not modified")
                self.last_markup[str(params.get("message_id"))] = params.get("reply_markup")
                return 200, {"ok": True, "result": self._message(params, "(brief)")}
            if method == "sendDocument":
                document = params.get("document")
                if not isinstance(document, bytes) or not document:
                    return self._error(400, "Bad Request: there is no document in the request")
                if len(document) > 50 * 1024 * 1024:
                    return self._error(413, "Request Entity Too Large")
                if len(str(params.get("caption", ""))) > 1024:
                    return self._error(400, "Bad Request: message caption is too long")
                return 200, {"ok": True, "result": self._message(params, "")}
            if method == "answerCallbackQuery":
                if len(str(params.get("text", ""))) > 200:
                    return self._error(400, "Bad Request: MESSAGE_TOO_LONG")
                return 200, {"ok": True, "result": True}
            if method == "answerInlineQuery":
                if len(params.get("results", [])) > 50:
                    return self._error(400, "Bad Request: RESULTS_TOO_MUCH")
                return 200, {"ok": True, "result": True}
            if method in ("deleteWebhook", "setMyCommands", "setWebhook", "deleteMessage",
                          "sendChatAction"):
                return 200, {"ok": True, "result": True}
            if method == "getChatMember":
                status = "administrator" if int(params.get("user_id", 0)) % 2 else "member"
                return 200, {"ok": True, "result": {"status": status, "user": {
                    "id": int(params.get("user_id", 0)), "is_bot": False, "first_name": "U"},
                    **({"can_be_edited": False, "can_manage_chat": True,
                        "can_change_info": True, "can_delete_messages": True,
                        "can_invite_users": True, "can_restrict_members": True,
                        "can_pin_messages": True, "can_promote_members": False,
                        "can_manage_video_chats": True, "is_anonymous": False,
                        "can_post_stories": False, "can_edit_stories": False,
                        "can_delete_stories": False} if status == "administrator" else {})}}
            return self._error(404, "Not Found")

    def control(self, path: str, raw: str) -> dict[str, Any]:
        """Drive a stand-in in another process: push updates, count replies."""
        if path == "/control/push":
            for kind, payload in json.loads(raw):
                self.push(kind, payload)
        elif path == "/control/latency":
            self.latency = float(json.loads(raw))
        elif path == "/control/ask":
            kind, payload = json.loads(raw)
            return {"latency_ms": self.ask(kind, payload)}
        elif path == "/control/wait":  # until this many messages were sent (or 60 s)
            with self._cond:
                target = int(json.loads(raw))
                self._cond.wait_for(lambda: self.sent >= target, 60.0)
        return {"sent": self.sent, "pending": self.pending_updates()}

    def ask(self, kind: str, payload: dict[str, Any], timeout: float = 10.0) -> float:
        """Push one update and wait for the next reply: milliseconds from the update being
        available to the sendMessage arriving, timed here (the bot's process is not involved)."""
        with self._cond:
            target = self.sent + 1
            start = time.monotonic()
            self.push(kind, payload)
            if not self._cond.wait_for(lambda: self.sent >= target, timeout):
                raise TimeoutError("no reply")
            return (time.monotonic() - start) * 1000

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        with self._cond:
            if offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self.updates[:100])

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    return self._multipart(content_type, body)
                raw = body.decode()
                if self.path.startswith("/control/"):
                    return self._send(200, api.control(self.path, raw))
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):  # another token: Telegram says 401
                    with api._cond:
                        api.calls.append(Call(self.path.rsplit("/", 1)[-1], {}, 401))
                    return self._send(401, {"ok": False, "error_code": 401,
                                            "description": "Unauthorized"})
                method = self.path[len(prefix):]
                params = self._params(raw)
                if params is None:
                    return self._send(400, {"ok": False, "error_code": 400,
                                            "description": "Bad Request: can't parse JSON"})
                fault = api._fault(method, params)
                if fault is not None and fault.kind == "garble":
                    with api._cond:
                        api.calls.append(Call(method, params, fault.status, "garbled"))
                    return self._send_raw(fault.status, fault.body, "text/html")
                if fault is not None and fault.kind == "delay":
                    time.sleep(fault.seconds)
                status, body = api.handle(method, params)
                with api._cond:
                    api.calls.append(Call(method, params, status,
                                          self.headers.get("Content-Type", "")))
                    if method == "sendMessage" and status == 200:
                        api.sent += 1
                        api._cond.notify_all()  # wakes ask() (and idle getUpdates, briefly)
                if fault is not None and fault.kind == "cut":
                    self.close_connection = True  # done, but the answer never leaves
                    return None
                self._send(status, body)

            def _multipart(self, content_type: str, body: bytes) -> None:
                """A file upload (sendDocument): fields as text, files as bytes."""
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):
                    return self._send(401, {"ok": False, "error_code": 401,
                                            "description": "Unauthorized"})
                method = self.path[len(prefix):]
                message = BytesParser(policy=default).parsebytes(
                    f"Content-Type: {content_type}\r\n\r\n".encode() + body)
                params: dict[str, Any] = {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    data = part.get_payload(decode=True) or b""
                    if part.get_filename():
                        params[str(name)] = data
                        params["filename"] = part.get_filename()
                    else:
                        params[str(name)] = data.decode()
                for key in JSON_FIELDS & params.keys():
                    params[key] = json.loads(params[key])
                status, answer = api.handle(method, params)
                with api._cond:
                    api.calls.append(Call(method, params, status, content_type))
                self._send(status, answer)

            def _params(self, raw: str) -> dict[str, Any] | None:
                """A JSON body (as Telegram accepts), or a url-encoded form whose JSON-typed
                fields are decoded."""
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    try:
                        body = json.loads(raw or "{}")
                    except ValueError:
                        return None
                    return body if isinstance(body, dict) else None
                params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
                for key in JSON_FIELDS & params.keys():
                    params[key] = json.loads(params[key])
                return params

            def _send(self, status: int, body: dict[str, Any]) -> None:
                self._send_raw(status, json.dumps(body).encode(), "application/json")

            def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def user(uid: int = 1001, name: str = "Alice") -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": name, "language_code": "en"}


def private_chat(uid: int = 1001) -> dict[str, Any]:
    return {"id": uid, "type": "private", "first_name": "Alice"}


def text_message(text: str, uid: int = 1001, chat: dict[str, Any] | None = None,
                 message_id: int = 10, **extra: Any) -> dict[str, Any]:
    """A message update payload; commands get their bot_command entity."""
    msg: dict[str, Any] = {"message_id": message_id, "date": int(time.time()),
                           "chat": chat or private_chat(uid), "from": user(uid), "text": text,
                           **extra}
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0,
                            "length": len(text.split()[0])}]
    return msg


def serve_forever() -> None:
    """`python -m tests.fake_api`: serve on a free port (printed) until killed."""
    api = FakeBotAPI().start()
    print(api.base_url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    serve_forever()
