"""Shared fixtures: a temporary briefs folder, and helpers to write brief files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BRIEFS = ROOT / "briefs"


def brief_yaml(brief_id: str, *, title: str = "", keywords: str = "[alpha, beta]",
               tags: str = "[test]", related: str = "[]", summary: str = "A summary.",
               words: int = 90, date: str = "2023-02-28") -> str:
    """A valid brief file's text (tweak the fields a test cares about)."""
    body = " ".join(["word"] * words)
    return textwrap.dedent(f"""\
        id: {brief_id}
        title: {title or 'Brief ' + brief_id}
        date: {date}
        tags: {tags}
        keywords: {keywords}
        summary: {summary}
        body: {body}
        sources:
          - title: An article
            publisher: A publisher
            url: https://example.org/{brief_id}
            published: 2023-03-01
        related: {related}
        """)


@pytest.fixture
def briefs_dir(tmp_path: Path) -> Path:
    """A temporary copy of the shipped briefs folder."""
    folder = tmp_path / "briefs"
    shutil.copytree(SHIPPED_BRIEFS, folder)
    return folder


@pytest.fixture
def empty_briefs_dir(tmp_path: Path) -> Path:
    """An empty temporary briefs folder."""
    folder = tmp_path / "briefs"
    folder.mkdir()
    return folder
