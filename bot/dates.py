"""Dates in figures: month names in English, Russian and Kazakh, the keys a date claims and
vouches for, and a range of days across two months read with a year at both ends."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from .text import read_lines, read_sections

_WORDS = read_sections("figures.txt")
MONTHS_EN = _WORDS["months_en"]
MONTH_ABBREVIATIONS_EN = _WORDS["month_abbreviations_en"]
# Each Russian month's forms, in order (bot/lang/figures.txt, a month a line).
MONTHS_RU = tuple(tuple(line.split()) for line in read_lines("figures.txt", "months_ru"))
MONTHS_KK = _WORDS["months_kk"]
# Month names that are also words ('may', the verb): a month only when written capitalized.
_ALSO_WORDS = frozenset(_WORDS["months_also_words"])
_RU_MONTH = {form: i for i, forms in enumerate(MONTHS_RU, 1) for form in forms}
# A range this many days long or shorter vouches for every day in it; a longer one (a period,
# not an event) for its two ends only. A range within one month always fits.
_EVENT_DAYS = 31

Keys = tuple[str, frozenset[str]]


def month_number(name: str) -> int | None:
    """1-12 for an English, Russian or Kazakh month name in any case form, else None."""
    word = name.lower().rstrip(".")
    if len(word) >= 3:
        for i, full in enumerate(MONTHS_EN, 1):
            if full.startswith(word):
                return i
    if word in _RU_MONTH:
        return _RU_MONTH[word]
    for i, stem in enumerate(MONTHS_KK, 1):
        if word.startswith(stem):
            return i
    return None


def date_keys(year: int | None, month: int, day: int | None) -> Keys:
    """The key a date claims and the keys it provides (a day gives its month and year)."""
    keys: list[str] = []
    if year is not None and day is not None:
        keys.append(f"date:{year:04d}-{month:02d}-{day:02d}")
    if day is not None:
        keys.append(f"day:{month:02d}-{day:02d}")
    if year is not None:
        keys += [f"month:{year:04d}-{month:02d}", f"year:{year:04d}"]
    return keys[0], frozenset(keys)


def read_date(g: Mapping[str, str | None], year: int | None) -> Keys | None:
    """A date from a pattern's groups (`mm` or `mon`, `d`, `y`); `year` dates a day written
    without one, which then claims the day only."""
    mm, mon, d, y = (g.get(k) or "" for k in ("mm", "mon", "d", "y"))
    if mon in _ALSO_WORDS:  # the verb, not the month
        return None
    month = int(mm) if mm else month_number(mon)
    day = int(re.sub(r"\D", "", d)) if d else None
    if y:
        year = int(y)
    elif day is None:
        return None
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    key, provides = date_keys(year, month, day)
    if not y and day is not None:  # written without a year: claims the day only
        key = f"day:{month:02d}-{day:02d}"
    return key, provides


def _years(g: Mapping[str, str | None], crosses: bool,
           year: int | None) -> tuple[int, int, bool]:
    """The years of a range's two ends and whether one was written. A year written at one
    end is the other's too, one less or more where the range crosses a new year; with none
    written, `year` (a record's) goes to the first day."""
    first, last = (int(y) if y else None for y in (g.get("y1"), g.get("y")))
    if first is not None and last is not None:
        return first, last, True
    if last is not None:
        return last - crosses, last, True
    if first is not None:
        return first, first + crosses, True
    if year is None:  # a leap year: any day of the calendar
        return 2000 - crosses, 2000, False
    return year, year + crosses, False


def days_across_months(g: Mapping[str, str | None], year: int | None,
                       between: bool = True) -> list[Keys]:
    """Both ends of a day range across two months ('30 November – 3 December 2023'), each
    with its key and everything the range vouches for (the days `between` too); [] when it
    reads as no range. Written with no year, a range across a new year vouches for no year:
    a record's year could be either end's."""
    names = [g.get("mon1") or "", g.get("mon") or ""]
    months = [month_number(name) for name in names]
    if _ALSO_WORDS.intersection(names) or months[0] is None or months[1] is None:
        return []
    days = [int(re.sub(r"\D", "", g.get(k) or "0")) for k in ("d1", "d")]
    first_year, last_year, written = _years(g, months[1] < months[0], year)
    try:
        first = dt.date(first_year, months[0], days[0])
        last = dt.date(last_year, months[1], days[1])
    except ValueError:
        return []
    if first >= last:
        return []
    known = written or (year is not None and first.year == last.year)
    ends = [date_keys(d.year if known else None, d.month, d.day) for d in (first, last)]
    provides = ends[0][1] | ends[1][1]
    if between and (last - first).days <= _EVENT_DAYS:
        for n in range(1, (last - first).days):
            day = first + dt.timedelta(days=n)
            provides |= date_keys(day.year if known else None, day.month, day.day)[1]
    if not written:  # written without a year: each end claims its day only
        return [(f"day:{d.month:02d}-{d.day:02d}", provides) for d in (first, last)]
    return [(key, provides) for key, _p in ends]
