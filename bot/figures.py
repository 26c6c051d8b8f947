"""Figures in text (sums, percentages, dates, years, counts) normalized so that their written
forms compare equal: '$3 billion' = '3 billion dollars' = '$3bn' = '3 млрд долларов'.

Only numbers written with digits are figures; 'the first three quarters' is words. Names that
carry digits are not figures either: a digit joined to letters (G7, C5+1, F-16, COVID-19), a
model number (787-9: digits, a hyphen and a smaller number), a numbered part of a document
(Article 5, статья 5, 5-бап).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .dates import (
    MONTH_ABBREVIATIONS_EN,
    MONTHS_EN,
    MONTHS_KK,
    MONTHS_RU,
    days_across_months,
    month_number,
    read_date,
)
from .text import form_pattern, read_lines, read_sections


def _longest_first(patterns: Iterable[str]) -> str:
    """A regex alternation, longest first (so 'sept' is tried before 'sep')."""
    return "|".join(sorted(patterns, key=len, reverse=True))


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return _longest_first(re.escape(w) for w in words)


def _form(word: str) -> str:
    """A word or form of bot/lang/figures.txt as a regex: '*' ends one that takes any ending
    ('миллион*'), a space matches any run of spaces ('per cent'), a word ends where its
    letters do ('pct', not 'pcts')."""
    return form_pattern(word) + (r"(?!\w)" if re.search(r"\w$", word) else "")


def _forms(words: Iterable[str]) -> str:
    """`_form` for each word, as one group, the longest word first ('млрд.' before 'млрд')."""
    return "(?:" + "|".join(_form(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _coded(section: str) -> dict[str, tuple[str, ...]]:
    """A section of figures.txt whose lines start with a code: the code's words."""
    out: dict[str, tuple[str, ...]] = {}
    for line in read_lines("figures.txt", section, normalized=False):
        code, *words = line.split()
        out[code.upper()] = out.get(code.upper(), ()) + tuple(words)
    return out


# A month's name (bot/lang/figures.txt): English, its abbreviations, Russian case forms,
# Kazakh with any ending.
_KK_MONTH = r"(?:" + "|".join(MONTHS_KK) + r")\w*"
_MONTH = (
    r"(?:" + _alternatives((*MONTHS_EN, *MONTH_ABBREVIATIONS_EN)) + r")\b\.?"
    r"|(?:" + _alternatives(f for forms in MONTHS_RU for f in forms) + r")\b"
    r"|" + _KK_MONTH
)
_WORDS = read_sections("figures.txt")
_PERCENT = _forms(read_lines("figures.txt", "percent", normalized=False))
_OF = rf"(?:{_forms(_WORDS['day_of'])}\s+)?"  # 'the 5th of May'
_ORDINAL = rf"(?:{_alternatives(_WORDS['ordinal_suffixes'])})?"  # '5th'

# A day of the month: never the number of a percentage ('in April 27% tariffs').
_DAY = (r"(?<![\d.,])(?:[12]\d|3[01]|0?[1-9])(?!\d|[.,](?![12]\d{3}(?!\d))\d|\s?"
        + _PERCENT + r")" + _ORDINAL)
_YEAR_BARE = r"[12]\d{3}(?!\d|[.,]\d)"
_YEAR = r"(?<![\d.,])" + _YEAR_BARE
# A year, or a year in brackets: 'October (2023)' reads as 'October 2023'.
_YEAR_OPT_PAREN = r"\(?(?P<y>" + _YEAR_BARE + r")(?:(?<=\(\d{4})\))?"
_KK_YEAR = _forms(_WORDS["year_words_kk"])
_KK_WORD_ENDINGS = read_sections("kk_endings.txt")
_KK_ENDINGS = sorted({e for section, words in _KK_WORD_ENDINGS.items()
                      if section != "verb_forms" for e in words},  # the endings stripped
                     key=len, reverse=True)
