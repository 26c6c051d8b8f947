"""Text normalization shared by matching and statistics: tokens, stop words, Latin skeletons."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.utils import default_process

# Function words, question words and chat filler in English, Russian and Kazakh. They carry no
# topic, so a message made only of them matches nothing.
STOP_WORDS = frozenset(
    """
    a an the is are was were be been being am do does did done doing have has had having will
    would shall should can could may might must what whats which who whom whose when where why
    how about tell me say said says saying news on in of for to and or but with from by at as it
    its it's this that these those there here their they them i you we our your my he she his her
    us up out over into than then so if not no yes any some all more most much many very just
    also again please know want like think give show explain info information anything something
    latest recent current update updates today now between did does happen happened going get
    let lets let's can't cant don't dont isn't lot start started begin began usa america

    что как про о об в во на и или с со по для это этот эта эти кто где когда почему зачем ли же
    бы не да нет мне нам вы ты он она они его ее её их расскажи расскажите скажи скажите новости
    сказал сказала есть был была были будет между у из от до за к какие какой какая каков каково
    там тут всё все весь так уже еще ещё можно нужно хочу знать также а но чем сша америка

    туралы және қалай не қандай бар мен сен сіз бұл ол сол үшін дейін кім қашан неге айтып айтшы
    жаңалықтар арасындағы бойынша ма ме ба бе па пе ғой да де та те ақш америка
    """.split()
)

GREETINGS = frozenset(
    """
    hi hello hey hiya yo howdy greetings thanks thank thx ty cheers ok okay bye goodbye good
    morning evening afternoon night
    привет здравствуй здравствуйте добрый день утро вечер спасибо пока ок хорошо
    сәлем салем сәлеметсіз салеметсиз рахмет сау болыңыз қайырлы таң кеш күн
    """.split()
)


_POSSESSIVE = re.compile(r"['’`]s\b")
_APOSTROPHES = re.compile(r"['’`]")


def normalize(text: str) -> str:
    """NFKC, casefold, ё→е, punctuation to spaces, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", _POSSESSIVE.sub("", text))
    return " ".join(default_process(text).split())


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """Latin transliteration of a normalized token (Токаев -> tokaev, ОДКБ -> odkb)."""
    latin = anyascii(token).lower()
    return "".join(ch for ch in latin if ch.isalnum())


def words(text: str) -> list[str]:
    """Normalized words of a text, stop words and greetings included."""
    return normalize(text).split()


def content_tokens(text: str) -> list[str]:
    """Words that can carry a topic: not stop words, greetings or 1-character tokens."""
    return [
        w for w in words(text)
        if len(w) > 1 and w not in STOP_WORDS and w not in GREETINGS
    ]


def is_greeting(text: str) -> bool:
    """True for messages made only of greetings, thanks and filler ("hi!", "спасибо")."""
    ws = words(text)
    return bool(ws) and any(w in GREETINGS for w in ws) and all(
        w in GREETINGS or w in STOP_WORDS or len(w) <= 1 for w in ws
    )
