"""Updates PTB parses but whose fields have the wrong type (`"text": 5`), and webhook bodies
nested deeper than the JSON parser's stack: skipped in one log line, never an error with a
traceback nor an apology, and the next update is answered (polling and the webhook)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.telegram.request import skip_poison
from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message
from tests.test_webhook import head, request, webhook_bot  # noqa: F401 - the fixture

MISTYPED = [{**text_message("csto", uid=2002), "text": 12345},
            {**text_message("csto", uid=2003), "chat": {"id": "x", "type": "private"}}]


def test_mistyped_fields_are_skipped_like_unreadable_updates() -> None:
    body = json.dumps({"ok": True, "result": [{"update_id": 3, "message": MISTYPED[0]}]})
    assert json.loads(skip_poison(body.encode()))["result"] == [{"update_id": 3}]
    deep = b'{"ok": true, "result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert skip_poison(deep) is deep  # not read here; PTB reports it as it does


async def test_polling_skips_mistyped_updates_without_an_error(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(bot_env, tmp_path):
        ids = [fake_api.push("message", m) for m in MISTYPED]
        fake_api.push("message", text_message("/help", uid=3000))
        await eventually(lambda: len(fake_api.texts(3000)) == 1)
        await eventually(lambda: fake_api.pending_updates() == 0)
    assert not fake_api.texts(2002) and not fake_api.texts(2003)  # no apology
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    for update_id in ids:
        assert [r for r in caplog.records if f"skipped update {update_id} " in r.getMessage()]


def test_the_webhook_skips_mistyped_and_too_deep_bodies(
        fake_api: FakeBotAPI,
        webhook_bot: tuple[object, int, str]) -> None:  # noqa: F811 - the fixture
    _, port, secret = webhook_bot

    def post(body: bytes) -> str:
        return request(port, head(len(body), secret), body)[0]

    assert " 200 " in post(json.dumps({"update_id": 60, "message": MISTYPED[0]}).encode())
    assert " 400 " in post(b"[" * 100_000 + b"]" * 100_000)  # not a 500: nothing to resend
    assert " 200 " in post(json.dumps({"update_id": 61,
                                       "message": text_message("/help")}).encode())
    assert fake_api.wait_for(lambda: len(fake_api.texts()) == 1, 30)
    assert not fake_api.texts(2002)
