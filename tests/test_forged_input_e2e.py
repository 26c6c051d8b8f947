"""Forged input is ignored quietly: malformed button data and inline offsets get an answer and
no error; a pick counts once per reader and only for a brief the question offered; edited and
business messages are not answered (the real Application against the stand-in)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from bot.briefs import read_brief_file
from bot.stats import read_usage
from tests.conftest import brief_yaml, eventually, running_bot
from tests.fake_api import FakeBotAPI, text_message, user
from tests.test_buttons_e2e import press

ALICE = 1001


def inline(api: FakeBotAPI, query_id: str, query: str, offset: str) -> None:
    api.push("inline_query", {"id": query_id, "from": user(ALICE), "query": query,
                              "offset": offset})


async def test_malformed_buttons_and_offsets_get_an_answer_and_no_error(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    forged = ["t:²", "t:99999999999", "b:²", "b:../../etc", "s:" + "x" * 70, "v:zz:u",
              "p:12345678:no-such-brief", "l:xx", "", "u:extra"]
    async with running_bot(bot_env, tmp_path):
        for n, data in enumerate(forged):
            press(fake_api, data, n)
        inline(fake_api, "q1", "", "²")
        inline(fake_api, "q2", "", "99999")
        inline(fake_api, "q3", "csto", "50")  # a matched query is never paged
        inline(fake_api, "q4", "", "")
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == len(forged))
        await eventually(lambda: len(fake_api.calls_to("answerInlineQuery")) == 4)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [t for t in fake_api.texts(ALICE) if t.startswith("Sorry")]
    results = {c.params["inline_query_id"]: c.params["results"]
               for c in fake_api.calls_to("answerInlineQuery")}
    assert results["q1"] == [] and results["q2"] == [] and results["q3"] == []
    assert results["q4"]  # the real first page


async def test_a_pick_counts_once_per_reader_and_only_for_an_offered_brief(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        fake_api.push("message", text_message("sanctions ukraine"))  # a did-you-mean
        await eventually(lambda: len(fake_api.texts(ALICE)) == 1)
        markup = fake_api.calls_to("sendMessage", ALICE)[0].params["reply_markup"]
        offered = [b["callback_data"] for row in markup["inline_keyboard"] for b in row
                   if b.get("callback_data", "").startswith("p:")]
        ask = offered[0].split(":")[1]
        shown = {o.split(":")[2] for o in offered}
        library = app.bot_data.library  # type: ignore[attr-defined]
        other = next(b.id for b in library.briefs if b.id not in shown)  # real, not offered
        for n in range(8):  # one reader pressing again and again, and forging a button
            press(fake_api, offered[0], 100 + 2 * n)
            press(fake_api, f"p:{ask}:{other}", 101 + 2 * n)
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == 16)
        state = app.bot_data  # type: ignore[attr-defined]
        await state.usage.drain()
        report = (await read_usage(state.store, time.time() - 3600)).report()
    picks = report["picks"]
    assert isinstance(picks, list)
    assert [(p["brief"], p["count"]) for p in picks] == [(offered[0].split(":")[2], 1)]


async def test_edited_and_business_messages_are_not_answered_nor_logged(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        fake_api.push("edited_message", {**text_message("csto"), "edit_date": int(time.time())})
        fake_api.push("business_message", {**text_message("csto", message_id=11),
                                           "business_connection_id": "bc1"})
        fake_api.push("edited_business_message", {**text_message("csto", message_id=12),
                                                  "business_connection_id": "bc1",
                                                  "edit_date": int(time.time())})
        fake_api.push("message", text_message("/help", message_id=13))  # after them, in order
        await eventually(lambda: len(fake_api.texts(ALICE)) == 1)
        state = app.bot_data  # type: ignore[attr-defined]
        await state.usage.drain()
        assert await state.store.questions() == []
    assert len(fake_api.calls_to("sendMessage")) == 1  # /help's answer, nothing else
    assert "/topics" in fake_api.texts(ALICE)[0]


def test_a_tag_too_long_for_button_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long-tag.yaml"
    path.write_text(brief_yaml("long-tag", tags="[" + "t" * 61 + ", fine]"), encoding="utf-8")
    brief, problems = read_brief_file(path)
    assert brief is None
    assert any("tags" in str(p) and "64-byte" in str(p) for p in problems)
    path.write_text(brief_yaml("long-tag", tags="[" + "t" * 60 + "]"), encoding="utf-8")
    assert read_brief_file(path)[0] is not None
