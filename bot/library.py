"""Library: an immutable snapshot of the briefs in service, their matcher and rendered HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from .briefs import Brief, BriefError, load_briefs
from .i18n import DEFAULT
from .matching import Matcher, MatchResult
from .pacing import Pause, no_pause
from .render import render_brief
from .topic import EMPTY_TOPIC, Topic, read_topic

T = TypeVar("T")


@dataclass(frozen=True)
class Library:
    """The briefs served at one moment; swap the whole object to reload."""

    briefs: tuple[Brief, ...]
    folder: Path | None = None
    topic: Topic = EMPTY_TOPIC  # the folder's topic file (bot/topic.py)
    _rendered: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False,
                                                  compare=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def by_id(self) -> dict[str, Brief]:
        """Brief id -> brief."""
        return {b.id: b for b in self.briefs}

    @cached_property
    def matcher(self) -> Matcher:
        """The match index, built once per snapshot."""
        return Matcher(self.briefs, topic=self.topic)

    @cached_property
    def newest_first(self) -> tuple[Brief, ...]:
        """Briefs by event date, newest first, then by title."""
        return tuple(sorted(self.briefs, key=lambda b: (-b.date.toordinal(), b.title)))

    @cached_property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The dates of the oldest and the newest brief (None when there is none)."""
        if not self.briefs:
            return None
        dates = [b.date for b in self.briefs]
        return min(dates), max(dates)

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Every tag in use, sorted."""
        return tuple(sorted({t for b in self.briefs for t in b.tags}))

    def index(self, pause: Pause = no_pause) -> Library:
        """Build the match index now (calling `pause` between steps); returns self."""
        if "matcher" not in self.__dict__:
            # cached_property's slot
            self.__dict__["matcher"] = Matcher(self.briefs, pause=pause, topic=self.topic)
        return self

    def get(self, brief_id: str) -> Brief | None:
        """The brief with this id, if served."""
        return self.by_id.get(brief_id)

    def rendered(self, brief: Brief, lang: str = DEFAULT) -> tuple[str, ...]:
        """The brief's HTML messages in `lang`, rendered once per snapshot."""
        cached = self._rendered.get((brief.id, lang))
        if cached is None:
            cached = self._rendered[brief.id, lang] = render_brief(brief, lang)
        return cached

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """What depends only on this snapshot (and `key`: e.g. a brief's buttons in one
        language), built on first use and kept while the snapshot serves."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
            return value

    def match(self, text: str) -> MatchResult:
        """Match a question against this snapshot."""
        return self.matcher.match(text)


def load_library(folder: Path) -> tuple[Library, tuple[BriefError, ...]]:
    """Load a folder (its briefs and topic file) into a Library, indexing it at once, plus
    its problems."""
    result = load_briefs(folder)
    topic, problems = read_topic(folder)
    return Library(result.briefs, folder, topic).index(), (*problems, *result.errors)
