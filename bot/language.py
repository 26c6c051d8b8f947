"""Which language a reader gets: their /language choice, else the language of their question
when it is clear, else the language they last asked in, else Telegram's, else English."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import TypeVar

from .i18n import DEFAULT, LANGUAGES
from .text import (
    KAZAKH_LETTERS,
    is_cyrillic,
    read_lines,
    read_sections,
    small_talk,
    without_phrases,
    words,
)

MIN_WORDS = 2  # a question of one word ("ОДКБ", "Blinken") says nothing of its language
CLEAR_SHARE = 0.75  # of its words in one script
_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only; one-letter words ("и", "a") do not count
V = TypeVar("V")
# Common Kazakh words written without a Kazakh-only letter, and never Russian: "Блинкен
# санкциялар туралы не айтты?" is Kazakh though every letter of it is also Russian
# (bot/lang/kk.txt, [markers]).
KAZAKH_WORDS = frozenset(read_sections("kk.txt")["markers"])
# Greetings and thanks say their language though they are one word ("привет", "рахмет"): each
# word of the [hello] and [thanks] lists of one language's file (bot/lang/), and of no other's.
_SMALL_TALK_LISTS = ("hello", "thanks")


def _small_talk_languages() -> dict[str, str]:
    seen: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        sections = read_sections(f"{lang}.txt")
        for word in (w for s in _SMALL_TALK_LISTS for w in sections.get(s, ())):
            seen.setdefault(word, set()).add(lang)
    return {word: langs.pop() for word, langs in seen.items() if len(langs) == 1}


SMALL_TALK_LANGUAGE = _small_talk_languages()


def _formulas_by_language() -> tuple[tuple[str | None, tuple[tuple[str, ...], ...]], ...]:
    """Greeting formulas ("сау бол", "good morning"), each under the one language whose file
    lists it, or under None when several do."""
    said: dict[tuple[str, ...], set[str]] = {}
    for lang in LANGUAGES:
        for line in read_lines(f"{lang}.txt", "hello_phrases"):
            said.setdefault(tuple(line.split()), set()).add(lang)
    by: dict[str | None, list[tuple[str, ...]]] = {}
    for phrase, langs in said.items():
        by.setdefault(langs.pop() if len(langs) == 1 else None, []).append(phrase)
    return tuple((lang, tuple(sorted(p, key=len, reverse=True))) for lang, p in by.items())


_FORMULAS = _formulas_by_language()
# The codes and names a reader may choose a language by (bot/lang/language_names.txt).
_NAMES = read_sections("language_names.txt")
LANGUAGE_NAMES = {name: code for code in LANGUAGES for name in _NAMES[code]}
AUTOMATIC_NAMES = frozenset(_NAMES["automatic"])  # '/language auto': no choice of one's own


def question_language(text: str) -> str | None:
    """The language of a question when its script makes it clear: Cyrillic with a Kazakh-only
    letter (or a common Kazakh word) is Kazakh, other Cyrillic Russian, Latin English; None
    for a short or mixed one."""
    words = _WORD.findall(text)
    cyrillic = [w for w in words if is_cyrillic(w)]
    latin = [w for w in words if w.isascii()]
    for script in (cyrillic, latin):
        if len(script) >= MIN_WORDS and len(script) >= CLEAR_SHARE * len(words):
            if script is latin:
                return "en"
            lower = [w.lower() for w in script]
            kazakh = set("".join(lower)) & KAZAKH_LETTERS or KAZAKH_WORDS.intersection(lower)
            return "kk" if kazakh else "ru"
    return None


def small_talk_language(text: str) -> str | None:
    """The language of a message made only of one language's greetings, greeting formulas
    and thanks ("привет", "сау бол", "рахмет"): for its own reply, never remembered as the
    reader's language."""
    tokens, said = words(text), set()
    for lang, formulas in _FORMULAS:
        tokens, found = without_phrases(tokens, formulas)
        if found:
            said.add(lang)
    said |= {SMALL_TALK_LANGUAGE.get(w) for w in tokens if _WORD.fullmatch(w)}
    return said.pop() if len(said) == 1 and None not in said else None


def spoken_language(text: str) -> str | None:
    """The language a message tells of its reader, to remember for later replies: a
    question's clear language; none for a greeting or thanks, whose language is its own
    reply's only ("thank you" from a reader who asks in Kazakh)."""
    return None if small_talk(text) is not None else question_language(text)


def telegram_language(code: str | None) -> str:
    """A Telegram `language_code` ("ru", "kk", "en-US", …): Russian or Kazakh, else English."""
    primary = (code or "").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def parse_language(word: str) -> str | None:
    """A language named by its code or name in any of the three ("ru", "русский", "Kazakh")."""
    return LANGUAGE_NAMES.get(word.strip().lower())


def choose_language(chosen: str | None = None, text: str = "", recent: str | None = None,
                    code: str | None = None) -> str:
    """The reply language, in order: the reader's choice; for a greeting or thanks, its own
    language, else its script's (this reply only); for a question, its clear language; the
    language of their last clear question; Telegram's `language_code`; English."""
    if chosen in LANGUAGES:
        return chosen
    said = (small_talk_language(text) or question_language(text) if small_talk(text)
            else question_language(text))
    return said or recent or telegram_language(code)


class ReaderLanguages:
    """What the running bot knows of readers' languages, by user id: their /language choice
    (read from the database once, then kept here) and the language of their last clear
    question (kept in memory only). At most `limit` readers each, least recent dropped."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._choices: OrderedDict[int, str | None] = OrderedDict()
        self._recent: OrderedDict[int, str] = OrderedDict()

    def knows_choice(self, user_id: int) -> bool:
        """True when the reader's choice (or its absence) has been read."""
        return user_id in self._choices

    def choice(self, user_id: int) -> str | None:
        """The reader's /language choice, if known and made."""
        return self._choices.get(user_id)

    def set_choice(self, user_id: int, lang: str | None) -> None:
        """Remember a choice (None: none made, or cleared)."""
        _put(self._choices, user_id, lang, self.limit)

    def recent(self, user_id: int) -> str | None:
        """The language of the reader's last clear question."""
        return self._recent.get(user_id)

    def heard(self, user_id: int, lang: str) -> None:
        """The reader asked a question clearly in `lang`."""
        _put(self._recent, user_id, lang, self.limit)

    def forget(self, user_id: int) -> None:
        """Drop everything remembered about a reader (/forget)."""
        self._choices.pop(user_id, None)
        self._recent.pop(user_id, None)


def _put(memory: OrderedDict[int, V], key: int, value: V, limit: int) -> None:
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > limit:
        memory.popitem(last=False)
