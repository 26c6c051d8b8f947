"""Is a question word that no brief has a common word of its language, or a name?

An unknown common word asks about a brief in other words ("cushion the fallout", "reform
drive", "ослабить удар"); an unknown name asks about something no brief covers ("aid to Gaza",
"визит Лаврова", "SCO summit 2024"). The matcher forgives the first kind when one brief leads
clearly, never the second.

- English: lemminflect's lexicon, which holds common words and no proper nouns, minus the
  country names that are also common nouns ("china", "turkey"; from pycountry). Read once
  from lemminflect's own files into two word sets (~8 MB), not its table of every word's
  lemmas by part of speech (~49 MB); `getAllLemmas` gives the same answers.
- Russian: pymorphy3's dictionary, minus the words it tags as names (places, first names,
  surnames, patronymics, organizations, trademarks).
- Kazakh, transliterations and typos: no lexicon knows them, so they count as names; a
  country's one-word Kazakh or Russian name (pycountry's ISO 3166 translations), in any
  case form, is a place.
- A word the reader capitalized inside a sentence ("What did Trump say") is a name; so are
  the names the topic file lists (people and companies whose names are English words).
- Numbers, a person's life and pastimes (born, wife, studied, hobby …), units of measure
  (tonnes, баррель) and everyday quantities (prices, weather) ask for a fact no brief holds:
  names too.
"""

from __future__ import annotations

import gettext
import gzip
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pycountry
from lemminflect import config as lemminflect_files
from lemminflect.core.LexicalUtils import categoryToUPos

from .text import (
    KAZAKH_LETTERS,
    LIFE_WORDS,
    STOP_WORDS,
    fold_kazakh,
    is_cyrillic,
    kazakh_stem,
    normalize,
    read_sections,
    word_list,
)

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

# Former English names of countries readers still write, and the words of official names
# that name no country alone (bot/lang/country_names.txt).
_COUNTRY_NAMES = read_sections("country_names.txt")
CYRILLIC_COUNTRY_LANGUAGES = ("kk", "ru")  # pycountry's translations read for country names
# pymorphy3's grammemes for names: places, first names, surnames, patronymics, organizations,
# trademarks (OpenCorpora's tag set).
NAME_TAGS = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})

# Units a "how many" question counts in, and quantities of daily life ("energy prices in
# Europe", "погода в Алматы"): the figure asked for is one no brief states (bot/lang/).
MEASURES = word_list("measures")

# A person's pastimes and schooling: like LIFE_WORDS, what a question about a name turns on
# ("where did Tokayev study", "хобби Токаева"); no brief is a biography.
PERSONAL = word_list("personal")

# What a question asks about that no brief holds: never a common word, as typed or as a lemma.
ASKED_FACTS = LIFE_WORDS | MEASURES | PERSONAL


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Every word of every country's name, lower case ("china", "turkey", "jordan")."""
    found: set[str] = set()
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            name = getattr(country, field, None)
            if name:
                found.update(w.strip("(),.'").lower() for w in name.split())
    found.update(_COUNTRY_NAMES["former"])  # pycountry says Türkiye
    return frozenset(w for w in found if len(w) > 3 and w not in _COUNTRY_NAMES["generic"])


@lru_cache(maxsize=1)
def _cyrillic_countries() -> frozenset[str]:
    """Countries whose Kazakh or Russian name (pycountry's ISO 3166 translations) is one
    word, lower case, also as typed with Russian letters for Kazakh ones ("қытай", "кытай",
    "ресей", "өзбекстан"): Kazakh has no dictionary here that would tag them."""
    found: set[str] = set()
    for language in CYRILLIC_COUNTRY_LANGUAGES:
        names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language],
                                    fallback=True)
        for country in pycountry.countries:
            for field in ("name", "common_name"):
                english = getattr(country, field, None)
                local = names.gettext(english) if english else ""
                if local and local != english and len(local.split()) == 1:
                    word = normalize(local)
                    found.update({word, fold_kazakh(word)})
    return frozenset(w for w in found if len(w) > 3)


