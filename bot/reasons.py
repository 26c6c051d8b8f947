"""Why a field is refused, said so that an editor can fix it: the closest known name for a
mistyped field, and a date that the calendar does not have named as such."""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from typing import Any


def unknown_field(key: str, known: Iterable[str]) -> str:
    """'unknown field', with the closest known name when there is one ('sumary': summary)."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"unknown field; did you mean {close[0]!r}?" if close else \
        f"unknown field (known: {', '.join(known)})"


def date_problem(value: Any, what: str = "an ISO date (YYYY-MM-DD)") -> str:
    """Why a date is refused: not a real date (2023-02-30, month 13), or not ISO at all."""
    text = str(value).strip()
    shaped = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if shaped:
        year, month = int(shaped.group(1)), int(shaped.group(2))
        if not 1 <= month <= 12:
            return f"{text} is not a real date: there is no month {month}"
        if shaped.group(3) is not None:
            last = calendar.monthrange(year, month)[1]
            return (f"{text} is not a real date: {calendar.month_name[month]} {year} has "
                    f"{last} days")
    return f"must be {what}, got {value!r}"