# The short case endings Russian writes after a numeral with a hyphen ('500-м', '21-го').
_RU_ENDING = "(?:" + _alternatives(_WORDS["ru_number_endings"]) + ")"
_KK_ORDINAL = "(?:" + _alternatives(_WORDS["kk_ordinal_endings"]) + ")"  # '5-ші'
# A case ending written after a number with a hyphen ('31 500-ге', '500-м'): still the number.
_ENDING = "(?:(?:" + "|".join(_KK_ENDINGS) + "){1,3}|" + _RU_ENDING + r")(?!\w)"
# Thousands grouped by spaces (62 000,5) only where every group has three digits and the
# last one ends the number (or takes a case ending): in '15 787-9' the 787 belongs to a name.
# At most six groups (a quintillion), and no group after them: a longer run is no one number
# (and an unbounded run would be read again from every digit of it).
_SPACE = "[ \u00a0\u202f\u2009]"
_SPACE_GROUPED = (r"\d{1,3}(?:" + _SPACE + r"\d{3}){1,6}(?:[.,]\d+)?"
                  r"(?![\w+]|" + _SPACE + r"\d{3}(?!\d)|[\-\u2011](?!" + _ENDING + r"))")
_AMOUNT_BARE = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 3,000,000 (English grouping)
                r"|" + _SPACE_GROUPED +
                r"|\d+(?:[.,]\d+)?)(?!\d)")  # 37.2 or 37,2
# What a currency is written with (figures.txt), by its code: signs before an amount, words
# after one, with the country's name beside the word ('US dollars', 'долларов США').
_SIGNS_OF = _coded("currency_signs")
_WORDS_OF = _coded("currencies")
_COUNTRIES_OF = _coded("currency_countries")
# An amount starts after none of these (a sign's own digits are the amount after the sign).
_NOT_AFTER = "(?<![\\w.,{}])".format(
    re.escape("".join(sorted({ch for signs in _SIGNS_OF.values() for s in signs
                              for ch in s if not ch.isalnum()}))))
_AMOUNT = _NOT_AFTER + _AMOUNT_BARE


def _scale_lines(section: str) -> list[tuple[int, list[str]]]:
    """(power of ten, its words as written in bot/lang/figures.txt) for each line."""
    return [(int(power), words) for power, *words in
            (line.split() for line in read_lines("figures.txt", section, normalized=False))]


_SCALE_LINES = _scale_lines("scales")
_SIGN_SCALES = _scale_lines("sign_scales")
# Each scale word as written ('млн', 'млн.') and its power of ten, and each that takes any
# ending by its stem ('миллион', 'мың'): `_money` reads a scale by them.
_SCALES = {w.lower(): power for power, words in (*_SCALE_LINES, *_SIGN_SCALES)
           for w in words if not w.endswith("*")}
_SCALE_STEMS = {w[:-1].lower(): power for power, words in _SCALE_LINES
                for w in words if w.endswith("*")}
_SCALE = _forms(w for _p, words in _SCALE_LINES for w in words) + r"(?!\w)"
# only straight after a currency sign: $3m, $20k
_SHORT_SCALE = "(?:" + _alternatives(w for _p, words in _SIGN_SCALES for w in words) + r")(?!\w)"


def _currency_word(code: str) -> str:
    """The words of a currency written after an amount, its country's name on either side."""
    words = _forms(_WORDS_OF[code])
    if code not in _COUNTRIES_OF:
        return words
    country = _forms(_COUNTRIES_OF[code])
    return rf"(?:{country}\s+)?{words}(?:\s+{country})?"


def _currency_sign(code: str) -> str:
    """The signs of a currency written before an amount; a code of letters may take a space."""
    return "|".join((r"(?<![^\W\d_])" if s[0].isalpha() else "") + re.escape(s)
                    + (r"\s?" if s[-1].isalpha() else "")
                    for s in sorted(_SIGNS_OF[code], key=len, reverse=True))


_CURRENCY_WORDS = {code: re.compile(_currency_word(code), re.IGNORECASE) for code in _WORDS_OF}
_CURRENCY_SIGNS = {code: re.compile(_currency_sign(code), re.IGNORECASE) for code in _SIGNS_OF}
_CURRENCY_WORD = "(?:" + "|".join(p.pattern for p in _CURRENCY_WORDS.values()) + ")"
_CURRENCY_SIGN = "(?:" + _longest_first(p.pattern for p in _CURRENCY_SIGNS.values()) + ")"
_DEFAULT_CURRENCY = next(iter(_WORDS_OF))  # what `_money` names a currency it read (never
# needed while every currency pattern belongs to one code)


