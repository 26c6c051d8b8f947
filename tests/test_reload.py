"""Reload: what a scan that changed nothing still reports, what it re-reads, and pausing."""

from __future__ import annotations

import os
from pathlib import Path

from bot.pacing import STEP
from bot.reload import BriefWatcher
from tests.conftest import brief_yaml


def test_an_unchanged_scan_still_reports_the_broken_files(empty_briefs_dir: Path) -> None:
    (empty_briefs_dir / "a.yaml").write_text(brief_yaml("a"), encoding="utf-8")
    (empty_briefs_dir / "b.yaml").write_text("id: b\n", encoding="utf-8")
    watcher = BriefWatcher(empty_briefs_dir)
    first = watcher.scan()
    assert first.library is not None and first.library.folder == empty_briefs_dir
    again = watcher.scan()
    assert again.library is None  # nothing changed: nothing rebuilt
    assert again.problems == first.problems
    assert {e.path.name for e in again.problems} == {"b.yaml"}


def test_only_files_whose_signature_changed_are_read_again(empty_briefs_dir: Path) -> None:
    a = empty_briefs_dir / "a.yaml"
    a.write_text(brief_yaml("a", title="First title"), encoding="utf-8")
    watcher = BriefWatcher(empty_briefs_dir)
    watcher.scan()
    before = a.stat()
    a.write_text(brief_yaml("a", title="Other title"), encoding="utf-8")  # same size ...
    os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))  # ... and time: "unchanged"
    (empty_briefs_dir / "b.yaml").write_text(brief_yaml("b"), encoding="utf-8")
    result = watcher.scan()
    assert result.library is not None and result.added == ("b",)
    assert result.library.get("a").title == "First title"  # type: ignore[union-attr]


def test_a_scan_of_a_large_folder_pauses_while_listing(empty_briefs_dir: Path) -> None:
    for n in range(STEP * 2):
        (empty_briefs_dir / f"x{n}.txt").write_text("", encoding="utf-8")  # listed, not briefs
    (empty_briefs_dir / "a.yaml").write_text(brief_yaml("a"), encoding="utf-8")
    watcher = BriefWatcher(empty_briefs_dir)
    watcher.scan()
    pauses: list[int] = []
    assert watcher.scan(lambda: pauses.append(1)).library is None
    assert len(pauses) >= 2  # the listing yields to replies even when nothing changed
