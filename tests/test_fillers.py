"""A typo, a filler word or a button number is never named as a missing topic: a word within
a typo of a known word is read as that word, fillers are wrapping, and a number past the
last button says so (tested in English, Russian and Kazakh with words of each kind)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import replies
from bot.config import Settings
from bot.library import Library, load_library
from bot.render import html_to_text
from bot.terminal import TerminalChat
from tests.conftest import FIXTURE_BRIEFS

LIBRARY: Library = load_library(FIXTURE_BRIEFS)[0]


@pytest.mark.parametrize(("text", "brief_id"), [
    ("hwo did sanctions affect kazakhstan", "sanctions-spillover"),  # swapped letters
    ("whta is the sco", "csto-sco"),
    ("tell me abotu the csto", "csto-sco"),
    ("расскажите пожалуста про санкции", "sanctions-spillover"),  # a letter left out
    ("расскажитє пожалуйста про ОДКБ", "csto-sco"),
    ("ҰҚШҰ туралы айтып беріңізші", "csto-sco"),  # «please tell»
    ("Токаевтын реформалары туралы айтып берши", "tokayev-reforms"),  # typed without қ, і
])
def test_typos_of_known_words_and_fillers_are_not_missing_topics(text: str,
                                                                 brief_id: str) -> None:
    result = LIBRARY.match(text)
    assert result.unknown == (), result
    assert result.outcome == "answer" and result.best is not None, result
    assert result.best.brief.id == brief_id


def test_a_dictionary_word_is_no_typo_of_a_stop_word() -> None:
    """"wheat" is one letter from "what" but a word of its own: still a missing topic."""
    assert "wheat" in LIBRARY.match("kazakhstan wheat export ban").unknown


@pytest.mark.parametrize(("text", "lang"), [
    ("tell me more", "en"), ("please explain", "en"), ("ok", "en"), ("okay", "en"),
    ("подробнее пожалуйста", "ru"), ("понятно", "ru"), ("расскажи", "ru"),
    ("айтып беріңіз", "kk"), ("түсіндім", "kk"), ("айтшы", "kk"), ("7", "en"), ("12", "ru"),
])
def test_fillers_and_numbers_ask_what_about(text: str, lang: str) -> None:
    result = LIBRARY.match(text)
    assert result.outcome == "none" and result.unknown == (), result
    reply = replies.answer(LIBRARY, result, lang=lang)
    plain = html_to_text(reply.messages[0])
    assert "“" not in plain and "«" not in plain, plain
    assert reply.buttons  # the topics, to pick from


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "There is no button 12: the buttons go up to"),
    ("ru", "Кнопки с номером 12 нет: последний номер —"),
    ("kk", "12 нөмірлі батырма жоқ: батырмалардың соңғы нөмірі —"),
])
def test_a_button_number_that_is_not_there(lang: str, expected: str) -> None:
    settings = Settings(FIXTURE_BRIEFS, Path("unused.db"))
    chat = TerminalChat(LIBRARY, settings, io.StringIO(), lang)
    chat.show(replies.answer(LIBRARY, LIBRARY.match("blinken"), lang=lang))
    last = len(chat.buttons)
    assert 1 < last < 12
    reply = chat.handle("12")
    assert reply is not None
    assert reply.messages[0].startswith(expected) and str(last) in reply.messages[0]
    pressed = chat.handle(str(last))  # a button that is there still works
    assert pressed is not None and pressed.messages[0] != reply.messages[0]


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "The closest brief I have:", "The closest I have:"),
    ("ru", "Ближе всего вот эта справка:", "Ближе всего вот эти:"),
    ("kk", "Менде бар ең жақын анықтама:", "Ең жақындары:"),
])
def test_a_word_no_brief_has_offers_the_closest_brief_in_its_number(
        lang: str, one: str, two: str) -> None:
    """One button is offered as one brief («эта справка»), two or more as a choice («эти»)."""
    for question, expected in (("tokayev doctor", one), ("Blinken trip to India", two)):
        result = LIBRARY.match(question)
        reply = replies.answer(LIBRARY, result, lang=lang)
        assert len(reply.buttons) == (1 if expected is one else 2), question
        assert html_to_text(reply.messages[0]).endswith(expected), question
