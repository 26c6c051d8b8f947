"""End to end against the Bot API stand-in: replies, briefs, menus and alerts in each reader's
language (their /language choice, else their question's, else Telegram's `language_code`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from bot.library import load_library
from bot.render import esc, shorten
from tests.conftest import FIXTURE_BRIEFS, brief_yaml, eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, text_message

ALICE = 1001
LIBRARY = load_library(FIXTURE_BRIEFS)[0]


def title(brief_id: str, lang: str) -> str:
    """A shipped brief's title as the bot sends it."""
    brief = LIBRARY.by_id[brief_id]
    translation = brief.translation(lang)
    return f"<b>{esc(translation.title if translation else brief.title)}</b>"


def message(text: str, lang: str | None, uid: int = ALICE, message_id: int = 10) -> dict[str, Any]:
    """A private message from a user whose Telegram app is in `lang` (None: not given)."""
    update = text_message(text, uid=uid, message_id=message_id)
    if lang is None:
        del update["from"]["language_code"]
    else:
        update["from"]["language_code"] = lang
    return update


def press(data: str, lang: str, uid: int = ALICE, query_id: str = "cb") -> dict[str, Any]:
    """A callback query: `uid` pressed a button of the bot's in their private chat."""
    bot_message = {"message_id": 500, "date": int(time.time()), "from": BOT_USER, "text": "x",
                   "chat": {"id": uid, "type": "private"}}
    return {"id": query_id, "chat_instance": "c", "data": data, "message": bot_message,
            "from": {"id": uid, "is_bot": False, "first_name": "A", "language_code": lang}}


def sent(api: FakeBotAPI, chat: int = ALICE) -> list[dict[str, Any]]:
    return [c.params for c in api.calls_to("sendMessage", chat)]


def button_texts(params: dict[str, Any]) -> list[str]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


