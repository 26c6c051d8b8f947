"""Live reload: a cheap mtime scan of the briefs folder; bad files keep their last good version."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .briefs import Brief, BriefError, brief_files, check_collection, read_brief_file
from .library import Library

log = logging.getLogger(__name__)

Signature = tuple[int, int]  # (mtime_ns, size)


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
        self._signatures: dict[Path, Signature] = {}
        self._good: dict[Path, Brief] = {}  # last valid version of each file
        self._problems: dict[Path, list[BriefError]] = {}
        self._ids: set[str] = set()

    def _current(self) -> dict[Path, Signature]:
        found = {}
        for path in brief_files(self.folder):
            try:
                st = path.stat()
            except OSError:
                continue  # removed between listing and stat
            found[path] = (st.st_mtime_ns, st.st_size)
        return found

    def scan(self) -> ScanResult:
        """Re-read changed files and rebuild the library if anything changed.

        Raises:
            FileNotFoundError / NotADirectoryError: when the folder itself is gone.
        """
        if not self.folder.is_dir():
            raise FileNotFoundError(f"briefs folder not found: {self.folder}")
        current = self._current()
        if current == self._signatures and self._ids:
            return ScanResult(None, self._all_problems())
        for path in set(self._signatures) - set(current):
            self._good.pop(path, None)
            self._problems.pop(path, None)
        for path, signature in current.items():
            if self._signatures.get(path) == signature:
                continue
            brief, problems = read_brief_file(path)
            if brief is not None:
                self._good[path] = brief
                self._problems.pop(path, None)
            else:
                self._problems[path] = problems  # the last good version stays in service
        self._signatures = current
        briefs, cross = check_collection(self._good[p] for p in sorted(self._good))
        ids = {b.id for b in briefs}
        added = tuple(sorted(ids - self._ids))
        removed = tuple(sorted(self._ids - ids))
        self._ids = ids
        library = Library(briefs, self.folder)
        _ = library.matcher  # index now, off the event loop when run in a thread
        return ScanResult(library, self._all_problems() + tuple(cross), added, removed)

    def _all_problems(self) -> tuple[BriefError, ...]:
        return tuple(e for path in sorted(self._problems) for e in self._problems[path])