@dataclass(frozen=True)
class Figure:
    """One figure as written, what it claims (`key`), and what it can vouch for (`provides`)."""

    text: str
    start: int
    end: int
    key: str
    provides: frozenset[str]
    part: str = ""  # for one end of a range ('$4-5 billion'), that end read alone: '$5 billion'


def _number(raw: str) -> Decimal:
    """'3,000' -> 3000 (English grouping); '37,2' -> 37.2 (decimal comma); '62 000' -> 62000."""
    raw = re.sub(r"[ \u00a0\u202f\u2009]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    return Decimal(raw.replace(",", "."))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(g: dict[str, str | None]) -> tuple[str, frozenset[str]]:
    value = _number(str(g["amt"]))
    scale = (g.get("scale") or "").lower()
    power = _SCALES.get(scale)
    if power is None:
        power = next((p for stem, p in _SCALE_STEMS.items() if scale.startswith(stem)), None)
    if power is not None:
        value = value.scaleb(power)
    currency = (g.get("cur") or "").strip()
    code = next((c for table in (_CURRENCY_SIGNS, _CURRENCY_WORDS)
                 for c, pattern in table.items() if pattern.fullmatch(currency)),
                _DEFAULT_CURRENCY)
    number = f"number:{_plain(value)}"
    if not currency:
        return number, frozenset({number})
    money = f"money:{code}:{_plain(value)}"
    return money, frozenset({money, number})


_DASH = r"\s?[-\u2011\u2012\u2013\u2014]\s?"
# Two ends joined by a dash or a word ('and' and «и» only after 'between' / «между»).
# A word that joins only after its own opener ('between 2 and 6'), and that opener.
_OPENERS = dict(line.split() for line in read_lines("figures.txt", "range_pairs",
                                                     normalized=False))
_JOIN = rf"(?:{_DASH}|\s+(?P<join>{_forms((*_WORDS['range_joins'], *_OPENERS))})\s+)"
_KK_FROM = "(?:" + _alternatives(_KK_WORD_ENDINGS["ablative"]) + ")"  # 'from' ('қарашадан')
_YEAR_AFTER = rf"(?:,?\s+(?<![\d.,]){_YEAR_OPT_PAREN})?"
# A Russian case ending or a Kazakh ordinal one after a day ('21-го', '21-ші'), and what
# stands between a day and its month: spaces ('21 May', 'the 5th of May'), or a hyphen, bare
# before a Kazakh month ('21-мамырда') or with one of those endings ('21-го мая', '21-ші
# мамырда').
_DAY_ENDING = rf"(?:{_RU_ENDING}|{_KK_ORDINAL})"
_HYPHEN_ENDING = rf"(?:[\-\u2011]{_DAY_ENDING}(?!\w))?"
_DAY_MONTH = rf"(?:\s+{_OF}|[\-\u2011](?:{_DAY_ENDING}\s+)?)"
_KK_DAY_MONTH = r"(?:\s+|[\-\u2011])"  # '21 мамыр', '21-мамыр'
# The first end's year, bare or in brackets ('30 November (2023) to 3 December').
_FIRST_YEAR = (r"(?:,?\s+(?<![\d.,])\(?(?P<y1>" + _YEAR_BARE + r")(?:(?<=\(\d{4})\))?"
               r"(?:\s+" + _forms(_WORDS["year_words_ru"]) + ")?)?")
# Ranges read as an editor reads them: 'Dec 2-6, 2023' is 2 and 6 December 2023 (and vouches
# for every day between), '30 November – 3 December 2023' is 30 November 2023 and 3 December
# 2023, '$4-5 billion' is $4 billion and $5 billion, a season '2024-25' is 2024 and 2025.
_RANGES: tuple[tuple[str, str], ...] = (
    ("days", rf"(?P<mon>{_MONTH})\s+(?P<d1>{_DAY}){_JOIN}(?P<d>{_DAY}){_YEAR_AFTER}"),
    ("days", rf"(?P<d1>{_DAY}){_HYPHEN_ENDING}{_JOIN}(?P<d>{_DAY}){_DAY_MONTH}(?P<mon>{_MONTH})"
             rf"{_YEAR_AFTER}"),
    ("days", rf"(?:(?P<y>{_YEAR})\s+{_KK_YEAR}\s+)?(?P<d1>{_DAY})"
             rf"(?:{_DASH}|(?P<kk_join>[-\u2011]{_KK_FROM}\s+))(?P<d>{_DAY}){_KK_DAY_MONTH}"
             rf"(?P<mon>{_KK_MONTH})"),
    ("months", rf"(?P<d1>{_DAY}){_DAY_MONTH}(?P<mon1>{_MONTH}){_FIRST_YEAR}{_JOIN}"
               rf"(?P<d>{_DAY}){_DAY_MONTH}(?P<mon>{_MONTH}){_YEAR_AFTER}"),
    ("months", rf"(?P<mon1>{_MONTH})\s+(?P<d1>{_DAY}){_FIRST_YEAR}{_JOIN}"
               rf"(?P<mon>{_MONTH})\s+(?P<d>{_DAY}){_YEAR_AFTER}"),
    ("months", rf"(?:(?P<y1>{_YEAR})\s+{_KK_YEAR}\s+)?(?P<d1>{_DAY}){_KK_DAY_MONTH}"
               rf"(?P<mon1>{_KK_MONTH})"
               rf"(?:{_DASH}|(?<={_KK_FROM})(?P<kk_join>\s+))(?:(?P<y>{_YEAR})\s+{_KK_YEAR}\s+)?"
               rf"(?P<d>{_DAY}){_KK_DAY_MONTH}(?P<mon>{_KK_MONTH})"),
    ("money_range", rf"(?P<cur>{_CURRENCY_SIGN})\s?(?P<a1>{_AMOUNT_BARE}){_DASH}"
                    rf"(?:{_CURRENCY_SIGN})?\s?(?P<amt>{_AMOUNT_BARE})"
                    rf"(?:\s?(?P<scale>{_SCALE}|{_SHORT_SCALE}))?"),
    ("money_range", rf"{_NOT_AFTER}(?P<a1>{_AMOUNT_BARE}){_DASH}(?P<amt>{_AMOUNT_BARE})"
                    rf"(?:\s?(?P<scale>{_SCALE}))?\s?(?P<cur>{_CURRENCY_WORD})"),
    ("money_range", rf"{_NOT_AFTER}(?P<a1>{_AMOUNT_BARE}){_DASH}(?P<amt>{_AMOUNT_BARE})"
                    rf"\s?(?P<scale>{_SCALE})"),
    ("percent_range", rf"{_NOT_AFTER}(?P<a1>{_AMOUNT_BARE})\s?%?{_DASH}"
                      rf"(?P<amt>{_AMOUNT_BARE})\s?{_PERCENT}"),
    ("season", r"(?<![\d.,])(?P<y>[12]\d{3})[-/\u2011\u2013](?P<y2>\d{2})(?![\d\-\u2011])"),
)
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("date", rf"(?<!\d)(?P<y>{_YEAR_BARE})-(?P<mm>0[1-9]|1[0-2])-(?P<d>\d{{2}})(?!\d)"),
    ("date", r"(?<![\d.])(?P<d>\d{1,2})\.(?P<mm>\d{1,2})\.(?P<y>[12]\d{3})(?!\d)"),
    ("date", rf"(?P<d>{_DAY}){_DAY_MONTH}(?P<mon>{_MONTH}),?\s+(?<![\d.,]){_YEAR_OPT_PAREN}"),
    ("date", rf"(?P<mon>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?<![\d.,]){_YEAR_OPT_PAREN}"),
    ("date", rf"(?P<y>{_YEAR})\s+{_KK_YEAR}\s+(?:(?P<d>{_DAY}){_DAY_MONTH})?(?P<mon>{_MONTH})"),
    ("date", rf"(?P<y>{_YEAR})-(?P<mm>0[1-9]|1[0-2])(?![\d-])"),
    ("date", rf"(?P<mon>{_MONTH})\s+{_OF}(?<![\d.,]){_YEAR_OPT_PAREN}"),
    ("date", rf"(?P<d>{_DAY}){_DAY_MONTH}(?P<mon>{_MONTH})"),
    ("date", rf"(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?!\w)"),
    ("money", rf"(?P<cur>{_CURRENCY_SIGN})\s?(?P<amt>{_AMOUNT_BARE})"
              rf"(?:\s?(?P<scale>{_SCALE}|{_SHORT_SCALE}))?"),
    ("money", rf"(?P<amt>{_AMOUNT})(?:\s?(?P<scale>{_SCALE}))?\s?(?P<cur>{_CURRENCY_WORD})"),
    ("percent", rf"(?P<amt>{_AMOUNT})\s?{_PERCENT}"),
    ("money", rf"(?P<amt>{_AMOUNT})\s?(?P<scale>{_SCALE})"),
    ("number", rf"(?P<amt>{_AMOUNT}){_ORDINAL}(?!\w)"),
)
_COMPILED = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in (*_RANGES, *_PATTERNS))


