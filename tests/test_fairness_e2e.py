"""One chat cannot take the bot from the others: a flood queues (bounded) in its own chat, and a
reply waiting out Telegram's flood control gives its worker slot back (the real Application
against the Bot API stand-in)."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.ordering import PER_CHAT_WAITING
from tests.conftest import eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message, user

FLOOD = 2001
OTHER = 1001


def replies_to(api: FakeBotAPI, chat: int) -> int:
    return len(api.calls_to("sendMessage", chat))


async def test_a_flood_of_5000_messages_does_not_hold_another_users_question(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    gate = threading.Event()  # the flood's replies hang until the other user is answered

    def slow_flood(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and str(params.get("chat_id")) == str(FLOOD):
            gate.wait(30)

    fake_api.hook = slow_flood
    caplog.set_level(logging.WARNING, logger="bot.telegram.ordering")
    async with running_bot(bot_env, tmp_path) as app:
        for n in range(5000):
            fake_api.push("message", text_message(f"sanctions {n}", uid=FLOOD,
                                                  message_id=n + 1))
        fake_api.push("message", text_message("what did blinken say about sanctions?",
                                              uid=OTHER))
        try:
            # answered while the flood's first reply still hangs: before any flood reply
            await eventually(lambda: replies_to(fake_api, OTHER) == 1, timeout=60)
            assert replies_to(fake_api, FLOOD) == 0
        finally:
            gate.set()
        processor = app.update_processor  # type: ignore[attr-defined]
        await eventually(lambda: processor.waiting_chats == 0, timeout=60)
    # the flood's chat got its first question and its last PER_CHAT_WAITING answered (a few
    # more if a hanging reply timed out meanwhile and let the next one start); every other
    # one was dropped and counted in the log
    texts = fake_api.texts(FLOOD)
    told = [t for t in texts if t.startswith("You are sending faster than I can answer")]
    assert len(told) == 1  # the flooding chat is told once that messages were skipped
    answered = len(texts) - len(told)
    counts = [int(m.group(1)) for r in caplog.records
              if (m := re.search(r"(\d+) update\(s\) dropped", r.getMessage()))]
    assert sum(counts) + answered == 5000
    assert answered >= 1 + PER_CHAT_WAITING and sum(counts) > 4000


async def test_replies_waiting_out_flood_control_leave_their_slots_to_others(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    # four chats (as many as the worker slots) are each told to retry after 10 s: long
    # enough that the other user's answer comes first even on a heavily loaded machine (it
    # takes a fraction of a second), and still under the ceiling the bot waits out
    waiting = [3001, 3002, 3003, 3004]
    for chat in waiting:
        fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 10", retry_after=10,
                      chat_id=chat)
    async with running_bot({**bot_env, "BRIEFBOT_CONCURRENT_UPDATES": "4"}, tmp_path):
        for chat in waiting:
            fake_api.push("message", text_message("sanctions", uid=chat))
        await eventually(lambda: len(fake_api.calls_to("sendMessage", ok=False)) == 4)
        fake_api.push("message", text_message("sanctions", uid=OTHER))
        await eventually(lambda: replies_to(fake_api, OTHER) == 1)
        assert all(replies_to(fake_api, chat) == 0 for chat in waiting)  # still waiting
        await eventually(lambda: all(replies_to(fake_api, c) == 1 for c in waiting))


async def test_a_retry_after_beyond_the_ceiling_is_not_waited_for_nor_apologised(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 50", retry_after=50,
                  chat_id=OTHER)
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("sanctions", uid=OTHER))
        fake_api.push("message", text_message("sanctions", uid=OTHER, message_id=11))
        await eventually(lambda: replies_to(fake_api, OTHER) == 1, timeout=10)
    # the first reply gave up at once (no wait, no apology: it would be refused too), the
    # second went out
    assert [c.status for c in fake_api.calls_to("sendMessage", OTHER, ok=False)] == [429, 200]
    assert not any("Sorry" in t for t in fake_api.texts(OTHER))


async def test_every_button_press_of_a_flood_is_answered(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    """Presses dropped from a flooding chat's queue still get their answer, so no button
    keeps spinning: the kept ones as usual, the dropped ones with a note to press again."""
    gate = threading.Event()

    def slow_briefs(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and str(params.get("chat_id")) == str(FLOOD):
            gate.wait(30)

    fake_api.hook = slow_briefs
    presses = 60
    async with running_bot(bot_env, tmp_path) as app:
        for n in range(presses):
            message = {"message_id": 900 + n, "date": int(time.time()),
                       "chat": {"id": FLOOD, "type": "private"}, "from": BOT_USER, "text": "x"}
            fake_api.push("callback_query", {"id": f"cb{n}", "from": user(FLOOD),
                                             "chat_instance": "c", "data": "b:csto-sco",
                                             "message": message})
        try:
            dropped = presses - 1 - PER_CHAT_WAITING  # one runs, PER_CHAT_WAITING wait
            await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) >= dropped,
                             timeout=60)
        finally:
            gate.set()
        processor = app.update_processor  # type: ignore[attr-defined]
        await eventually(lambda: processor.waiting_chats == 0, timeout=60)
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == presses,
                         timeout=60)
    answers = {c.params["callback_query_id"]: c.params.get("text", "")
               for c in fake_api.calls_to("answerCallbackQuery")}
    assert sorted(answers) == sorted(f"cb{n}" for n in range(presses))  # each once
    notes = [i for i, t in answers.items() if t.startswith("Too many at once")]
    assert len(notes) == processor.dropped_total > 0
    assert "cb0" not in notes and f"cb{presses - 1}" not in notes  # the first and last ran