async def test_russian_telegram_gets_everything_in_russian(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    # one-word questions say nothing of their language: language_code decides
    asks = ["/start", "/help", "ОДКБ", "Blinken", "бешбармак"]
    async with running_bot(bot_env, tmp_path):
        for i, text in enumerate(asks):
            fake_api.push("message", message(text, "ru", message_id=20 + i))
        await eventually(lambda: len(sent(fake_api)) == len(asks))
    start, help_, brief, suggest, none = sent(fake_api)
    assert start["text"].startswith("Здравствуйте, Alice! 👋 Моя тема — <b>отношения США и")
    assert "У меня 11 справок за период май 2022\u202fг. – февраль 2023\u202fг." in start["text"]
    assert "г.." not in start["text"]  # the date's point ends the sentence
    assert title("visit-2023-astana", "ru").strip("<b/>")[:40] in button_texts(start)[0]
    assert help_["text"].startswith("<b>Как мной пользоваться</b>\nМоя тема — ")
    assert "Задайте вопрос" in help_["text"]
    assert "/brief" not in help_["text"] and "/language – язык моих ответов" in help_["text"]
    assert brief["text"].startswith(title("csto-sco", "ru") + "\n<i>21 мая 2022\u202fг.</i>")
    assert "<b>Источники</b>" in brief["text"]
    assert "thediplomaticinsight.com" in brief["text"]  # sources stay shared
    related = LIBRARY.by_id["russia-kazakhstan"].translation("ru")
    assert related is not None and shorten(related.title) in button_texts(brief)
    assert button_texts(brief)[-2:] == ["👍 Полезно", "👎 Не то, что нужно"]
    assert suggest["text"] == "Не совсем понятно, какая справка вам нужна. Возможно, одна из этих:"
    assert any("Блинкен" in b for b in button_texts(suggest))
    assert none["text"].startswith("Справки на тему «бешбармак» у меня нет.")
    menus = {c.params.get("language_code"): {m["command"]: m["description"]
                                            for m in c.params["commands"]}
             for c in fake_api.calls_to("setMyCommands")}
    assert set(menus) == {None, "ru", "kk"}
    assert menus["ru"]["topics"] == "Все справки в виде кнопок"
    assert menus["kk"]["language"] == "Жауап тілін таңдау"
    assert menus[None]["help"] == "How to ask, and what is stored"


async def test_question_language_beats_telegrams(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                 tmp_path: Path) -> None:
    kazakh = "Ресейге салынған санкциялар Қазақстанға қалай әсер етеді?"
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", message(kazakh, "en", message_id=1))
        fake_api.push("message", message("Что Блинкен говорил о санкциях?", "en", message_id=2))
        fake_api.push("message", message("ok", "en", message_id=3))  # unclear: as before
        fake_api.push("message", message("what is the CSTO?", "ru", message_id=4))
        fake_api.push("message", message("/topics", None, uid=2002, message_id=5))
        # a greeting or a thanks says its language, though it is one word; for its own
        # reply only: the reader's next short question is answered as before
        fake_api.push("message", message("рахмет", "ru", uid=2003, message_id=6))
        fake_api.push("message", message("Что Блинкен говорил о санкциях?", "en", uid=2004,
                                         message_id=7))
        fake_api.push("message", message("thanks", "en", uid=2004, message_id=8))
        fake_api.push("message", message("ОДКБ", "en", uid=2004, message_id=9))
        await eventually(lambda: len(sent(fake_api)) == 4 and len(sent(fake_api, 2002)) == 1
                         and len(sent(fake_api, 2003)) == 1 and len(sent(fake_api, 2004)) == 3)
    in_kazakh, in_russian, nudge, in_english = (p["text"] for p in sent(fake_api))
    assert in_kazakh.startswith(title("sanctions-spillover", "kk") + "\n<i>2023\u202fж.")
    assert "<b>Дереккөздер</b>" in in_kazakh
    assert in_russian.startswith(title("sanctions-spillover", "ru"))
    assert nudge.startswith("Что именно вас интересует?")  # the conversation goes on in Russian
    assert in_english.startswith(title("csto-sco", "en"))
    assert sent(fake_api, 2002)[0]["text"].startswith("📚 <b>11 briefs</b>")  # no language_code
    assert sent(fake_api, 2003)[0]["text"].startswith("Оқасы жоқ!")  # Kazakh, not Telegram's
    _question, thanks, short = (p["text"] for p in sent(fake_api, 2004))
    assert thanks.startswith("You're welcome")
    assert short.startswith(title("csto-sco", "ru"))  # still Russian


async def test_language_choice_wins_and_survives_a_restart(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    russian = "Что Блинкен говорил о санкциях?"
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", message("/language", "ru", message_id=1))
        await eventually(lambda: len(sent(fake_api)) == 1)
        fake_api.push("message", message("/language en", "ru", message_id=2))
        fake_api.push("message", message(russian, "ru", message_id=3))
        fake_api.push("message", message("/help", "ru", message_id=4))
        await eventually(lambda: len(sent(fake_api)) == 4)
    async with running_bot(bot_env, tmp_path):  # a new process: the choice comes from the db
        fake_api.push("message", message(russian, "ru", message_id=5))
        fake_api.push("message", message("ОДКБ", "ru", message_id=6))
        await eventually(lambda: len(sent(fake_api)) == 6)
        fake_api.push("callback_query", press("l:kk", "ru"))  # a button of the /language menu
        await eventually(lambda: len(sent(fake_api)) == 7)
        fake_api.push("message", message(russian, "ru", message_id=7))
        await eventually(lambda: len(sent(fake_api)) == 8)
        fake_api.push("message", message("/forget", "ru", message_id=8))
        fake_api.push("message", message("/topics", "ru", message_id=9))
        await eventually(lambda: len(sent(fake_api)) == 10)
    texts = [p["text"] for p in sent(fake_api)]
    assert texts[0].startswith("Я отвечаю на том языке, на котором вы пишете")
    assert button_texts(sent(fake_api)[0]) == ["English", "Русский", "Қазақша", "Автоматически"]
    assert texts[1].startswith("Done: from now on I reply to you in English")
    assert texts[2].startswith(title("sanctions-spillover", "en"))
    assert texts[3].startswith("<b>How to use me</b>")
    assert texts[4].startswith(title("sanctions-spillover", "en"))  # after the restart
    assert texts[5].startswith(title("csto-sco", "en"))
    assert texts[6].startswith("Дайын: енді сұрағыңыз қай тілде болса да")
    assert texts[7].startswith(title("sanctions-spillover", "kk"))  # a Russian question
    assert texts[8].startswith("Дайын: сіз туралы сақталғанның бәрі өшірілді")
    assert texts[9].startswith("📚 <b>11 справок</b>")  # the choice is gone with /forget


def translated_brief(brief_id: str) -> str:
    """A new brief file with a Russian translation and no Kazakh one."""
    body = " ".join(["слово"] * 60)
    return brief_yaml(brief_id, title=f"Fresh {brief_id}", tags="[energy]",
                      summary="Fresh summary.") + (
        f"ru:\n  title: Новая справка {brief_id}\n  summary: Свежая сводка.\n  body: {body}\n")


async def test_alerts_in_each_subscribers_language(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    readers = {3001: "ru", 3002: "en", 3003: "kk"}
    async with running_bot(bot_env, tmp_path) as app:
        for uid, lang in readers.items():
            fake_api.push("message", message("/subscribe", lang, uid=uid, message_id=uid))
        await eventually(lambda: all(len(sent(fake_api, uid)) == 1 for uid in readers))
        (folder / ".fresh.tmp").write_text(translated_brief("fresh-gas"), encoding="utf-8")
        (folder / ".fresh.tmp").rename(folder / "fresh-gas.yaml")
        await eventually(lambda: all(len(sent(fake_api, uid)) == 2 for uid in readers))
        fake_api.push("callback_query", press("u:", "ru", uid=3001))  # the Unsubscribe button
        await eventually(lambda: len(sent(fake_api, 3001)) == 3)
        store = app.bot_data.store
        assert store is not None
        left = {uid: await store.subscriptions(uid) for uid in readers}
    assert sent(fake_api, 3001)[0]["text"].startswith("✅ Подписка оформлена: вы будете")
    ru, en, kk = (sent(fake_api, uid)[1] for uid in readers)
    assert ru["text"].startswith("🆕 <b>Новая справка fresh-gas</b>\n\nСвежая сводка.")
    assert "Источник: <a href=" in ru["text"]
    assert button_texts(ru) == ["Читать: Новая справка fresh-gas", "🔕 Отписаться"]
    assert en["text"].startswith("🆕 <b>Fresh fresh-gas</b>\n\nFresh summary.")
    assert button_texts(en) == ["Read: Fresh fresh-gas", "🔕 Unsubscribe"]
    assert kk["text"].startswith("🆕 <b>Fresh fresh-gas</b>\n<i>Бұл анықтама әзірге қазақ")
    assert button_texts(kk) == ["Оқу: Fresh fresh-gas", "🔕 Жазылымнан шығу"]
    assert sent(fake_api, 3001)[2]["text"].startswith("Подписка отменена: уведомлений")
    assert left == {3001: [], 3002: [""], 3003: [""]}


async def test_inline_answers_in_the_users_language(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                                    tmp_path: Path) -> None:
    def query(qid: str, text: str, lang: str) -> dict[str, Any]:
        return {"id": qid, "query": text, "offset": "",
                "from": {"id": ALICE, "is_bot": False, "first_name": "A", "language_code": lang}}

    async with running_bot(bot_env, tmp_path):
        fake_api.push("inline_query", query("ru", "ОДКБ", "ru"))
        fake_api.push("inline_query", query("one-word", "CSTO", "ru"))  # one word: language_code
        fake_api.push("inline_query", query("none", "жжжж", "kk"))
        await eventually(lambda: len(fake_api.calls_to("answerInlineQuery")) == 3)
    answers = {c.params["inline_query_id"]: c.params
               for c in fake_api.calls_to("answerInlineQuery")}
    first = answers["ru"]["results"][0]
    assert first["title"] == "Казахстан в ОДКБ и ШОС"
    assert first["input_message_content"]["message_text"].startswith(title("csto-sco", "ru"))
    assert answers["ru"]["is_personal"] is True  # results differ by user: no shared cache
    assert answers["one-word"]["results"][0]["title"] == "Казахстан в ОДКБ и ШОС"
    assert answers["none"]["button"]["text"] == "Анықтама жоқ — ботты ашыңыз"


@pytest.mark.parametrize("automatic", ["auto", "авто", "Автоматты"])
async def test_language_auto_in_any_language_hands_the_choice_back(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path, automatic: str) -> None:
    russian = "Что Блинкен говорил о санкциях?"
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", message("/language en", "ru", message_id=1))
        await eventually(lambda: len(sent(fake_api)) == 1)
        fake_api.push("message", message(f"/language {automatic}", "ru", message_id=2))
        await eventually(lambda: len(sent(fake_api)) == 2)
        fake_api.push("message", message(russian, "ru", message_id=3))
        await eventually(lambda: len(sent(fake_api)) == 3)
    texts = [p["text"] for p in sent(fake_api)]
    assert texts[0].startswith("Done: from now on I reply to you in English")
    assert not texts[1].startswith("I don't know the language")
    assert texts[2].startswith(title("sanctions-spillover", "ru"))


async def test_a_thanks_of_two_words_leaves_the_readers_language_as_it_was(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    kazakh = "Блинкен санкциялар туралы не айтты?"
    async with running_bot(bot_env, tmp_path):
        fake_api.push("message", message(kazakh, "en", message_id=1))
        await eventually(lambda: len(sent(fake_api)) == 1)
        fake_api.push("message", message("thank you", "en", message_id=2))
        await eventually(lambda: len(sent(fake_api)) == 2)
        fake_api.push("message", message("ОДКБ", "en", message_id=3))
        await eventually(lambda: len(sent(fake_api)) == 3)
    _question, thanks, short = (p["text"] for p in sent(fake_api))
    assert thanks.startswith("You're welcome")  # its own language
    assert short.startswith(title("csto-sco", "kk"))  # the reader's last question's, still