# A day range within one month joined by a word needs the word that opens it: 'from 2 to 6
# December', «с 2 по 6 декабря»; 'and' and «и» need 'between' and «между» in any range.
_FROM = _forms(_WORDS["range_openers"])
_OPENER_REACH = 16  # characters before a range searched for its opener


def _opened(join: str | None, m: re.Match[str], across_months: bool) -> bool:
    """Whether a range joined by `join` (None for a dash) reads as a range where it stands."""
    if not join:
        return True
    opener = _OPENERS.get(join.lower())
    if opener is None and across_months:
        return True
    before = m.string[max(0, m.start() - _OPENER_REACH):m.start()]  # not the whole text
    opening = re.escape(opener) if opener else _FROM
    return re.search(rf"(?<!\w)(?:{opening})\s+$", before, re.IGNORECASE) is not None


def _range(kind: str, m: re.Match[str], year: int | None) -> list[Figure]:
    """Both ends of a range as figures of their own (each naming its end in `part`);
    None-like (empty) when it does not read as a range."""
    g = m.groupdict()
    text, start, end = m.group(0), m.start(), m.end()
    if kind == "season":
        first = int(str(g["y"]))
        if int(str(g["y2"])) != (first + 1) % 100 or 1 <= int(str(g["y2"])) <= 12:
            return []  # '2011-12' stays the ISO month it may be
        both = (f"year:{first:04d}", f"year:{first + 1:04d}")
        years = frozenset(both) | {f"number:{first}", f"number:{first + 1}"}
        return [Figure(text, start, end, k, years, k[5:]) for k in both]
    if not _opened(g.get("join"), m, kind == "months"):
        return []
    # Joined by a word, a range may be a move ('postponed from 2 to 6 December', the Kazakh
    # ablative '2-ден 6 желтоқсанға'): it vouches for its two ends only; a dash joins the days
    # of one event and vouches for those between.
    between = not (g.get("join") or g.get("kk_join"))
    if kind == "months":
        return [Figure(text, start, end, key, provides, describe(key))
                for key, provides in days_across_months(g, year, between)]
    if kind == "days":
        ends = []
        for name in ("d1", "d"):
            found = read_date({**g, "d": g[name]}, year)
            if found is None:
                return []
            ends.append(found)
        low, high = (int(re.sub(r"\D", "", str(g[n]))) for n in ("d1", "d"))
        if low >= high:
            return []
        provides = ends[0][1] | ends[1][1]
        for day in range(low + 1, high) if between else ():
            provides |= read_date({**g, "d": str(day)}, year)[1]  # type: ignore[index]
        return [Figure(text, start, end, key, provides, describe(key)) for key, _p in ends]
    low_g, high_g = {**g, "amt": g["a1"]}, g
    if _number(str(g["a1"])) >= _number(str(g["amt"])):
        return []
    if kind == "percent_range":
        keys = [f"percent:{_plain(_number(str(x['amt'])))}" for x in (low_g, high_g)]
        return [Figure(text, start, end, k, frozenset({k}), describe(k)) for k in keys]
    out = [_money(x) for x in (low_g, high_g)]
    return [Figure(text, start, end, key, provides, describe(key)) for key, provides in out]


