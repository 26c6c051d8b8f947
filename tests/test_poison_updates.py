"""An update PTB cannot read (a poll without its required fields) costs one log line; polling
and the webhook go on with the next update (the real Application against the stand-in)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.telegram.request import skip_poison, update_kind
from tests.conftest import eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message
from tests.test_webhook import head, request, webhook_bot  # noqa: F401 - the fixture

POISON = {"id": "1", "question": "Which?"}  # a poll lacking five fields PTB requires


def test_unreadable_updates_become_bare_ones_with_their_id() -> None:
    good = {"update_id": 7, "message": text_message("hi")}
    body = json.dumps({"ok": True, "result": [good, {"update_id": 8, "poll": POISON}]})
    answer = json.loads(skip_poison(body.encode()))
    assert answer["result"] == [good, {"update_id": 8}]
    unchanged = json.dumps({"ok": True, "result": [good]}).encode()
    assert skip_poison(unchanged) is unchanged
    assert skip_poison(b"not json") == b"not json"
    assert update_kind({"update_id": 1, "poll": {}}) == "poll"


async def test_polling_skips_an_unreadable_update_with_one_log_line(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("sanctions", message_id=1))
        poison = fake_api.push("poll", POISON)
        fake_api.push("message", text_message("/help", message_id=2))
        await eventually(lambda: len(fake_api.texts()) == 2)
        await eventually(lambda: fake_api.pending_updates() == 0)  # offset moved past it
    about = [r for r in caplog.records if f"update {poison} " in r.getMessage()
             or "Received data was" in r.getMessage()]
    assert [r.getMessage() for r in about] == [
        f"skipped update {poison} (poll): it cannot be read (TypeError)"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Which?" not in caplog.text  # never its content


def test_the_webhook_acknowledges_an_unreadable_update_and_goes_on(
        fake_api: FakeBotAPI,
        webhook_bot: tuple[object, int, str]) -> None:  # noqa: F811 - the fixture
    _, port, secret = webhook_bot

    def post(update: dict[str, object]) -> str:
        body = json.dumps(update).encode()
        return request(port, head(len(body), secret), body)[0]

    assert " 200 " in post({"update_id": 50, "poll": POISON})  # Telegram will not resend it
    assert " 200 " in post({"update_id": 51, "message": text_message("/help")})
    assert fake_api.wait_for(lambda: len(fake_api.texts()) == 1, 30)
    assert " 400 " in post({"no": "id"})  # not an update at all
