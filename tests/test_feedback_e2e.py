"""The editors' loop end to end: 👍 / 👎 on answers, did-you-mean picks, what `briefbot stats`
learns from them, /forget, and the HTML report over Telegram."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from tests.conftest import eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message, user

ALICE, BOB, ADMIN = 1001, 2002, 4242


def sends(api: FakeBotAPI, chat: int) -> list[dict[str, Any]]:
    return [c.params for c in api.calls_to("sendMessage", chat)]


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in (params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def press(api: FakeBotAPI, uid: int, data: str, n: int) -> None:
    message = {"message_id": 900 + n, "date": int(time.time()),
               "chat": {"id": uid, "type": "private"}, "from": BOT_USER, "text": "x"}
    api.push("callback_query", {"id": f"cb{uid}-{n}", "from": user(uid),
                                "chat_instance": "c", "data": data, "message": message})


def data_of(params: dict[str, Any], prefix: str) -> list[str]:
    return [b["callback_data"] for b in buttons(params)
            if b.get("callback_data", "").startswith(prefix)]


async def test_feedback_picks_stats_and_forget(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        # An answer carries 👍 / 👎; a did-you-mean's buttons carry the answer's id.
        fake_api.push("message", text_message("is kazakhstan in the CSTO?", message_id=1))
        fake_api.push("message", text_message("sanctions ukraine", message_id=2))
        await eventually(lambda: len(sends(fake_api, ALICE)) == 2)
        answer, suggest = sends(fake_api, ALICE)
        assert answer["text"].startswith("<b>Kazakhstan in the CSTO and the SCO</b>")
        up, down = data_of(answer, "v:")
        assert re.fullmatch(r"v:[0-9a-f]{8}:u", up) and down == up[:-1] + "d"
        picks = data_of(suggest, "p:")
        assert len(picks) >= 2 and not data_of(suggest, "v:")

        # 👎: the vote is marked on the message, and the next best briefs are offered.
        press(fake_api, ALICE, down, 1)
        await eventually(lambda: len(sends(fake_api, ALICE)) == 3)
        edit = fake_api.calls_to("editMessageReplyMarkup")[0].params
        assert [b["text"] for b in buttons(edit) if b["callback_data"].startswith("v:")] == [
            "👍 Helpful", "👎 Not what I asked ✓"]
        offer = sends(fake_api, ALICE)[2]
        assert offer["text"].startswith("Sorry I missed. Is it one of these?")
        alternatives = data_of(offer, "a:")
        assert alternatives and data_of(offer, "n:")
        assert not any(a.endswith(":csto-sco") for a in alternatives)  # not the answer again

        # The reader picks an alternative, and a did-you-mean brief; Bob says 👍 twice.
        press(fake_api, ALICE, alternatives[0], 2)
        press(fake_api, ALICE, picks[1], 3)
        press(fake_api, ALICE, data_of(offer, "n:")[0], 4)
        fake_api.push("message", text_message("CSTO", uid=BOB, message_id=3))
        await eventually(lambda: len(sends(fake_api, BOB)) == 1)
        bob_up = data_of(sends(fake_api, BOB)[0], "v:")[0]
        press(fake_api, BOB, bob_up, 5)
        press(fake_api, BOB, bob_up, 6)  # the same vote again: no error, still one vote
        await eventually(lambda: len(sends(fake_api, ALICE)) == 6)
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == 6)
        assert sends(fake_api, ALICE)[5]["text"].startswith("Thank you for telling me")
        assert app.bot_data.usage is not None
        await app.bot_data.usage.drain()
    assert not [c for c in fake_api.calls if c.status >= 500]

    # What the editors learn: `stats --json` has the new keys, and --suggest-examples.
    env = {"BRIEFBOT_DB": bot_env["BRIEFBOT_DB"], "BRIEFBOT_BRIEFS_DIR": bot_env[
        "BRIEFBOT_BRIEFS_DIR"]}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        for k, v in env.items():
            mp.setenv(k, v)
        assert await asyncio.to_thread(main, ["stats", "--json"]) == 0  # its own event loop
        report = json.loads(capsys.readouterr().out)
        assert await asyncio.to_thread(main, ["stats", "--suggest-examples"]) == 0
        parts = re.split(r"^# briefs/(\S+)\.yaml .*$", capsys.readouterr().out, flags=re.M)
        suggested = {bid: yaml.safe_load(block)["examples"]
                     for bid, block in zip(parts[1::2], parts[2::2], strict=True)}
        assert await asyncio.to_thread(main, ["stats"]) == 0
        text = capsys.readouterr().out
    csto = next(f for f in report["feedback"] if f["id"] == "csto-sco")
    assert (csto["answered"], csto["helpful"], csto["not_helpful"]) == (2, 1, 1)
    assert csto["not_helpful_questions"] == [{"text": "is kazakhstan in the CSTO?",
                                              "count": 1}]
    chosen = {(p["text"], p["brief"], p["via"]) for p in report["picks"]}
    alt_brief = alternatives[0].rsplit(":", 1)[1]
    pick_brief = picks[1].rsplit(":", 1)[1]
    assert chosen == {("is kazakhstan in the CSTO?", alt_brief, "down"),
                      ("sanctions ukraine", pick_brief, "suggest")}
    assert suggested == {}  # one reader's pick is no example yet (two readers are needed)
    assert "👎 1× is kazakhstan in the CSTO?" in text and "Did-you-mean picks" in text

    # /forget removes the reader's votes and picks, and nobody else's.
    async with running_bot(bot_env, tmp_path) as app:
        fake_api.push("message", text_message("/forget", message_id=9))
        await eventually(lambda: any(t["text"].startswith("Done: I deleted")
                                     for t in sends(fake_api, ALICE)))
        store = app.bot_data.store
        assert store is not None
        votes, picked = await store.votes(), await store.picks()
    assert [v.vote for v in votes] == ["up"]  # Bob's
    assert picked == []


async def test_unanswered_list_leaves_out_greetings_thanks_and_noise(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        for n, text in enumerate(["hi", "thanks!", "спасибо", "🙂", "?!",
                                  "beshbarmak recipe", "recipe for beshbarmak"]):
            fake_api.push("message", text_message(text, message_id=n + 1))
        await eventually(lambda: len(sends(fake_api, ALICE)) == 7)
        assert app.bot_data.usage is not None
        await app.bot_data.usage.drain()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        mp.setenv("BRIEFBOT_DB", bot_env["BRIEFBOT_DB"])
        assert await asyncio.to_thread(main, ["stats", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["unanswered_questions"] == []  # a recipe is chatter, not a gap
    assert report["chatter"] == [{"text": "beshbarmak recipe", "count": 2, "closest_brief": None,
                                  "closest_title": None}]
    assert report["overview"] == 5 and report["unanswered"] == 2


async def test_stats_html_is_sent_as_a_file_to_admins_only(fake_api: FakeBotAPI,
                                                           bot_env: dict[str, str],
                                                           tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto", uid=ALICE, message_id=1))
        await eventually(lambda: len(sends(fake_api, ALICE)) == 1)
        fake_api.push("message", text_message("/stats html", uid=ALICE, message_id=2))
        fake_api.push("message", text_message("/stats html", uid=ADMIN, message_id=3))
        await eventually(lambda: bool(fake_api.calls_to("sendDocument")))
        await eventually(lambda: len(sends(fake_api, ALICE)) == 2)
    assert sends(fake_api, ALICE)[1]["text"].startswith("/stats is for the bot's editors")
    (doc,) = fake_api.calls_to("sendDocument")
    assert str(doc.params["chat_id"]) == str(ADMIN)
    assert doc.params["filename"] == "briefbot-report.html"
    page = doc.params["document"].decode()
    assert page.startswith("<!DOCTYPE html>") and page.count('<g class="day"') == 1
    assert "<script" not in page and "http" not in page.split("<body>")[1]


def test_stats_html_writes_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.storage import QuestionRecord, Store

    async def fill() -> None:
        store = await Store.open(tmp_path / "s.db")
        now = time.time()
        await store.insert_usage([QuestionRecord(now - d * 86400, "k", "private", "text",
                                                 "csto", "answer", "csto-sco", 2.0, 1.0)
                                  for d in (0, 0, 3)], [])
        await store.close()

    asyncio.run(fill())
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        mp.setenv("BRIEFBOT_DB", str(tmp_path / "s.db"))
        assert main(["stats", "--html", str(tmp_path / "r.html")]) == 0
        assert main(["stats", "--html", str(tmp_path / "missing" / "r.html")]) == 2
    page = (tmp_path / "r.html").read_text("utf-8")
    assert page.count('<g class="day"') == 4  # days 0..3, the empty ones too
    assert "cannot write" in capsys.readouterr().err