# How an editor is shown a sum: its currency's sign of no letters ('$'), else its code.
_SIGNS = {code: min(symbols, key=len) for code, signs in _SIGNS_OF.items()
          if (symbols := [s for s in signs if not any(ch.isalpha() for ch in s)])}
_SCALE_WORDS = ((12, "trillion"), (9, "billion"), (6, "million"))


def _amount(value: Decimal) -> str:
    for power, word in _SCALE_WORDS:
        if value >= Decimal(10) ** power:
            return f"{_plain(value.scaleb(-power))} {word}"
    return _plain(value)


def describe(key: str) -> str:
    """A figure's key as an editor reads it: 'money:USD:5000000000' -> '$5 billion',
    'date:2023-12-06' -> '6 December 2023'."""
    kind, _, value = key.partition(":")
    if kind == "money":
        code, _, amount = value.partition(":")
        return f"{_SIGNS.get(code, code + ' ')}{_amount(Decimal(amount))}"
    if kind == "number":
        return _amount(Decimal(value))
    if kind == "percent":
        return f"{value}%"
    parts = value.split("-")
    if kind == "date" and len(parts) == 3:
        return f"{int(parts[2])} {MONTHS_EN[int(parts[1]) - 1].title()} {parts[0]}"
    if kind == "day" and len(parts) == 2:
        return f"{int(parts[1])} {MONTHS_EN[int(parts[0]) - 1].title()}"
    if kind == "month" and len(parts) == 2:
        return f"{MONTHS_EN[int(parts[1]) - 1].title()} {parts[0]}"
    return value


