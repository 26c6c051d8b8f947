"""The webhook endpoint refuses what lacks the secret before reading the body, and caps bodies
(a real `briefbot run --webhook-url` process against the stand-in)."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.telegram.webhook import BODY_TIMEOUT
from tests.fake_api import FakeBotAPI, text_message
from tests.test_run_process import start
from tests.test_startup import free_port

HUGE = 95 * 1024 * 1024
# A refusal before the body comes within this; a server that waited for the body (which never
# comes) would answer after BODY_TIMEOUT (10 s) at the soonest. Half of it tells them apart on
# a loaded machine, where the refusal takes a fraction of a second.
PROMPT = BODY_TIMEOUT / 2


@pytest.fixture
def webhook_bot(fake_api: FakeBotAPI, bot_env: dict[str, str],
                tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, str]]:
    """The bot serving a webhook at /hook on a free port; yields (process, port, secret)."""
    port = free_port()
    proc = start(bot_env, tmp_path, "--webhook-url", "https://bot.example.org/hook",
                 "--port", str(port))
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setWebhook")), 30)
        yield proc, port, fake_api.calls_to("setWebhook")[0].params["secret_token"]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)


def request(port: int, head: str, body: bytes = b"", send: int = 0) -> tuple[str, float]:
    """Send a request head, then `body` (or `send` bytes of filler, as far as the server lets
    us); return the status line and the seconds until it came."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(head.encode() + b"\r\n" + body)
        chunk = b"x" * 65536
        try:
            for _ in range(send // len(chunk)):
                sock.sendall(chunk)
        except OSError:  # the server hung up on us: it is not reading the body
            pass
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except ConnectionResetError:
            pass
        return answer.split(b"\r\n")[0].decode(), time.monotonic() - started


def head(length: int, secret: str | None = None, path: str = "/hook",
         extra: str = "") -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             f"Content-Length: {length}"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    return "\r\n".join(lines + ([extra] if extra else [])) + "\r\n"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_no_secret_is_refused_before_the_body(webhook_bot: tuple[subprocess.Popen[str], int,
                                                                 str]) -> None:
    proc, port, _ = webhook_bot
    status, seconds = request(port, head(HUGE))  # headers only: the body never comes
    assert status == "HTTP/1.1 403 Forbidden" and seconds < PROMPT
    before = rss_mb(proc.pid)
    for _ in range(10):  # as in the report: ten 95 MB posts without the secret
        status, _ = request(port, head(HUGE, "wrong"), send=HUGE)
        assert status in ("HTTP/1.1 403 Forbidden", "")  # "" if reset while we still sent
    assert rss_mb(proc.pid) < before + 30, (before, rss_mb(proc.pid))


def test_bodies_are_capped(webhook_bot: tuple[subprocess.Popen[str], int, str]) -> None:
    proc, port, secret = webhook_bot
    status, seconds = request(port, head(2 * 1024 * 1024, secret))
    assert status == "HTTP/1.1 413 Request Entity Too Large" and seconds < PROMPT
    chunked = head(0, secret).replace("Content-Length: 0", "Transfer-Encoding: chunked")
    big_chunk = b"%x\r\n" % (1024 * 1024) + b"[" * (1024 * 1024) + b"\r\n"
    status, _ = request(port, chunked, big_chunk * 2)  # no length up front: cut off at 1 MB
    assert status in ("HTTP/1.1 413 Request Entity Too Large", "HTTP/1.1 400 Bad Request")
    status, _ = request(port, head(HUGE, secret, path="/elsewhere"))
    assert status in ("HTTP/1.1 404 Not Found", "HTTP/1.1 400 Bad Request", "")
    status, _ = request(port, "GET /hook HTTP/1.1\r\nHost: x\r\n" +
                        f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n")
    assert status == "HTTP/1.1 405 Method Not Allowed"
    status, _ = request(port, head(9, secret), b"not json!")
    assert status == "HTTP/1.1 400 Bad Request"
    assert proc.poll() is None


def test_an_update_with_the_secret_is_answered(fake_api: FakeBotAPI,
                                               webhook_bot: tuple[subprocess.Popen[str], int,
                                                                  str]) -> None:
    _, port, secret = webhook_bot
    body = json.dumps({"update_id": 7, "message": text_message("csto")}).encode()
    status, _ = request(port, head(len(body), secret), body)
    assert status == "HTTP/1.1 200 OK"
    assert fake_api.wait_for(lambda: bool(fake_api.texts(1001)), 15)
    assert fake_api.texts(1001)[0].startswith("<b>Kazakhstan in the CSTO")
    assert fake_api.calls_to("setWebhook")[0].params["allowed_updates"]
