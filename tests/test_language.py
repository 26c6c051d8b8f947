"""Which language a reader gets, and briefs and alerts rendered in it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot import replies
from bot.briefs import Brief, Source, Translation
from bot.language import (
    ReaderLanguages,
    choose_language,
    parse_language,
    question_language,
    small_talk_language,
    spoken_language,
    telegram_language,
)
from bot.library import Library
from bot.render import format_date, html_to_text, render_alert, render_brief

BRIEF = Brief(
    id="b", title="Sanctions and <Kazakhstan>", date=dt.date(2023, 2, 28), tags=("economy",),
    keywords=("k",), summary="Summary in English.", body="First paragraph.\n\nSecond one.",
    sources=(Source("An article", "Pub", "https://x.org/a", "2023-03"),),
    translations=(("ru", Translation("Санкции и <Казахстан>", "Кратко по-русски.",
                                     "Первый абзац.\n\nВторой абзац.")),),
)


@pytest.mark.parametrize(("text", "lang"), [
    ("What did Blinken say about sanctions?", "en"),
    ("sanctions ukraine", "en"),
    ("Что Блинкен говорил о санкциях?", "ru"),
    ("США и Казахстан", "ru"),  # one-letter words do not count, two do
    ("Что говорил Blinken о санкциях?", "ru"),  # one Latin name in a Russian sentence
    ("Блинкен санкциялар туралы не айтты?", "kk"),
    ("Тоқаевтың реформалары", "kk"),
    ("Блинкен Астана туралы не деді", "kk"),  # no Kazakh-only letter, but Kazakh words
    ("ОДКБ", None),  # one word: too short to tell
    ("Blinken", None),
    ("спасибо!", None),  # one word: its reply may be in its language, see below
    ("CSTO ОДКБ", None),  # mixed
    ("2022 2023 ?!", None),
    ("", None),
])
def test_question_language(text: str, lang: str | None) -> None:
    assert question_language(text) == lang


def test_telegram_language_code() -> None:
    assert telegram_language("ru") == "ru" and telegram_language("kk") == "kk"
    assert telegram_language("RU") == "ru" and telegram_language("kk-KZ") == "kk"
    assert telegram_language("en-US") == "en" and telegram_language("de") == "en"
    assert telegram_language(None) == "en" and telegram_language("") == "en"


def test_choice_order() -> None:
    russian = "Что Блинкен говорил о санкциях?"
    assert choose_language("en", russian, "kk", "kk") == "en"  # the reader's choice first
    assert choose_language(None, russian, "kk", "kk") == "ru"  # then the question's language
    assert choose_language(None, "ОДКБ", "kk", "ru") == "kk"  # then their last clear question
    assert choose_language(None, "ОДКБ", None, "ru") == "ru"  # then Telegram's
    assert choose_language(None, "ОДКБ", None, "de") == "en"
    assert choose_language() == "en"


def test_language_names() -> None:
    assert [parse_language(w) for w in ("ru", "Русский", "kazakh", "ҚАЗАҚША", "en", "x")] == \
        ["ru", "ru", "kk", "kk", "en", None]


def test_reader_memory_is_bounded_and_forgets() -> None:
    readers = ReaderLanguages(limit=2)
    readers.set_choice(1, "ru")
    readers.set_choice(2, None)
    readers.heard(1, "kk")
    assert readers.knows_choice(2) and readers.choice(2) is None and readers.choice(1) == "ru"
    readers.set_choice(3, "kk")  # the least recent reader (1) goes
    assert not readers.knows_choice(1) and readers.recent(1) == "kk"
    readers.forget(1)
    assert readers.recent(1) is None


def test_brief_in_russian_keeps_sources_and_date() -> None:
    (text,) = render_brief(BRIEF, "ru")
    # CLDR's dates keep "2023 г." together with a narrow no-break space (U+202F)
    assert text.startswith("<b>Санкции и &lt;Казахстан&gt;</b>\n<i>28 февраля 2023\u202fг.</i>")
    assert "Первый абзац.\n\nВторой абзац." in text
    sources = '<b>Источники</b>\n• <a href="https://x.org/a">An article</a> — Pub, март 2023'
    assert sources + "\u202fг." in text
    assert "English" not in text


def test_missing_translation_says_so_in_the_readers_language() -> None:
    (text,) = render_brief(BRIEF, "kk")
    first, rest = text.split("\n\n", 1)
    assert first == ("<i>Бұл анықтама әзірге қазақ тілінде жоқ, сондықтан ағылшын тілінде "
                     "беріліп отыр.</i>")
    assert rest.startswith("<b>Sanctions and &lt;Kazakhstan&gt;</b>\n<i>2023\u202fж. 28 ақпан</i>")
    assert "<b>Дереккөздер</b>" in rest and "Summary in English." in rest
    assert render_brief(BRIEF, "en") == render_brief(BRIEF)


def test_alert_in_each_language() -> None:
    assert html_to_text(render_alert(BRIEF, "ru")) == (
        "🆕 Санкции и <Казахстан>\n\nКратко по-русски.\n\nИсточник: Pub (https://x.org/a)")
    kazakh = html_to_text(render_alert(BRIEF, "kk"))
    assert kazakh.startswith("🆕 Sanctions and <Kazakhstan>\nБұл анықтама әзірге")
    assert kazakh.endswith("Дереккөз: Pub (https://x.org/a)")
    assert html_to_text(render_alert(BRIEF)).endswith("Source: Pub (https://x.org/a)")


def test_dates_by_language() -> None:
    assert format_date(dt.date(2022, 5, 21), "ru") == "21 мая 2022\u202fг."
    assert format_date("2022-05", "kk") == "2022\u202fж. мамыр"
    assert format_date("2022-05-01", "en") == "1 May 2022"


def test_buttons_carry_titles_in_the_readers_language() -> None:
    other = dataclasses.replace(BRIEF, id="c", related=("b",), translations=())
    library = Library((BRIEF, other))
    reply = replies.brief_reply(library, other, "ru")
    assert [b.text for row in reply.buttons for b in row] == ["Санкции и <Казахстан>"]
    assert reply.messages[0].startswith("<i>Этой справки пока нет на русском языке")
    topics = replies.topics(library, lang="ru")
    assert topics.messages[0].startswith("📚 <b>2 справки</b>")
    assert {b.text for row in topics.buttons for b in row} == {"Санкции и <Казахстан>",
                                                               "Sanctions and <Kazakhstan>"}


@pytest.mark.parametrize(("text", "lang"), [
    ("спасибо!", "ru"), ("рахмет", "kk"), ("Привет", "ru"), ("hello", "en"),
    ("салам", None),  # a greeting of both Russian and Kazakh speakers
    ("пасибо", None),  # said in both
    ("ok", None),  # an acknowledgement says nothing of its language
    ("спасибо, рахмет", None),  # two languages
    ("ОДКБ", None),
    ("сау бол", "kk"), ("Сау болыңыз!", "kk"),  # a Kazakh formula with no Kazakh letter
    ("good morning", "en"),
])
def test_a_greeting_or_thanks_says_its_language(text: str, lang: str | None) -> None:
    assert small_talk_language(text) == lang


def test_a_greetings_language_is_its_own_replys_only() -> None:
    # it comes after the question's clear language and before the reader's last one
    assert choose_language(None, "рахмет", recent="ru", code="ru") == "kk"
    assert choose_language(None, "ОДКБ", recent="ru", code="en") == "ru"
    assert choose_language("en", "рахмет", recent="ru") == "en"  # the reader's choice first


@pytest.mark.parametrize("text", ["thank you", "good morning", "спасибо большое", "сау бол",
                                  "рахмет сізге"])
def test_a_greeting_of_several_words_is_not_remembered(text: str) -> None:
    assert spoken_language(text) is None
    assert spoken_language("Блинкен санкциялар туралы не айтты?") == "kk"