_RANGE_KINDS = frozenset(kind for kind, _p in _RANGES)


def _figure(kind: str, m: re.Match[str], year: int | None) -> Figure | None:
    g = m.groupdict()
    if kind == "date":
        found = read_date(g, year)
    elif kind == "money":
        found = _money(g)
    elif kind == "percent":
        percent = f"percent:{_plain(_number(str(g['amt'])))}"
        found = percent, frozenset({percent})
    else:
        raw = str(g["amt"])
        number = f"number:{_plain(_number(raw))}"
        if re.fullmatch(r"[12]\d{3}", raw):  # a bare four-digit number is read as a year
            found = f"year:{raw}", frozenset({f"year:{raw}", number})
        else:
            found = number, frozenset({number})
    if found is None:
        return None
    return Figure(m.group(0), m.start(), m.end(), found[0], found[1])


# Words that put a number of a document's part or of a designation after them (English,
# Russian), or before them (Kazakh: '5-бап'): from the three languages' usage, not the subject.
_DESIGNATOR_BEFORE = re.compile(
    r"(?<!\w)" + _forms(_WORDS["designators_before"])
    + r"\s*№?\s*(\d+(?:[.\-\u2011]\d+)*)(?![\d,.]\d)", re.IGNORECASE)
_DESIGNATOR_AFTER = re.compile(r"(?<![\w.,])(\d+)[\-\u2011\s]?"
                               + _forms(_WORDS["designators_after"]), re.IGNORECASE)
_TOKEN = re.compile(r"[\w+\-\u2011]+")
# Two small numbers joined by a slash (24/7, 50/50) say how, not how much; a date's
# slashes (12/05/2023) are not this.
_RATIO = re.compile(r"(?<![\w/.,])\d{1,2}/\d{1,2}(?![\w/]|[.,]\d)")
_HIDE = "\x00"  # neither a word character nor a space: ends any figure pattern
_LIST_BEFORE = re.compile(r"(?:^|[^\d\s])\s*\d{1,3}\s*[,;]\s*$")
_LIST_AFTER = re.compile(r"\s*[,;]\s*\d{1,3}(?![\d.,]|\s\d{3})")  # matched where a number ends
_LIST_REACH = 64  # characters around a number searched for its list (not the whole text)
_GROUPED = re.compile(r"(?<![\w.,])" + _SPACE_GROUPED)
# 'November-3' in '30 November-3 December 2023': a month, a hyphen and the next end's day
# (with its Russian case ending: '30-го ноября-3-го декабря').
_MONTH_THEN_DAY = re.compile(r"([^\W\d_]+)[\-\u2011]\d{1,2}" + _HYPHEN_ENDING)
_NEXT_MONTH = re.compile(rf"\s+(?:{_MONTH})", re.IGNORECASE)


