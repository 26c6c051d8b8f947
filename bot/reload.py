"""Live reload: a cheap scan of the briefs folder (each file's mtime, size and inode, compared
for inequality); bad files keep their last good version."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .briefs import Brief, BriefError, brief_signatures, check_collection, read_brief_file
from .library import Library
from .pacing import Pause, no_pause, paced
from .topic import EMPTY_TOPIC, TOPIC_FILE, Topic, read_topic

log = logging.getLogger(__name__)

Signature = tuple[int, int, int]  # (mtime_ns, size, inode): any difference is a change


@dataclass(frozen=True)
class ScanResult:
    """What a scan found: a new library when anything changed, and the current problems."""

    library: Library | None  # None when nothing changed since the last scan
    problems: tuple[BriefError, ...]
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


class BriefWatcher:
    """Remembers each file's signature and last good brief; `scan()` rebuilds only on change."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._signatures: dict[str, Signature] = {}  # by file name
        self._good: dict[str, Brief] = {}  # last valid version of each file
        self._problems: dict[str, list[BriefError]] = {}
        self._ids: set[str] = set()
        self._topic: Topic = EMPTY_TOPIC  # the last good topic file
        self._topic_signature: Signature | None = None
        self._topic_problems: list[BriefError] = []

    def _scan_topic(self) -> bool:
        """Re-read the topic file if it changed (a bad one keeps the last good topic in
        service); True when it changed."""
        try:
            st = (self.folder / TOPIC_FILE).stat()
            signature: Signature | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            signature = None
        if signature == self._topic_signature:
            return False
        self._topic_signature = signature
        if signature is None:
            self._topic, self._topic_problems = EMPTY_TOPIC, []
            return True
        topic, problems = read_topic(self.folder)
        if not problems:
            self._topic = topic
        self._topic_problems = problems
        return True

    def scan(self, pause: Pause = no_pause) -> ScanResult:
        """Re-read changed files and rebuild the library if anything changed (calling
        `pause` between steps, so a caller can let other work run).

        Raises:
            FileNotFoundError / NotADirectoryError: when the folder itself is gone.
        """
        current = brief_signatures(self.folder, pause)
        topic_changed = self._scan_topic()
        if current == self._signatures and self._ids and not topic_changed:
            return ScanResult(None, self._all_problems())
        for name in self._signatures.keys() - current.keys():
            self._good.pop(name, None)
            self._problems.pop(name, None)
        for name, signature in current.items():
            if self._signatures.get(name) == signature:
                continue
            pause()
            brief, problems = read_brief_file(self.folder / name)
            if brief is not None:
                self._good[name] = brief
                self._problems.pop(name, None)
            else:
                self._problems[name] = problems  # the last good version stays in service
        self._signatures = current
        pause()
        briefs, cross = check_collection(
            paced((self._good[name] for name in sorted(self._good)), pause),
            [Path(name).stem for name in self._problems if name not in self._good])
        ids = {b.id for b in briefs}
        added = tuple(sorted(ids - self._ids))
        removed = tuple(sorted(self._ids - ids))
        self._ids = ids
        pause()
        # indexed now, in the caller's thread
        library = Library(briefs, self.folder, self._topic).index(pause)
        return ScanResult(library, self._all_problems() + tuple(cross), added, removed)

    def _all_problems(self) -> tuple[BriefError, ...]:
        return (*self._topic_problems,
                *(e for path in sorted(self._problems) for e in self._problems[path]))
