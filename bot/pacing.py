"""Cooperative pauses for long builds (re-indexing) that run beside the bot's replies.

A build calls `pause()` between short steps; the default does nothing. The bot passes a pause
that hands the interpreter to replies in progress (see telegram/jobs.py), so re-indexing a
large folder in a worker thread does not slow the answers being sent meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
Pause = Callable[[], None]
STEP = 100  # items between pauses in a long loop (~0.1-0.3 ms of work)


def no_pause() -> None:
    """Do not pause (builds run straight through)."""


def paced(items: Iterable[T], pause: Pause, every: int = STEP) -> Iterator[T]:
    """The items, calling `pause()` after every `every` of them."""
    for n, item in enumerate(items, 1):
        yield item
        if n % every == 0:
            pause()
