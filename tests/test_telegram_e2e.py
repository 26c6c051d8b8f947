"""End-to-end: the unmodified Application against the Bot API stand-in on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from bot.library import load_library
from bot.render import esc
from tests.conftest import eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message, user

ALICE = 1001


def sends(api: FakeBotAPI, chat: int = ALICE) -> list[dict]:  # type: ignore[type-arg]
    return [c.params for c in api.calls_to("sendMessage", chat)]


def buttons(params: dict) -> list[dict]:  # type: ignore[type-arg]
    return [b for row in (params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


async def test_start_registers_commands_and_welcomes(fake_api: FakeBotAPI,
                                                      bot_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("/start"))
        await eventually(lambda: len(sends(fake_api)) == 1)
    commands = fake_api.calls_to("setMyCommands")[0].params["commands"]
    assert {c["command"] for c in commands} >= {"topics", "subscribe", "language", "help"}
    assert "brief" not in {c["command"] for c in commands}  # readers never see brief ids
    (welcome,) = sends(fake_api)
    assert "US–Kazakhstan relations" in welcome["text"] and "Alice" in welcome["text"]
    assert welcome["parse_mode"] == "HTML"
    assert all(b["callback_data"].startswith(("b:", "t:")) for b in buttons(welcome))


async def test_deep_link_opens_brief(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                     tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("/start csto-sco"))
        fake_api.push("message", text_message("/start no-such-brief", message_id=11))
        fake_api.push("message", text_message("/start from-inline", message_id=12))
        await eventually(lambda: len(sends(fake_api)) == 3)
    first, second, from_inline = sends(fake_api)
    assert from_inline["text"].startswith("Hi, Alice!")
    assert first["text"].startswith("<b>Kazakhstan in the CSTO and the SCO</b>")
    assert "thediplomaticinsight.com" in first["text"]
    assert second["text"].startswith("That link points to a brief I no longer have")


async def test_question_answer_suggest_none_greeting(fake_api: FakeBotAPI,
                                                     bot_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        for i, text in enumerate(["what did blinken say about sanktions?", "sanctions ukraine",
                                  "beshbarmak recipe", "привет", "спасибо!", "США и Казахстан"]):
            fake_api.push("message", text_message(text, message_id=20 + i))
        await eventually(lambda: len(sends(fake_api)) == 6)
    answer, suggest, none, greeting, thanks, overview = sends(fake_api)
    assert answer["text"].startswith("<b>Sanctions on Russia and the spillover to Kazakhstan</b>")
    assert '<a href="https://' in answer["text"]
    assert {b["callback_data"] for b in buttons(answer)} >= {"b:russia-kazakhstan"}
    assert suggest["text"].startswith("I'm not sure which brief you mean")
    assert 2 <= len(buttons(suggest)) <= 3
    assert none["text"].startswith("I have no brief on “beshbarmak” or “recipe”")
    # a greeting and a thanks say their language, though Alice's Telegram is English;
    # "США и Казахстан" is clearly Russian
    assert greeting["text"].startswith("Здравствуйте!")
    assert thanks["text"].startswith("Пожалуйста!") and not buttons(thanks)
    assert overview["text"].startswith("Моя тема — <b>отношения США и Казахстана</b>")
    assert len(buttons(overview)) >= 8


async def test_topics_paging_and_brief_buttons(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                               tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("/topics"))
        await eventually(lambda: len(sends(fake_api)) == 1)
        topics = sends(fake_api)[0]
        more = [b for b in buttons(topics) if b["callback_data"] == "t:1"]
        assert more, buttons(topics)
        message = {"message_id": 1001, "date": int(time.time()),
                   "chat": {"id": ALICE, "type": "private"}, "from": BOT_USER, "text": "x"}
        fake_api.push("callback_query", {"id": "cb1", "from": user(), "chat_instance": "c",
                                         "data": "t:1", "message": message})
        fake_api.push("callback_query", {"id": "cb2", "from": user(), "chat_instance": "c",
                                         "data": "b:trade-investment", "message": message})
        fake_api.push("callback_query", {"id": "cb3", "from": user(), "chat_instance": "c",
                                         "data": "t:1", "message": message})
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == 3
                         and len(sends(fake_api)) == 2)
    edits = fake_api.calls_to("editMessageText", ok=False)
    assert edits and "t:0" in {b["callback_data"] for b in buttons(edits[0].params)}
    assert sends(fake_api)[1]["text"].startswith("<b>US-Kazakhstan trade and investment")


async def test_old_button_for_removed_brief(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                            tmp_path: Path) -> None:
    message = {"message_id": 5, "date": int(time.time()),
               "chat": {"id": ALICE, "type": "private"}, "from": BOT_USER, "text": "x"}
    async with running_bot(bot_env, tmp_path):
        fake_api.push("callback_query", {"id": "old", "from": user(), "chat_instance": "c",
                                         "data": "b:deleted-brief", "message": message})
        fake_api.push("callback_query", {"id": "junk", "from": user(), "chat_instance": "c",
                                         "data": "zz:?", "message": message})
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == 2)
        await eventually(lambda: len(sends(fake_api)) == 1)
    answers = {c.params["callback_query_id"]: c.params.get("text", "")
               for c in fake_api.calls_to("answerCallbackQuery")}
    assert "no longer available" in answers["old"]
    assert "expired" in answers["junk"]
    assert "no longer available" in sends(fake_api)[0]["text"]


async def test_brief_command_and_unknown_id(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                            tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("/brief energy-partnership"))
        fake_api.push("message", text_message("/brief enrgy", message_id=11))
        fake_api.push("message", text_message("/brief", message_id=12))
        await eventually(lambda: len(sends(fake_api)) == 3)
    exact, close, empty = sends(fake_api)
    assert exact["text"].startswith("<b>Kazakhstan as an energy partner</b>")
    assert "b:energy-partnership" in {b["callback_data"] for b in buttons(close)}
    assert "Which brief?" in empty["text"]


async def test_hostile_input_is_escaped_and_fits(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                 tmp_path: Path) -> None:
    hostile = ["<b>bold</b> & <script>", "/brief <i>x</i>&amp;", "x" * 4096, "🙂🇰🇿",
               "/nonsense <b>", " "]
    async with running_bot(bot_env, tmp_path):
        for i, text in enumerate(hostile):
            fake_api.push("message", text_message(text, message_id=30 + i))
        await eventually(lambda: len(fake_api.calls_to("sendMessage", ok=False)) >= 6)
    failed = [c for c in fake_api.calls_to("sendMessage", ok=False) if c.status != 200]
    assert failed == []
    assert any("&lt;i&gt;x&lt;/i&gt;&amp;amp;" in t for t in fake_api.texts(ALICE))
    assert any("/nonsense" in t for t in fake_api.texts(ALICE))


async def test_non_text_and_edited_messages(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                            tmp_path: Path) -> None:
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
               "height": 1, "is_animated": False, "is_video": False}
    msg = text_message("placeholder")
    del msg["text"]
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", {**msg, "sticker": sticker})
        edited = text_message("csto", message_id=41)
        edited["edit_date"] = int(time.time())
        fake_api.push("edited_message", edited)
        fake_api.push("message", text_message("/help", message_id=42))  # after it, in order
        await eventually(lambda: len(sends(fake_api)) == 2)
    texts = [p["text"] for p in sends(fake_api)]
    assert texts[0].startswith("I can only read text")
    # an edit was answered when it was first sent: the second reply is /help's, not a brief
    assert texts[1].startswith("<b>How to use me</b>")
    assert not any(t.startswith("<b>Kazakhstan in the CSTO") for t in texts)


async def test_groups_only_when_addressed(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                          tmp_path: Path) -> None:
    group = {"id": -100500, "type": "supergroup", "title": "G"}
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", text_message("csto chatter", chat=group, message_id=1))
        fake_api.push("message", text_message("@brief_test_bot csto", chat=group, message_id=2))
        fake_api.push("message", text_message("/topics@brief_test_bot", chat=group,
                                              message_id=3))
        fake_api.push("message", text_message("sanctions?", chat=group, message_id=4,
                                              reply_to_message={
                                                  "message_id": 9, "date": 1, "chat": group,
                                                  "from": BOT_USER, "text": "earlier"}))
        fake_api.push("message", text_message("/otherbotcmd", chat=group, message_id=5))
        await eventually(lambda: len(sends(fake_api, -100500)) >= 3)
        await eventually(lambda: fake_api.pending_updates() == 0)
    texts = [p["text"] for p in sends(fake_api, -100500)]
    assert len(texts) == 3
    assert texts[0].startswith("<b>Kazakhstan in the CSTO")
    assert "briefs</b>, newest first" in texts[1]
    assert texts[2].startswith("<b>Sanctions on Russia")


async def test_inline_mode(fake_api: FakeBotAPI, bot_env: dict[str, str],
                           tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.push("inline_query", {"id": "iq1", "from": user(), "query": "", "offset": ""})
        fake_api.push("inline_query", {"id": "iq2", "from": user(), "query": "ОДКБ",
                                       "offset": ""})
        fake_api.push("inline_query", {"id": "iq3", "from": user(), "query": "zzzz qqqq",
                                       "offset": ""})
        await eventually(lambda: len(fake_api.calls_to("answerInlineQuery")) == 3)
    by_id = {c.params["inline_query_id"]: c.params for c in fake_api.calls_to("answerInlineQuery")}
    assert len(by_id["iq1"]["results"]) == 11
    assert by_id["iq2"]["results"][0]["id"] == "csto-sco"
    content = by_id["iq2"]["results"][0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "<b>Kazakhstan in the CSTO" in content["message_text"]
    assert by_id["iq3"]["results"] == []
    assert by_id["iq3"]["button"]["start_parameter"] == "from-inline"


async def test_telegram_errors_are_survived(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                            tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path):
        fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        fake_api.push("message", text_message("csto"))
        await eventually(lambda: len(sends(fake_api)) == 1, timeout=15)
        fake_api.blocked.add(2002)
        fake_api.push("message", text_message("csto", uid=2002, message_id=50))
        fake_api.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=ALICE)
        fake_api.push("message", text_message("energy", message_id=51))
        await eventually(lambda: len(sends(fake_api)) == 2, timeout=15)
        fake_api.push("message", text_message("trade", message_id=52))
        await eventually(lambda: len(sends(fake_api)) == 3, timeout=15)
    texts = [p["text"] for p in sends(fake_api)]
    assert texts[0].startswith("<b>Kazakhstan in the CSTO")
    assert texts[1].startswith("Sorry, something went wrong")
    assert texts[2].startswith("<b>US-Kazakhstan trade")
    assert fake_api.calls_to("sendMessage", 2002, ok=False)[0].status == 403


async def test_chats_are_answered_side_by_side_each_in_order(fake_api: FakeBotAPI,
                                                             bot_env: dict[str, str],
                                                             tmp_path: Path) -> None:
    ids = ["csto-sco", "energy-partnership", "tokayev-reforms"]
    library, _ = load_library(Path(bot_env["BRIEFBOT_BRIEFS_DIR"]))
    titles = [f"<b>{esc(library.by_id[i].title)}</b>" for i in ids]

    # A reply is held for at most `hold`, under the bot's read timeout (past which it gives up
    # on the reply and takes the next update, whose reply would then come). Served side by
    # side, the other chat's first reply comes within a fraction of a second even on a
    # loaded machine; served one at a time, not until the read timeout.
    hold = 4.0  # the bot's read timeout is 5 s (JSONRequest)
    firsts = {str(ALICE): threading.Event(), "2002": threading.Event()}
    met: list[bool] = []  # each chat's first reply: did the other's arrive while it was held?

    def uneven(method: str, params: dict) -> None:  # type: ignore[type-arg]
        """Each chat's first reply is slow (held until the other chat's first reply came
        too), later ones quick: handled side by side, a chat's replies would overtake each
        other."""
        if method != "sendMessage":
            return
        if str(params.get("text", "")).startswith(titles[0]):
            chat = str(params.get("chat_id"))
            firsts[chat].set()
            other = next(e for c, e in firsts.items() if c != chat)
            met.append(other.wait(hold))  # one chat at a time: the other's never comes
            time.sleep(0.4)
        else:
            time.sleep(0.05)

    fake_api.hook = uneven
    async with running_bot(bot_env, tmp_path):
        for n, brief_id in enumerate(ids):
            for chat in (ALICE, 2002):
                fake_api.push("message", text_message(f"/brief {brief_id}", uid=chat,
                                                      message_id=10 * chat + n))
        await eventually(lambda: len(fake_api.calls_to("sendMessage")) == 6)
    for chat in (ALICE, 2002):  # each chat's replies in the order asked
        texts = fake_api.texts(chat)
        assert [t.split("\n", 1)[0] for t in texts] == titles
    # ... while the two chats were served side by side: each chat's first reply was still
    # with the server when the other chat's first reply came (one update at a time, the
    # other's would only come after it)
    assert met == [True, True]


def test_inline_result_of_a_long_brief_links_to_the_whole() -> None:
    from bot.briefs import Brief, Source
    from bot.library import Library
    from bot.telegram.inline import article

    sources = tuple(Source(f"A long headline about trade and energy, part {i} " * 3, "Publisher",
                           f"https://example.org/{i}", "2023-01-01") for i in range(40))
    long = Brief("long-one", "A long brief", dt.date(2023, 1, 1), (), ("k",), "Summary.",
                 "word " * 240, sources)
    short = Brief("short-one", "A short brief", dt.date(2023, 1, 1), (), ("k",), "Summary.",
                  "word " * 90, sources[:1])
    library = Library((long, short))
    assert len(library.rendered(long)) > 1 and len(library.rendered(short)) == 1
    result = article(library, long, "brief_test_bot").to_dict()
    (button,) = result["reply_markup"]["inline_keyboard"][0]
    assert button["url"] == "https://t.me/brief_test_bot?start=long-one"
    assert result["input_message_content"]["message_text"] == library.rendered(long)[0]
    assert "reply_markup" not in article(library, short, "brief_test_bot").to_dict()
