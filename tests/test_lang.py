"""The language data of bot/lang/: each file states its origin, and no word is listed twice
(a word belongs to one class of the matcher, and to one kind of small talk)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.dates import month_number
from bot.i18n import LANGUAGES
from bot.language import parse_language
from bot.lexicon import in_dictionary
from bot.text import (
    ALIASES,
    LANG_DIR,
    LANGUAGE_FILES,
    content_tokens,
    read_lines,
    read_sections,
    small_talk,
)

MATCHING = ("stop", "latin_stop", "soft", "generic", "life", "measures", "personal")
SMALL_TALK = ("hello", "thanks", "acknowledge", "courtesy")
PHRASES = ("hello_phrases", "request_phrases", "how_many")  # a phrase a line
PERSON = ("person",)
NAMES = ("name_joiners",)
PREFIXES = ("hyphen_prefixes",)
LETTERS = ("latin_letters",)
MARKERS = ("markers",)
QUESTIONS = ("who", "now_or_next")
FILES = sorted(p.name for p in LANG_DIR.glob("*.txt"))


@pytest.mark.parametrize("name", FILES)
def test_every_word_list_states_its_origin(name: str) -> None:
    assert "Origin:" in (LANG_DIR / name).read_text("utf-8")


@pytest.mark.parametrize("name", LANGUAGE_FILES)
@pytest.mark.parametrize("group", [MATCHING, SMALL_TALK, PERSON, NAMES, PREFIXES, LETTERS,
                                   MARKERS, QUESTIONS])
def test_no_word_is_listed_twice(name: str, group: tuple[str, ...]) -> None:
    sections = read_sections(name)
    known = {*MATCHING, *SMALL_TALK, *PHRASES, *PERSON, *NAMES, *PREFIXES, *LETTERS, *MARKERS,
             *QUESTIONS}
    assert set(sections) <= known, "an unknown section"
    counts = Counter(w for s in group for w in sections.get(s, ()))
    assert [w for w, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
@pytest.mark.parametrize("section", PHRASES)
def test_no_phrase_is_listed_twice(name: str, section: str) -> None:
    # [how_many] is matched on the text as typed ("skol'ko" besides "skolko")
    phrases = read_lines(name, section, normalized=section != "how_many")
    assert phrases and len(set(phrases)) == len(phrases)


def test_no_kazakh_ending_is_listed_twice() -> None:
    sections = read_sections("kk_endings.txt")
    counts = Counter(e for endings in sections.values() for e in endings)
    assert [e for e, n in counts.items() if n > 1] == []
    assert set(sections) == {"case", "verb", "verb_forms", "ablative", "possessive", "plural"}


@pytest.mark.parametrize(("text", "kind"), [
    ("hi", "hello"), ("Добрый вечер", "hello"), ("сәлеметсіз бе", "hello"),
    ("thanks a lot", "thanks"), ("спасибо большое", "thanks"), ("рақмет сізге", "thanks"),
    ("ok", "acknowledge"), ("понятно", "acknowledge"), ("түсіндім", "acknowledge"),
    ("ok csto", None), ("спасибо, а что с санкциями?", None),
    ("how are things?", "hello"), ("Приятно познакомиться!", "hello"), ("қалайсыз", "hello"),
    ("как дела с санкциями", None),
    ("have a good day", "hello"), ("see you later", "hello"),  # the longer formula first
    ("хорошего дня", "hello"), ("көріскенше", "hello"), ("good day for the tariffs?", None),
])
def test_small_talk_reads_the_lists(text: str, kind: str | None) -> None:
    assert small_talk(text) == kind


def test_abbreviations_are_listed_once_and_are_no_words_of_their_own() -> None:
    lines = [line.split("#", 1)[0].split()
             for line in (LANG_DIR / "en_abbreviations.txt").read_text("utf-8").splitlines()]
    abbreviations = [parts[0] for parts in lines if parts]
    assert len(abbreviations) == len(set(abbreviations)) == len(ALIASES)
    # a dictionary word would be read as the word it abbreviates; only a month's short form
    # ("mar") is let through, as the figures read it too
    assert [a for a in ALIASES if in_dictionary(a) and month_number(a) is None] == []


def test_abbreviations_are_spelled_out_in_questions_and_in_briefs_alike() -> None:
    assert content_tokens("State Dept and the govt") == ["state", "department", "government"]
    assert content_tokens("the FM's trip") == ["foreign", "minister", "trip"]


@pytest.mark.parametrize("section", sorted(read_sections("figures.txt")))
def test_no_word_of_the_figure_check_is_listed_twice_in_a_section(section: str) -> None:
    counts = Counter(read_lines("figures.txt", section, normalized=False)
                     if section == "percent"  # a form a line ('per cent')
                     else read_sections("figures.txt")[section])
    assert [w for w, n in counts.items() if n > 1] == []


def test_every_language_has_names_and_no_name_is_two_languages() -> None:
    sections = read_sections("language_names.txt")
    assert set(sections) == {*LANGUAGES, "automatic"}
    counts = Counter(name for names in sections.values() for name in names)
    assert [n for n, k in counts.items() if k > 1] == []
    assert all(parse_language(name.upper()) == code
               for code in LANGUAGES for name in sections[code])
    assert not any(parse_language(name) for name in sections["automatic"])
