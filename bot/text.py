"""Text normalization shared by matching and statistics: words, stop words, stems, skeletons.

Words fall into classes that the matcher treats differently:
- stop words (function and question words in English, Russian and Kazakh) are dropped;
- soft words (greetings, thanks and generic question vocabulary: "role", "позиция",
  "ұстанымы") are kept as evidence when a brief has them, but a brief that lacks them
  still explains the question;
- subject words name the bot's own subject (listed in the topic file, bot/glossary.py): a
  question made only of them is about everything the bot covers, not about one brief;
- every other word is specific: a brief must account for it to answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import snowballstemmer
from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA, Hamming
from rapidfuzz.utils import default_process

LANG_DIR = Path(__file__).resolve().parent / "lang"
LANGUAGE_FILES = ("en.txt", "ru.txt", "kk.txt")


def read_sections(name: str) -> dict[str, tuple[str, ...]]:
    """A word list file of bot/lang/: [section] headers, then words; '#' starts a comment."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (LANG_DIR / name).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and "]" in line:
            current = sections.setdefault(line[1:line.index("]")], [])
        elif line and current is not None:
            current.extend(line.split())
    return {key: tuple(words) for key, words in sections.items()}


def read_pairs(name: str) -> dict[str, str]:
    """A word list of pairs (bot/lang/NAME: one pair a line, # comments)."""
    pairs = {}
    for line in (LANG_DIR / name).read_text("utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            pairs[parts[0]] = parts[1]
    return pairs


def read_aliases(name: str) -> dict[str, tuple[str, ...]]:
    """A bot/lang/ file of abbreviations: the abbreviation, then its word(s), one a line."""
    aliases = {}
    for line in (LANG_DIR / name).read_text("utf-8").splitlines():
        abbreviation, *spelled = line.split("#", 1)[0].split() or [""]
        if spelled:
            aliases[abbreviation] = tuple(spelled)
    return aliases


def read_lines(name: str, section: str, normalized: bool = True) -> tuple[str, ...]:
    """One section of a bot/lang/ file, a phrase a line (normalized, or as written)."""
    lines: list[str] = []
    current = ""
    for line in (LANG_DIR / name).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and "]" in line:
            current = line[1:line.index("]")]
        elif line and current == section:
            lines.append(normalize(line) if normalized else line.lower())
    return tuple(lines)


def word_list(section: str) -> frozenset[str]:
    """One section's words across the three languages' files."""
    return frozenset(w for name in LANGUAGE_FILES for w in read_sections(name).get(section, ()))


STOP_WORDS = word_list("stop")  # function and question words: dropped
HELLO_WORDS = word_list("hello")
THANKS_WORDS = word_list("thanks")
ACKNOWLEDGE_WORDS = word_list("acknowledge")  # "ok", "понятно"
HYPHEN_PREFIXES = word_list("hyphen_prefixes")  # "co-chaired": the word after it counts
NAME_JOINERS = word_list("name_joiners")  # "University *of* Wisconsin": one name goes on
COURTESY_WORDS = word_list("courtesy")  # "thanks a lot": words that go with the above
# Generic question vocabulary: words people wrap a question in. A brief that has one of them
# counts it as evidence; a brief that lacks it still explains the question.
SOFT_WORDS = word_list("soft") | HELLO_WORDS | THANKS_WORDS | ACKNOWLEDGE_WORDS
# Common verbs, adjectives and adverbs name no topic (a topic is a country, a person, a
# thing): like soft words they count when a brief has them and never count against it.
# Compared by stem, so "arrives", "arrived" and "arriving" are all soft.
GENERIC_WORDS = word_list("generic")
# The words of a person's life are what off-topic questions about a name turn on ("Где
# родился Токаев?"): never soft, whatever their ending.
LIFE_WORDS = word_list("life")
PERSON_WORDS = word_list("person")  # "my", "you": the reader's or the bot's own affairs

# Abbreviations people type, spelled out as texts write them (bot/lang/en_abbreviations.txt).
ALIASES = read_aliases("en_abbreviations.txt")

_POSSESSIVE = re.compile(r"['’`]s\b")
_DECIMAL = re.compile(r"(\d)[.,](\d)")  # 58.8 and 37,2 stay one word: 58d8, 37d2
_APOSTROPHES = re.compile(r"['’`]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")

# Kazakh endings, in the order they stack on a stem: plural, then possessive, then case (or
# a participle / past ending on a verb); bot/lang/kk_endings.txt. `kazakh_stem` strips at most
# one of each, from the end inward, longest first.
_ENDINGS = read_sections("kk_endings.txt")
KAZAKH_CASE = tuple(sorted((*_ENDINGS["case"], *_ENDINGS["ablative"], *_ENDINGS["verb"]),
                           key=len, reverse=True))
KAZAKH_POSSESSIVE = tuple(sorted(_ENDINGS["possessive"], key=len, reverse=True))
KAZAKH_PLURAL = tuple(sorted(_ENDINGS["plural"], key=len, reverse=True))
KAZAKH_MIN_STEM = 4
_VOICED = {"ғ": "қ", "г": "к", "б": "п"}
# Kazakh letters and the Russian letters people type for them on a Russian keyboard.
_KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноууhи")


def fold_kazakh(word: str) -> str:
    """Kazakh letters as their Russian look-alikes (қанша -> канша), for word lists."""
    return word.translate(_KAZAKH_FOLD)

# English names of peoples and their places share a stem: a Russian question is about Russia.
DEMONYMS = read_pairs("en_demonyms.txt")

_EN = snowballstemmer.stemmer("english")
_RU = snowballstemmer.stemmer("russian")


# A prefix written with a hyphen (the [hyphen_prefixes] of bot/lang/) is no word of its own.
# A two-letter one joins the word, as American spelling writes it ("co-operation" is
# "cooperation"; "co-chaired" then meets "chaired" as a typo would); a longer one is dropped
# ("post-Soviet": the word after it is what counts). Other words before a hyphen stay
# ("no-fly", "non-immigrant", "eu-funded"), and so does a prefix in capitals ("CO-OP").
_PREFIX = re.compile(r"(?<![\w-])([A-Za-z]{2,4})-(?=[A-Za-z]{3})")


def _prefix_dropped(found: re.Match[str]) -> str:
    prefix = found.group(1)
    if prefix.lower() not in HYPHEN_PREFIXES or prefix.isupper():
        return found.group()
    return prefix if len(prefix) == 2 else ""


def normalize(text: str) -> str:
    """NFKC, prefixes written with a hyphen dropped, casefold, ё→е, punctuation to spaces,
    collapsed whitespace."""
    text = _PREFIX.sub(_prefix_dropped, unicodedata.normalize("NFKC", text))
    text = text.casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", _POSSESSIVE.sub("", text))
    text = _DECIMAL.sub(r"\1d\2", text)
    return " ".join(default_process(text).split())


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """Latin transliteration of a normalized token (Токаев -> tokaev, ОДКБ -> odkb)."""
    latin = anyascii(token).lower()
    return "".join(ch for ch in latin if ch.isalnum())


def is_cyrillic(token: str) -> bool:
    """True for a word written in Cyrillic (Russian or Kazakh)."""
    return bool(_CYRILLIC.search(token))


def kazakh_stem(word: str) -> str:
    """Strip a Kazakh case, possessive and plural ending, in that order (Тоқаевтың -> тоқаев,
    реформаларын -> реформа)."""
    stripped = False
    for tier in (KAZAKH_CASE, KAZAKH_POSSESSIVE, KAZAKH_PLURAL):
        for ending in tier:
            if word.endswith(ending) and len(word) - len(ending) >= KAZAKH_MIN_STEM:
                word = word[: -len(ending)]
                stripped = True
                break
    if stripped and word[-1] in _VOICED:  # болашағын: болашақ + ын (қ voiced before a vowel)
        word = word[:-1] + _VOICED[word[-1]]
    return word


@lru_cache(maxsize=65536)
def stems(token: str) -> frozenset[str]:
    """A normalized word's stems as Latin skeletons: Snowball English for Latin words;
    Snowball Russian and the Kazakh ending table for Cyrillic ones (a Cyrillic word without
    Kazakh letters may be either language, so it gets both)."""
    if not is_cyrillic(token):
        if not token.isalpha():
            return frozenset()
        return frozenset({skeleton(_EN.stemWord(DEMONYMS.get(token, token)))})
    found = {_RU.stemWord(token)}
    if len(token) > KAZAKH_MIN_STEM:
        kk = kazakh_stem(token)
        if kk != token:
            found |= {kk, _RU.stemWord(kk)}
    found |= {fold_kazakh(s) for s in found}  # қарым meets карым, typed on a Russian keyboard
    return frozenset(s for s in map(skeleton, found) if len(s) >= 4)


def words(text: str) -> list[str]:
    """Normalized words of a text, stop words and greetings included."""
    return normalize(text).split()


@lru_cache(maxsize=1)
def _latin_stop_words() -> frozenset[str]:
    """Russian and Kazakh stop words as people type them in Latin letters (ili, chto, kak),
    except those that are English words too."""
    english = {w for w in STOP_WORDS | SOFT_WORDS | GENERIC_WORDS if not is_cyrillic(w)}
    latin = {skeleton(w) for w in STOP_WORDS if is_cyrillic(w)}
    latin |= word_list("latin_stop")
    return frozenset(w for w in latin if len(w) >= 2) - english


NO_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType({})


def content_tokens(text: str, aliases: Mapping[str, tuple[str, ...]] = NO_ALIASES,
                   keep: frozenset[str] = frozenset()) -> list[str]:
    """Words that can carry a topic: not stop words or 1-character tokens (soft words stay);
    abbreviations spelled out (the language's and `aliases`, the topic's); `keep`: words
    never dropped as a Russian or Kazakh stop word typed in Latin letters (the topic's)."""
    out = []
    latin_stop = _latin_stop_words()
    for w in words(text):
        for word in aliases.get(w) or ALIASES.get(w, (w,)):
            if len(word) > 1 and word not in STOP_WORDS and (
                    word not in latin_stop or word in keep):
                out.append(word)
    return out


# The Kazakh endings that mark a verb (bot/lang/kk_endings.txt, [verb] and [verb_forms]).
_KAZAKH_VERB_ENDINGS = sorted({*_ENDINGS["verb"], *_ENDINGS["verb_forms"]},
                              key=lambda e: (-len(e), e))
# Verb forms by their endings (verbs name no topic): Russian past tense (осудил, приезжали),
# infinitive (инвестировать), present tense of -ать/-ять/-овать verbs (влияет, поддерживают);
# Kazakh participles (шектесетін, келген), present tense (өндіріледі), converbs (барып) and the
# infinitive in the dative (салуға). Applied only to words no brief has (see the matcher):
# a noun caught here (капитал) can at worst lose its veto, never gain a brief.
_VERB_FORM = re.compile(
    r"""(?:
        [аяиеыу]л(?:а|о|и|ся|ась|ось|ись)?      # осудил, приезжала, вложили, обсуждались
      | (?:[ая]ть|еть|ить|ыть|овать|ировать)(?:ся)?   # объявить, инвестировать
      | (?:ает|яет|еет|ует|ают|яют|еют|уют)(?:ся)?    # влияет, поддерживают
      | (?:""" + "|".join(_KAZAKH_VERB_ENDINGS) + r""")  # шектесетін, келген, береді,
                                                     # барып, салуға, кіруін (kk_endings.txt)
      | (?:[аеоыіәөұүэюя][дт][ыі])                    # дамыды: after a vowel only a past
                                                     # tense (the accusative there is -ны;
                                                     # у and и count as consonants: қаруды)
      | (?:[^аеиоуыэюя]ли)                            # выросли: a Russian past after a
                                                     # consonant
      | (?:[^аеиоуыіәөұүэюя]ды|[^аеиоуыіәөұүэюя]ді
         |[^аеиоуыіәөұүэюя]ты|[^аеиоуыіәөұүэюя]ті)   # аяқталды, жіберді (6+ letters)
    )$""", re.VERBOSE)


_PAST = re.compile(r"[^аеиоуыіәөұүэюя][дт][ыі]$")


def is_verb_form(token: str) -> bool:
    """A Russian or Kazakh word whose ending marks it as a verb (5+ letters; a Kazakh past
    tense, which shares its ending with the accusative, 6+)."""
    if len(token) < 5 or not is_cyrillic(token) or not _VERB_FORM.search(token):
        return False
    return len(token) >= 6 or not _PAST.search(token)


@lru_cache(maxsize=65536)
def is_filler(token: str) -> bool:
    """For a word no brief has: a verb form, or a stop or soft word typed with Russian
    letters for Kazakh ones (канша). Such a word carries no veto."""
    if token in LIFE_WORDS:
        return False
    if is_verb_form(token):
        return True
    return fold_kazakh(token) in _folded_fillers()


@lru_cache(maxsize=65536)
def is_filler_typo(token: str) -> bool:
    """A word within a typo of a stop, soft or generic word (typed with Russian letters for
    Kazakh ones, too): "waht", "teh", "бериниз". The caller checks it is no dictionary word
    itself ("wheat" is not "what")."""
    folded = fold_kazakh(token)
    if len(token) < 3 or token in LIFE_WORDS:
        return False
    # one edit (a swap of two letters counting one) up to 8 letters, two from 9
    # ("waht", "teh", "abut", "пожалусто"); never one changed letter of a short word, which
    # makes another word more often than a typo (car / can)
    edits = 1 if len(token) < 9 else 2
    for near, _score, _i in process.extract(folded, _folded_fillers(), scorer=OSA.distance,
                                            score_cutoff=edits, limit=None):
        if not (len(token) <= 4 and len(near) == len(token)
                and Hamming.distance(near, folded) == 1):
            return True
    return False


@lru_cache(maxsize=1)
def _folded_fillers() -> frozenset[str]:
    return frozenset(fold_kazakh(w) for w in STOP_WORDS | SOFT_WORDS | GENERIC_WORDS)


@lru_cache(maxsize=65536)
def is_soft(token: str) -> bool:
    """Generic question vocabulary, greetings, thanks and common verbs, adjectives and
    adverbs (see the module docstring)."""
    if token in LIFE_WORDS:
        return False
    if token in SOFT_WORDS or token in GENERIC_WORDS or kazakh_stem(token) in SOFT_WORDS:
        return True
    return bool(stems(token) & _soft_stems())


@lru_cache(maxsize=1)
def _soft_stems() -> frozenset[str]:
    """Stems of the soft and generic words (4+ letters, so short stems join nothing)."""
    return frozenset(s for w in SOFT_WORDS | GENERIC_WORDS for s in stems(w) if len(s) >= 4)


def same_root(a: str, b: str, prefix: int = 7) -> bool:
    """Two stems of one root: equal, or sharing their first `prefix` letters and 85 % of the
    shorter one (сотрудничают / сотрудничество; not visitor / visit)."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= prefix and shared >= 0.85 * min(len(a), len(b))


def form_pattern(form: str) -> str:
    """A word or phrase of bot/lang/ as a regex: '*' ends one that takes any ending
    ('нынешн*'), a space matches any run of spaces ('how many')."""
    if form.endswith("*"):
        return re.escape(form[:-1]) + r"\w*"
    return r"\s+".join(map(re.escape, form.split()))


def _any_of(forms: Iterable[str]) -> re.Pattern[str]:
    """A whole-word pattern for words or phrases of bot/lang/ (`form_pattern`)."""
    patterns = [form_pattern(f) for f in forms]
    return re.compile(r"\b(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


# [how_many], [who] and [now_or_next] of each language file, with the Latin spellings readers
# type Russian and Kazakh in (skolko, qansha, kto)
_HOW_MANY = _any_of(p for name in LANGUAGE_FILES
                    for p in read_lines(name, "how_many", normalized=False))


def asks_how_many(text: str) -> bool:
    """A question after a figure: "how many …", "сколько …", "қанша …", "неше …"."""
    return _HOW_MANY.search(text) is not None


_WHO = _any_of(word_list("who"))
_NOW_OR_NEXT = _any_of(word_list("now_or_next"))


def asks_who_holds_office(text: str) -> bool:
    """"Who is the current …", "who replaced …", "кто стал … после": a question about who
    holds an office now or next, which dated briefs cannot answer."""
    return _WHO.search(text) is not None and _NOW_OR_NEXT.search(text) is not None


@lru_cache(maxsize=1)
def _hello_phrases() -> tuple[tuple[str, ...], ...]:
    """The greeting formulas, longest first ("see you later" before "see you")."""
    return tuple(sorted((tuple(p.split()) for name in LANGUAGE_FILES
                         for p in read_lines(name, "hello_phrases")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _request_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for name in LANGUAGE_FILES
                 for p in read_lines(name, "request_phrases"))


def about_the_reader(text: str) -> bool:
    """True when a question speaks of the reader's or the bot's own affairs ("my visa card",
    "should I get an oil change", "who made you"): a first- or second-person word outside the
    formulas that only ask ("tell me", "I would like to know", «расскажи мне»)."""
    return speaks_of_the_reader(without_request_formulas(words(text))[0])


def speaks_of_the_reader(tokens: list[str]) -> bool:
    """True when a first- or second-person word is among these tokens (see
    about_the_reader, which reads them without the formulas that only ask)."""
    return not PERSON_WORDS.isdisjoint(tokens)


def without_request_formulas(tokens: list[str]) -> tuple[list[str], frozenset[str]]:
    """A text's tokens without the formulas that only ask ("I was wondering", «расскажи
    мне»), and the words only there in them: they say nothing of what is asked."""
    rest, found = without_phrases(tokens, _request_phrases())
    return rest, frozenset(tokens).difference(rest) if found else frozenset()


def without_phrases(tokens: list[str], phrases: tuple[tuple[str, ...], ...] | None = None,
                    ) -> tuple[list[str], bool]:
    """The tokens with any of the phrases (by default the greeting formulas: "nice to meet
    you", «как дела») taken out."""
    found = False
    for phrase in _hello_phrases() if phrases is None else phrases:
        n = len(phrase)
        i = 0
        while i + n <= len(tokens):
            if tuple(tokens[i:i + n]) == phrase:
                tokens = tokens[:i] + tokens[i + n:]
                found = True
            else:
                i += 1
    return tokens, found


def small_talk(text: str) -> str | None:
    """"hello", "thanks" or "acknowledge" for a message made only of greetings, greeting
    formulas, thanks or acknowledgements (and courtesy words)."""
    tokens, formula = without_phrases(words(text))
    ws = [w for w in tokens if len(w) > 1 and w not in STOP_WORDS]
    if formula and not ws:
        return "hello"
    if not ws or not all(w in HELLO_WORDS or w in THANKS_WORDS or w in ACKNOWLEDGE_WORDS
                         or w in COURTESY_WORDS for w in ws):
        return None
    if any(w in THANKS_WORDS for w in ws):
        return "thanks"
    return "hello" if formula or any(w in HELLO_WORDS for w in ws) else "acknowledge"


def is_greeting(text: str) -> bool:
    """True for messages made only of greetings, thanks and filler ("hi!", "спасибо")."""
    return small_talk(text) is not None
