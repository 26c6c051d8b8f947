"""Library: an immutable snapshot of the briefs in service, their matcher and rendered HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .briefs import Brief, BriefError, load_briefs
from .i18n import DEFAULT
from .matching import Matcher, MatchResult
from .pacing import Pause, no_pause
from .render import render_brief


@dataclass(frozen=True)
class Library:
    """The briefs served at one moment; swap the whole object to reload."""

    briefs: tuple[Brief, ...]
    folder: Path | None = None
    _rendered: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False,
                                                  compare=False)

    @cached_property
    def by_id(self) -> dict[str, Brief]:
        """Brief id -> brief."""
        return {b.id: b for b in self.briefs}

    @cached_property
    def matcher(self) -> Matcher:
        """The match index, built once per snapshot."""
        return Matcher(self.briefs)

    @cached_property
    def newest_first(self) -> tuple[Brief, ...]:
        """Briefs by event date, newest first, then by title."""
        return tuple(sorted(self.briefs, key=lambda b: (-b.date.toordinal(), b.title)))

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Every tag in use, sorted."""
        return tuple(sorted({t for b in self.briefs for t in b.tags}))

    def index(self, pause: Pause = no_pause) -> Library:
        """Build the match index now (calling `pause` between steps); returns self."""
        if "matcher" not in self.__dict__:
            self.__dict__["matcher"] = Matcher(self.briefs, pause=pause)  # cached_property's slot
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

    def match(self, text: str) -> MatchResult:
        """Match a question against this snapshot."""
        return self.matcher.match(text)


def load_library(folder: Path) -> tuple[Library, tuple[BriefError, ...]]:
    """Load a folder into a Library (indexing it at once) plus its problems."""
    result = load_briefs(folder)
    return Library(result.briefs, folder).index(), result.errors
