"""JSONRequest: JSON-body Bot API calls keep PTB's timeouts and errors (against the stand-in)."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import RequestData

from bot.render import Button, Reply
from bot.telegram.request import JSONRequest, described, never_sent
from bot.telegram.send import keyboard
from tests.fake_api import TOKEN, FakeBotAPI


def json_bot(base_url: str, **timeouts: float) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=JSONRequest(**timeouts))  # type: ignore[arg-type]


async def test_calls_arrive_as_json_with_objects_intact(fake_api: FakeBotAPI) -> None:
    text = "<b>ОДКБ</b> and the CSTO: Тоқаев & \"quotes\""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Санкции", callback_data="b:sanctions")]])
    async with json_bot(fake_api.base_url) as bot:
        sent = await bot.send_message(1001, text, parse_mode="HTML", reply_markup=markup,
                                      message_thread_id=55)
    call = fake_api.calls_to("sendMessage")[0]
    assert call.content_type == "application/json"
    assert call.params["text"] == text
    assert call.params["chat_id"] == 1001 and call.params["message_thread_id"] == 55
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Санкции", "callback_data": "b:sanctions"}]]}
    assert sent.text == "ОДКБ and the CSTO: Тоқаев & \"quotes\""


async def test_telegram_errors_keep_their_types(fake_api: FakeBotAPI) -> None:
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    async with json_bot(fake_api.base_url) as bot:
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(1001, "hi")
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(1001, "<b>unclosed", parse_mode="HTML")
    assert flood.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]


async def test_a_slow_answer_times_out(fake_api: FakeBotAPI) -> None:
    def slow(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage":
            time.sleep(0.5)

    fake_api.hook = slow
    async with json_bot(fake_api.base_url, read_timeout=0.1) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "hi")


async def test_an_unreachable_server_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = JSONRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", RequestData())
    finally:
        await request.shutdown()


async def test_uploads_keep_the_multipart_form(fake_api: FakeBotAPI) -> None:
    async with json_bot(fake_api.base_url) as bot:
        await bot.send_document(1001, InputFile(b"report", filename="r.txt"), caption="c")
        with pytest.raises(TelegramError):  # the stand-in checks captions as Telegram does
            await bot.send_document(1001, InputFile(b"report", filename="r.txt"),
                                    caption="x" * 1025)
    call = fake_api.calls_to("sendDocument")[0]
    assert call.content_type.startswith("multipart/form-data")
    assert call.params["document"] == b"report" and call.params["filename"] == "r.txt"
    assert call.params["caption"] == "c"


def test_cached_keyboards_serialize_like_ptb_and_stay_intact() -> None:
    fixed = (Button("Read", data="b:csto-sco"), Button("Source", url="https://example.org/a"))
    vote = (Button("👍", data="v:0123abcd:u", per_message=True),
            Button("Source", url="https://example.org/b", per_message=True))
    reply = Reply(("text",), (fixed, vote))
    form = keyboard(reply)
    assert form is not None
    assert form["inline_keyboard"][0] is keyboard(Reply(("other",), reply.buttons))[
        "inline_keyboard"][0]  # a fixed row is built once
    plain = InlineKeyboardMarkup([
        [InlineKeyboardButton("Read", callback_data="b:csto-sco"),
         InlineKeyboardButton("Source", url="https://example.org/a")],
        [InlineKeyboardButton("👍", callback_data="v:0123abcd:u"),
         InlineKeyboardButton("Source", url="https://example.org/b")]])
    assert form == plain.to_dict()  # both kinds of row: PTB's own form
    form["extra"] = 1  # a caller adding keys or rows does not change the next send
    form["inline_keyboard"].append([])
    assert keyboard(reply) == plain.to_dict()
    assert keyboard(Reply(("no buttons",))) is None


async def test_the_environment_proxy_carries_the_calls(fake_api: FakeBotAPI,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a proxy port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    request = JSONRequest()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"{fake_api.base_url}{TOKEN}/getMe", RequestData())
        assert isinstance(failed.value.__cause__, aiohttp.ClientProxyConnectionError)
        assert never_sent(failed.value)  # no connection to the proxy: nothing went out
    finally:
        await request.shutdown()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with json_bot(fake_api.base_url) as bot:  # NO_PROXY: straight to the server
        await bot.send_message(1001, "direct")
    assert fake_api.texts(1001) == ["direct"]  # type: ignore[arg-type]


def test_a_request_shut_down_serves_the_next_event_loop(fake_api: FakeBotAPI) -> None:
    request = JSONRequest()

    async def call(then_shut: bool = True) -> int:
        try:
            status, _ = await request.do_request(f"{fake_api.base_url}{TOKEN}/getMe", "POST")
            return status
        finally:
            if then_shut:
                await request.shutdown()

    assert asyncio.run(call()) == 200
    with pytest.raises(RuntimeError, match="not initialized"):
        asyncio.run(call())  # shut down: no call until initialized again
    asyncio.run(request.initialize())
    assert asyncio.run(call()) == 200  # a new loop, a new client


def test_a_token_in_an_error_message_is_cut() -> None:
    error = aiohttp.InvalidURL(f"https://api.telegram.org/bot{TOKEN}/sendMessage")
    assert TOKEN not in described(error) and "/bot…" in described(error)
