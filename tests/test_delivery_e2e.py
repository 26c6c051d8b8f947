"""Replies against a flaky or slow Bot API, groups, and commands meant for other bots."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from bot.telegram.request import never_sent
from tests.conftest import eventually, refused, running_bot
from tests.fake_api import FakeBotAPI, text_message

ALICE = 1001
GROUP = {"id": -100500, "type": "supergroup", "title": "G"}


def apologies(api: FakeBotAPI, chat: int = ALICE) -> list[str]:
    return [t for t in api.texts(chat) if t.startswith("Sorry")]


async def test_one_502_on_a_reply_is_retried(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                             tmp_path: Path) -> None:
    fake_api.fail("sendMessage", 502, "Bad Gateway", times=1)
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto"))
        await eventually(lambda: bool(fake_api.texts(ALICE)))
        await asyncio.sleep(0.3)
    failed = [c for c in fake_api.calls_to("sendMessage", ALICE, ok=False) if c.status == 502]
    assert len(failed) == 1
    (reply,) = fake_api.texts(ALICE)
    assert reply.startswith("<b>Kazakhstan in the CSTO")


async def test_a_502_with_an_html_body_is_retried_and_logged_in_one_line(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</body></html>"
    fake_api.garble("sendMessage", status=502, body=page.encode())
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto"))
        await eventually(lambda: bool(fake_api.texts(ALICE)))
        await asyncio.sleep(0.3)
    assert [c.status for c in fake_api.calls_to("sendMessage", ALICE, ok=False)] == [502, 200]
    (reply,) = fake_api.texts(ALICE)  # sent once more, no apology
    assert reply.startswith("<b>Kazakhstan in the CSTO")
    assert "x" * 100 not in caplog.text  # the page is not logged whole


async def test_garbled_json_is_not_resent_but_a_proxy_page_is(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    fake_api.garble("sendMessage", body=b'{"ok": true, "result": {"message_')  # cut JSON
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto"))
        fake_api.push("message", text_message("/help", message_id=11))
        await eventually(lambda: len(fake_api.texts(ALICE)) == 2)
        fake_api.garble("sendMessage")  # a 200 whose body is a proxy's HTML page
        fake_api.push("message", text_message("csto", message_id=12))
        await eventually(lambda: len(fake_api.texts(ALICE)) == 4)
        await asyncio.sleep(0.3)
    # garbled JSON may hide a delivered message: neither sent twice nor apologised for; a
    # proxy's page never reached Telegram: sent once more
    kinds = [c.content_type == "garbled" for c in fake_api.calls_to("sendMessage", ALICE)]
    assert kinds == [True, False, True, False]
    texts = fake_api.texts(ALICE)
    assert texts[3].startswith("<b>Kazakhstan in the CSTO") and not apologies(fake_api)


async def test_two_502s_end_in_one_apology(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                           tmp_path: Path) -> None:
    fake_api.fail("sendMessage", 502, "Bad Gateway", times=2)
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto"))
        await eventually(lambda: bool(fake_api.texts(ALICE)))
        await asyncio.sleep(0.3)
    assert fake_api.texts(ALICE) == apologies(fake_api) and len(apologies(fake_api)) == 1


async def test_a_slow_api_gets_no_apology_after_the_brief(fake_api: FakeBotAPI,
                                                          bot_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    slow = {"left": 1}

    def six_seconds(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and slow["left"]:
            slow["left"] -= 1
            time.sleep(6)  # longer than the bot's 5 s read timeout: it gives up, Telegram not

    fake_api.hook = six_seconds
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto"))
        await eventually(lambda: bool(fake_api.texts(ALICE)), timeout=15)
        fake_api.push("message", text_message("energy", uid=2002, message_id=2))
        await eventually(lambda: bool(fake_api.texts(2002)))
        await asyncio.sleep(0.5)
    assert len(fake_api.calls_to("sendMessage", ALICE, ok=False)) == 1  # not sent twice
    assert fake_api.texts(ALICE)[0].startswith("<b>Kazakhstan in the CSTO")
    assert apologies(fake_api) == []


async def test_groups_get_threaded_answers(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                           tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("@brief_test_bot csto", chat=GROUP,
                                              message_id=41))
        fake_api.push("message", text_message("/topics@brief_test_bot", chat=GROUP,
                                              message_id=42))
        fake_api.push("message", text_message("csto", message_id=43))
        await eventually(lambda: len(fake_api.texts(GROUP["id"])) == 2  # type: ignore[arg-type]
                         and bool(fake_api.texts(ALICE)))
    group_sends = fake_api.calls_to("sendMessage", GROUP["id"])  # type: ignore[arg-type]
    assert sorted(c.params["reply_parameters"]["message_id"] for c in group_sends) == [41, 42]
    assert all(c.params["reply_parameters"]["allow_sending_without_reply"]
               for c in group_sends)
    assert "reply_parameters" not in fake_api.calls_to("sendMessage", ALICE)[0].params


async def test_commands_for_other_bots_are_ignored(fake_api: FakeBotAPI,
                                                   bot_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        for n, text in enumerate(["/topics@other_bot", "/frobnicate@other_bot",
                                  "/start@Other_Bot csto-sco"]):
            fake_api.push("message", text_message(text, chat=GROUP, message_id=n + 1))
            fake_api.push("message", text_message(text, message_id=n + 10))
        fake_api.push("message", text_message("/frobnicate@brief_test_bot", chat=GROUP,
                                              message_id=20))
        await eventually(lambda: bool(fake_api.texts(GROUP["id"])))  # type: ignore[arg-type]
        await asyncio.sleep(0.5)
    (hint,) = fake_api.texts(GROUP["id"])  # type: ignore[arg-type]
    assert "/frobnicate" in hint
    assert fake_api.texts(ALICE) == []


@pytest.mark.parametrize(("cause", "expected"), [
    (refused(), True), (aiohttp.ConnectionTimeoutError("no connection in time"), True),
    (aiohttp.SocketTimeoutError("slow"), False), (aiohttp.ServerDisconnectedError(), False),
    (aiohttp.ClientOSError(104, "Connection reset by peer"), False),
])
def test_what_counts_as_never_sent(cause: Exception, expected: bool) -> None:
    error = TimedOut() if isinstance(cause, TimeoutError) else NetworkError("x")
    error.__cause__ = cause
    assert never_sent(error) is expected
