"""Reading a question, once: its language's words, their classes and the question's intent.

Everything later stages need from the text is worked out here, in one pass over it: the
content words (with the topic's abbreviations spelled out) as Latin skeletons, which are soft
(generic vocabulary, greetings, the subject itself) and which the subject itself, whether it is
small talk, a question about who holds an office now, a "how many" question, and which words
the reader capitalized as names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..glossary import Glossary, glossary_of
from ..lexicon import in_dictionary, soft_by_lemma, typed_as_names, typed_in_latin
from ..text import (
    SOFT_WORDS,
    asks_how_many,
    asks_who_holds_office,
    is_cyrillic,
    is_filler,
    is_filler_typo,
    is_soft,
    small_talk,
    speaks_of_the_reader,
    without_request_formulas,
)
from ..text import words as words_of
from ..topic import EMPTY_TOPIC
from .index import index_words

# office: who holds one now; acknowledge: "ok", "понятно"; vague: no word that could name a
# topic ("tell me more", "please explain")
Intent = Literal["question", "hello", "thanks", "acknowledge", "vague", "subject", "office"]
MAX_QUESTION = 4096  # characters read: Telegram's own cap on a message


@dataclass(frozen=True)
class Word:
    """A question word: its skeleton, its normalized form and its class."""

    skel: str
    word: str
    soft: bool  # generic vocabulary, greetings or the subject: need not be explained

    @property
    def cyrillic(self) -> bool:
        """Written in Cyrillic."""
        return is_cyrillic(self.word)


def question_words(text: str, glossary: Glossary | None = None) -> list[Word]:
    """The question's content words, one per skeleton (`glossary`: the topic's, which spells
    out its abbreviations and knows the words of the subject itself)."""
    glossary = glossary or glossary_of(EMPTY_TOPIC)
    seen: dict[str, Word] = {}
    for skel, word in index_words(text, glossary):
        if skel not in seen:
            seen[skel] = Word(skel, word, is_soft(word) or soft_by_lemma(word)
                              or glossary.is_subject(word))
    return list(seen.values())


@dataclass(frozen=True)
class Question:
    """A question as read once: its words and what kind of message it is."""

    text: str
    words: tuple[Word, ...]
    talk: Intent | None = None  # hello, thanks or acknowledge: small talk, not a question
    office: bool = False  # "who is the current …": dated briefs cannot say
    how_many: bool = False  # a question after a figure
    names: frozenset[str] = frozenset()  # words the reader capitalized inside a sentence
    subject: tuple[bool, ...] = ()  # per word: it names the subject itself
    personal: bool = False  # "my …", "your …": about the reader's own affairs or the bot's
    tokens: tuple[str, ...] = ()  # every word of it, in order, stop words included
    asking: frozenset[str] = frozenset()  # words of the formulas that only ask ("wondering")

    @property
    def only_subject(self) -> bool:
        """Made only of the subject itself (and soft words): "Kazakhstan", «США и Казахстан»,
        "I was wondering about Kazakhstan"."""
        return any(self.subject) and all(
            w.soft and (s or w.word in SOFT_WORDS or w.word in self.asking)
            for w, s in zip(self.words, self.subject, strict=True))

    @property
    def in_latin(self) -> bool:
        """Russian typed in Latin letters ("tarify Trampa 27 protsentov")."""
        return typed_in_latin(self.tokens)

    @property
    def only_numbers(self) -> bool:
        """Made only of numbers ("12")."""
        return bool(self.words) and all(w.skel.isdigit() for w in self.words)


def read_part(text: str) -> str:
    """What is read of a question: its first MAX_QUESTION characters, less a word cut there
    (so "trade" cut to "trad" is not read as a word)."""
    if len(text) <= MAX_QUESTION:
        return text
    part = text[:MAX_QUESTION]
    if text[MAX_QUESTION].isalnum() and part[-1].isalnum():
        part = re.sub(r"\w+$", "", part) or part  # one endless word: read as cut
    return part


def analyze(text: str, glossary: Glossary | None = None) -> Question:
    """Read a question once (its first MAX_QUESTION characters, `read_part`)."""
    text_read = read_part(text)
    glossary = glossary or glossary_of(EMPTY_TOPIC)
    talk = small_talk(text_read)
    if talk is not None:
        intent: Intent = ("thanks" if talk == "thanks" else
                          "acknowledge" if talk == "acknowledge" else "hello")
        return Question(text, (), talk=intent)
    tokens = words_of(text_read)
    rest, asking = without_request_formulas(tokens)
    words = tuple(Word(w.skel, w.word, True) if w.word in asking else w
                  for w in question_words(text_read, glossary))
    return Question(text, words, None, asks_who_holds_office(text_read),
                    asks_how_many(text_read), typed_as_names(text_read),
                    tuple(glossary.is_subject(w.word) for w in words),
                    speaks_of_the_reader(rest), tuple(tokens), asking)


def is_wrapping(word: str) -> bool:
    """A word no brief has that only wraps the question: a verb form, a stop or soft word as
    typed for Kazakh letters, or a typo of one that is no dictionary word itself."""
    return is_filler(word) or (is_filler_typo(word) and not in_dictionary(word))