def _is_name(token: str) -> bool:
    """A token with digits that names something: letters before its digits (G7, C5+1, F-16),
    digits joined by '+' (5+1), or a model number (787-9: a hyphen, then a smaller number,
    the first not a year)."""
    first = next((i for i, ch in enumerate(token) if ch.isdigit()), None)
    if first is None:
        return False
    if any(ch.isalpha() for ch in token[:first]) or re.search(r"\d\+\w", token):
        return True
    pair = re.fullmatch(r"(\d+)[\-\u2011](\d+)[^\W\d_]{0,2}", token)  # 787-9, 787-9s
    if pair is None:
        return False
    return not re.fullmatch(r"[12]\d{3}", pair.group(1)) \
        and int(pair.group(2)) < int(pair.group(1))


def _decimals(text: str, start: int, end: int) -> bool:
    """True when the token text[start:end] is the rest of a number: digits after '.' or ','
    that follow a number, not a name ('2.5-3', '1,5-2', '1,500-2,000'; not 'v2.5-3', nor
    '5,787-9', whose 787-9 is a model number after a count)."""
    token = text[start:end]
    if not token[0].isdigit() or start < 2 or text[start - 1] not in ".,":
        return False
    before = start - 1
    while before > 0 and text[before - 1].isdigit():
        before -= 1
    if before == start - 1 or (before > 0 and text[before - 1].isalpha()):
        return False  # no digit before the mark, or they belong to a name
    digits = len(token) - len(token.lstrip("0123456789"))
    if text[start - 1] == "," and digits == 3:  # thousands: a range only if the next end is
        return end + 1 < len(text) and text[end] in ".," and text[end + 1].isdigit()  # 2,000
    return True


def _masked(text: str) -> str:
    """`text`, same length, with the digits of names hidden, and the spaces of a would-be
    space-grouped number that stands in a list of numbers ('5, 10 250, 300') made breaks."""
    chars = list(text)

    def hide(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i].isdigit():
                chars[i] = _HIDE

    for m in _TOKEN.finditer(text):
        token = m.group(0)
        pair = _MONTH_THEN_DAY.fullmatch(token)
        if pair and month_number(pair.group(1)) and _NEXT_MONTH.match(text, m.end()):
            continue
        if _decimals(text, m.start(), m.end()):
            continue  # '2.5-3%', '1,500-2,000': 5-3 and 500-2 are no model numbers
        if _is_name(token):
            hide(m.start(), m.end())
    for m in _RATIO.finditer(text):
        hide(m.start(), m.end())
    for pattern in (_DESIGNATOR_BEFORE, _DESIGNATOR_AFTER):
        for m in pattern.finditer(text):
            hide(m.start(1), m.end(1))
    for m in _GROUPED.finditer(text):
        if (_LIST_BEFORE.search(text, max(0, m.start() - _LIST_REACH), m.start())
                or _LIST_AFTER.match(text, m.end(), m.end() + _LIST_REACH)):
            for i in range(m.start(), m.end()):
                if chars[i].isspace():
                    chars[i] = _HIDE
    return "".join(chars)


_ROMAN = {"I": 1, "V": 5, "X": 10}
_ROMAN_NUMERAL = r"(?:XX|X)?(?:IX|IV|V?I{0,3})"  # I to XXIX; only I to XXI is read


def _century_word(word: str) -> str:
    """A century word of figures.txt as a pattern: a stem of five letters or more takes any
    ending ('ғасырлардағы'), an abbreviation its full stop."""
    if word.endswith("."):
        return re.escape(word)
    return re.escape(word) + (r"\w*" if len(word) >= 5 else "") + r"(?!\w)"