def _is_cyrillic_country(token: str) -> bool:
    countries = _cyrillic_countries()
    return token in countries or kazakh_stem(token) in countries


@lru_cache(maxsize=1)
def _morph() -> MorphAnalyzer:
    """pymorphy3's analyzer, loaded on first use (about 15 MB of dictionaries)."""
    from pymorphy3 import MorphAnalyzer

    # it says at INFO where its dictionaries are: not a line for the bot's log
    logging.getLogger("pymorphy3").setLevel(logging.WARNING)
    return MorphAnalyzer()


@lru_cache(maxsize=1)
def _english_words() -> tuple[WordSet, frozenset[str]]:
    """lemminflect's lexicon as two sets: every word it has lemmas for, and the words with
    a lemma in ASKED_FACTS. Read from its files as its `getAllLemmas` reads them (its
    overrides replace a part of speech's lemmas), for lower-case words."""
    overrides: dict[str, dict[str, tuple[str, ...]]] = {}
    with open(lemminflect_files.lemma_overrides_fn, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                word, pos, lemma = line.split(",")
                overrides.setdefault(word, {})[pos] = (lemma,)
    known: set[str] = set(overrides)
    asked: set[str] = set()
    overridden: dict[str, dict[str, tuple[str, ...]]] = {}
    with gzip.open(lemminflect_files.lemma_lu_fn, "rt", encoding="utf-8") as f:
        for line in f:
            word, category, forms = line.strip().split(",")
            lemmas = tuple(forms.split("/"))
            if word in overrides:
                overridden.setdefault(word, {})[categoryToUPos(category)] = lemmas
                continue
            known.add(word)
            if any(lemma.lower() in ASKED_FACTS for lemma in lemmas):
                asked.add(word)
    for word, entries in overrides.items():
        merged = {**overridden.get(word, {}), **entries}  # as getAllLemmas merges them
        if any(lemma.lower() in ASKED_FACTS for forms in merged.values() for lemma in forms):
            asked.add(word)
    return WordSet(known), frozenset(asked)


class WordSet:
    """A large, fixed set of words held as a sorted array of their hashes: 8 bytes a word
    instead of ~120 for a str in a frozenset (lemminflect's 70,000 words: ~0.6 MB, not ~8 MB).
    Two words with the same 64-bit hash would be confused: about one chance in 10^14 a
    lookup."""

    def __init__(self, words: Iterable[str]) -> None:
        self._hashes = np.unique(np.fromiter((hash(w) for w in words), np.int64))

    def __contains__(self, word: object) -> bool:
        h = hash(word)
        i = int(np.searchsorted(self._hashes, h))
        return i < len(self._hashes) and int(self._hashes[i]) == h

    def __len__(self) -> int:
        return len(self._hashes)


def _english(word: str) -> bool:
    known, asked = _english_words()
    word = word.lower()
    return word in known and word not in _country_words() and word not in asked


def _russian(word: str) -> bool:
    morph = _morph()
    if not morph.word_is_known(word):
        return False
    best = morph.parse(word)[0]
    return not (NAME_TAGS & best.tag.grammemes or best.normal_form in ASKED_FACTS)


_WORD = re.compile(r"[^\W\d_][^\W_]*")
SENTENCE_ENDS = frozenset(".!?:…")
TITLE_CASE_SHARE = 0.5  # of a text's words capitalized, and no other word but function words:
                        # a headline, where capitals say nothing
TITLE_CASE_MIN = 4  # ... counted from this many words (3+ letters) on


def typed_as_names(text: str) -> frozenset[str]:
    """Normalized words the reader capitalized inside a sentence ("aid to Gaza" -> "gaza"),
    unless the text is a headline in title case ("Reform Drive Wins Praise": every word but
    the function words capitalized; "What is the tuition at Nazarbayev University" is not).
    One pass: a word starts a sentence when the last non-space character before it ends one
    (or there is none)."""
    found, capitalized, lower, total = set(), 0, 0, 0
    last, pos = "", 0  # the last non-space character before the current word; where it ends
    for m in _WORD.finditer(text):
        gap = text[pos:m.start()].rstrip()
        last = gap[-1] if gap else last
        starts_sentence = last == "" or last in SENTENCE_ENDS
        word, last, pos = m.group(), m.group()[-1], m.end()
        if len(word) < 3:
            continue
        total += 1
        if word[0].isupper():
            capitalized += 1
            if not starts_sentence and not word.isupper():
                found.add(normalize(word))
        elif word not in STOP_WORDS:
            lower += 1
    if total >= TITLE_CASE_MIN and capitalized > TITLE_CASE_SHARE * total and not lower:
        return frozenset()
    return frozenset(found)


def preload() -> None:
    """Load the dictionaries now (about 0.2 s, once a process) rather than on the first
    question that has a word no brief has."""
    _morph()
    _country_words()
    _cyrillic_countries()
    _english_words()


@lru_cache(maxsize=65536)
def in_dictionary(token: str) -> bool:
    """A word English's or Russian's dictionary knows, names included ("wheat", "газ")."""
    if not token.isalpha():
        return False
    if token.isascii():
        return token.lower() in _english_words()[0]
    return not KAZAKH_LETTERS & set(token) and _morph().word_is_known(token)


@lru_cache(maxsize=65536)
def is_place_or_person(token: str) -> bool:
    """A country's name (pycountry: "kyrgyzstan", "china") or a word Russian's dictionary
    tags as a place, a person or an organization ("Ирана", "Лаврова"); never a word the
    dictionary does not have, whose tags pymorphy3 only guesses from its ending (Kazakh
    «есеп», «делегациясы»)."""
    if token in _country_words():
        return True
    if not token.isalpha() or token.isascii():
        return False
    morph = _morph()
    if not KAZAKH_LETTERS & set(token) and morph.word_is_known(token):
        # a Russian word: its dictionary says («Китая» a place; «того», «малина» no country),
        # and a noun that is a country's name as it stands («Сомали», «Макао»)
        tag = morph.parse(token)[0].tag
        return bool(NAME_TAGS & tag.grammemes) or (
            tag.POS == "NOUN" and token in _cyrillic_countries())
    # Kazakh, or a word Russian's dictionary only guesses at (its ending): no known name,
    # unless it is a country's Kazakh name («Қытаймен», «Ресейге»)
    return _is_cyrillic_country(token)


@lru_cache(maxsize=1)
def _soft_lemmas() -> frozenset[str]:
    """pymorphy3's dictionary forms of bot/lang/ru.txt's soft and generic words, except any
    word kk.txt also lists (folded): a Kazakh word typed with Russian letters would be read
    as another word's form («сала» as «сало»)."""
    morph = _morph()
    kazakh = {fold_kazakh(w) for words in read_sections("kk.txt").values() for w in words}
    ru = read_sections("ru.txt")
    return frozenset(morph.parse(w)[0].normal_form
                     for w in (*ru.get("soft", ()), *ru.get("generic", ()))
                     if w.isalpha() and not w.isascii() and w not in kazakh
                     and morph.word_is_known(w))


@lru_cache(maxsize=65536)
def soft_by_lemma(token: str) -> bool:
    """A Russian word whose dictionary form is that of a soft or generic word («новой» of
    «новое», «приедет» of «приехал»): a form the word lists and the stemmer do not reach
    (short stems join nothing)."""
    if (not token.isalpha() or token.isascii() or KAZAKH_LETTERS & set(token)
            or token in ASKED_FACTS):  # «лет» of «сколько лет»: an age, not a year
        return False
    morph = _morph()
    return morph.word_is_known(token) and morph.parse(token)[0].normal_form in _soft_lemmas()


@lru_cache(maxsize=1)
def _latin_letters() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """ru.txt's [latin_letters]: Latin spellings of Russian letters, longest first."""
    pairs = (entry.partition("=") for entry in read_sections("ru.txt").get("latin_letters", ()))
    table = [(latin, tuple(cyrillic.split(","))) for latin, _, cyrillic in pairs]
    return tuple(sorted(table, key=lambda pair: -len(pair[0])))


def _cyrillic_spellings(word: str, limit: int) -> list[str]:
    """The Cyrillic words a Latin-typed word may be (at most `limit` of them)."""
    table = _latin_letters()
    found = [""]
    at = 0
    while at < len(word):
        for latin, letters in table:
            if word.startswith(latin, at):
                found = [f + c for f in found for c in letters][:limit]
                at += len(latin)
                break
        else:
            return []  # a letter no spelling covers
    return found


LATIN_RUSSIAN_MIN = 4  # letters: shorter Latin words spell too many Russian ones
LATIN_RUSSIAN_MAX = 24  # letters: past any common Russian word; bounds the spellings' cost
LATIN_RUSSIAN_SPELLINGS = 256  # Cyrillic readings tried at most (a long word with many e, i, y)


@lru_cache(maxsize=16384)
def russian_readings(token: str) -> tuple[str, ...]:
    """The Russian dictionary words a Latin-typed word spells ("protsentov" -> «процентов»,
    "tarify" -> «тарифы»); none for a word of English's dictionary, or of fewer than
    LATIN_RUSSIAN_MIN or more than LATIN_RUSSIAN_MAX letters."""
    if (not LATIN_RUSSIAN_MIN <= len(token) <= LATIN_RUSSIAN_MAX or not token.isascii()
            or not token.isalpha() or token in _english_words()[0]):
        return ()
    morph = _morph()
    return tuple(s for s in _cyrillic_spellings(token, LATIN_RUSSIAN_SPELLINGS)
                 if morph.word_is_known(s))


@lru_cache(maxsize=16384)
def _latin_common(token: str) -> bool:
    """A Latin-typed word whose every Russian reading is a common word (`is_common_word`:
    no number, life word or measure) and no reading of which is a name: "protsentov", never
    "lavrov" («Лавров»), "vera" («Вера») or "zhenat" (a life word)."""
    readings = russian_readings(token)
    return bool(readings) and all(
        is_common_word(r) and not any(NAME_TAGS & p.tag.grammemes for p in _morph().parse(r))
        for r in readings)


def typed_in_latin(tokens: Iterable[str]) -> bool:
    """A question in Russian typed in Latin letters: two of its words spell Russian common
    words, and more of them than of English's dictionary words (names, spelt alike in both
    languages, count for neither)."""
    latin = [t for t in tokens if t.isascii() and t.isalpha() and len(t) > 1]
    russian = sum(1 for t in latin if _latin_common(t))
    english = sum(1 for t in latin if t in _english_words()[0])
    return russian >= 2 and russian > english


@lru_cache(maxsize=65536)
def is_common_word(token: str, latin: bool = False) -> bool:
    """True for a dictionary word of English or Russian that is not a name, a number, a word
    of a person's life or a unit of measure (`token` is a normalized question word). With
    `latin` (a question in Russian typed in Latin letters, `typed_in_latin`), a Latin word
    English's dictionary lacks is common when every Russian word it spells is and none is a
    name."""
    if not token.isalpha() or token in ASKED_FACTS:
        return False
    if token.isascii():
        if latin and russian_readings(token):
            return _latin_common(token)
        return _english(token)
    if KAZAKH_LETTERS & set(token):
        return False
    return _russian(token)


def is_name(token: str, typed: frozenset[str] = frozenset()) -> bool:
    """A question word that names something rather than says something: capitalized by the
    reader (`typed`), a country, or a word no English or Russian dictionary has as a common
    word (Kazakh words, which no dictionary here covers, are not taken for names)."""
    if token in typed or is_place_or_person(token):
        return True
    if not token.isalpha() or KAZAKH_LETTERS & set(token):
        return False
    return token.isascii() and not in_dictionary(token)


def unreadable(token: str) -> bool:
    """A Cyrillic word that neither Russian's dictionary nor the name tags know (a Kazakh
    word, a Russian word typed as Kazakh): no dictionary here can say it is a name. Latin
    words with accents ("erdoğan") are not: no dictionary here reads them either, and they
    are names."""
    return (token.isalpha() and is_cyrillic(token) and not is_place_or_person(token)
            and (bool(KAZAKH_LETTERS & set(token)) or not in_dictionary(token)))
