"""Brief files that are not what they seem: a link out of the briefs folder is not read (its
lines would be quoted to the log and the admins), a FIFO or device is refused in one line and
never hangs the reload; links inside the folder (as deployment tools make them) still work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.briefs import read_brief_file
from bot.reload import BriefWatcher
from tests.conftest import brief_yaml


def problems(folder: Path) -> dict[str, str]:
    result = BriefWatcher(folder).scan()
    return {e.path.name: e.reason for e in result.problems}


def test_a_link_out_of_the_folder_is_not_read_nor_quoted(tmp_path: Path,
                                                         briefs_dir: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash:20228:0:99999:7:::\n", encoding="utf-8")
    (briefs_dir / "leak.yaml").symlink_to(secret)
    found = problems(briefs_dir)
    assert "leak.yaml" in found and "outside" in found["leak.yaml"]
    assert not any("hash" in reason or "root" in reason for reason in found.values())


def test_a_link_inside_the_folder_is_served(briefs_dir: Path) -> None:
    data = briefs_dir / "..data"
    data.mkdir()
    (data / "linked-news.yaml").write_text(brief_yaml("linked-news"), encoding="utf-8")
    (briefs_dir / "linked-news.yaml").symlink_to(Path("..data") / "linked-news.yaml")
    brief, found = read_brief_file(briefs_dir / "linked-news.yaml")
    assert found == [] and brief is not None and brief.id == "linked-news"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_device_is_refused_in_one_line_and_never_hangs(briefs_dir: Path) -> None:
    os.mkfifo(briefs_dir / "pipe.yaml")  # nobody ever writes: opening it plainly would block
    (briefs_dir / "zero.yaml").symlink_to("/dev/zero")
    result = BriefWatcher(briefs_dir).scan()
    reasons = {e.path.name: e.reason for e in result.problems}
    assert "not a regular file" in reasons["pipe.yaml"]
    assert reasons["zero.yaml"]  # a device, and outside the folder: refused either way
    assert result.library is not None and len(result.library.briefs) == 11