_CENTURY = re.compile(
    rf"(?<![\w\-\u2011])(?=[IVX])(?P<r1>{_ROMAN_NUMERAL})(?:{_DASH}(?P<r2>{_ROMAN_NUMERAL}))?\s+"
    r"(?i:" + "|".join(_century_word(w) for w in
                        sorted(_WORDS["century"], key=len, reverse=True)) + ")")


def _roman(numeral: str) -> int:
    values = [_ROMAN[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def _centuries(masked: str) -> list[tuple[int, int, list[int]]]:
    """Roman-numeral centuries ('XII века', 'XII–XVII ғасырлардағы'): span and numbers."""
    found = []
    for m in _CENTURY.finditer(masked):
        if not m.group("r1") or m.group("r2") == "":
            continue
        numerals = [n for n in (m.group("r1"), m.group("r2")) if n]
        numbers = [_roman(n) for n in numerals]
        if all(1 <= n <= 21 for n in numbers) and numbers == sorted(set(numbers)):
            found.append((m.start(), m.end(), numbers))
    return found


def extract_figures(text: str, year: int | None = None) -> list[Figure]:
    """Every figure in `text`, in order. `year` dates the day-and-month figures written
    without one (a source record's 'Feb. 28' read in its own year)."""
    return list(_read_figures(text, year))


@lru_cache(maxsize=16)  # validate reads a brief's nine texts once for each check of them
def _read_figures(text: str, year: int | None) -> tuple[Figure, ...]:
    masked = _masked(text)
    candidates: list[tuple[int, int, int, str, re.Match[str] | None]] = []
    for rank, (kind, pattern) in enumerate(_COMPILED):
        for m in pattern.finditer(masked):
            candidates.append((m.start(), -(m.end() - m.start()), rank, kind, m))
    centuries = {start: (end, numbers) for start, end, numbers in _centuries(masked)}
    figures: list[Figure] = []
    taken = 0
    for start in sorted(centuries):
        candidates.append((start, -(centuries[start][0] - start), -1, "century", None))
    for start, _length, _rank, kind, match in sorted(candidates, key=lambda c: c[:3]):
        if start < taken:
            continue
        if match is None:  # a Roman-numeral century: the number it stands for
            end, numbers = centuries[start]
            keys = [f"number:{n}" for n in numbers]
            figures += [Figure(text[start:end], start, end, k, frozenset({k}),
                               k[7:] if len(keys) > 1 else "") for k in keys]
            taken = end
            continue
        if kind in _RANGE_KINDS:
            found = _range(kind, match, year)
        else:
            one = _figure(kind, match, year)
            found = [one] if one is not None else []
        for figure in found:
            figures.append(Figure(text[figure.start:figure.end], figure.start, figure.end,
                                  figure.key, figure.provides, figure.part))
        if found:
            taken = match.end()
    return tuple(figures)


def in_context(text: str, start: int, end: int, words: int = 3) -> str:
    """The figure at text[start:end] with up to `words` words either side, the figure marked:
    '…up to 15 ▸787-9◂ Dreamliners…' (one line; '…' where the text goes on)."""
    before = text[:start].split()
    after = text[end:].split()
    head = " ".join(before[-words:]) if before else ""
    tail = " ".join(after[:words]) if after else ""
    glued_left = bool(before) and not text[:start][-1:].isspace()
    glued_right = bool(after) and not text[end:][:1].isspace()
    figure = " ".join(text[start:end].split())
    out = head + ("" if glued_left or not head else " ") + f"▸{figure}◂"
    out += ("" if glued_right or not tail else " ") + tail
    return ("…" if len(before) > words else "") + out + ("…" if len(after) > words else "")


def provided(texts: list[str], year: int | None = None) -> frozenset[str]:
    """Every key the figures in these texts vouch for."""
    keys: set[str] = set()
    for text in texts:
        for figure in extract_figures(text, year):
            keys |= figure.provides
    return frozenset(keys)


def unsupported(text: str, keys: frozenset[str]) -> list[Figure]:
    """The figures in `text` that none of `keys` vouches for."""
    return [f for f in extract_figures(text) if f.key not in keys]
