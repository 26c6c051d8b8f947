"""Broken brief files read as far as they go, for `briefbot validate`: every check that does
not need the broken part still runs in the same pass (a typo'd field does not hide a wrong
source title; a body too long does not hide its figures)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .briefs import Brief, brief_files, parse_brief
from .safeyaml import UnsafeYAML, read_capped

# Fields whose problems leave later checks nothing sound to work on: a brief's figures and
# date are checked against the records of its sources, its date against those records.
NEEDED_BY_LATER_CHECKS = ("sources", "date")


@dataclass(frozen=True)
class Draft:
    """A broken brief as far as it reads, and the fields too broken for later checks."""

    brief: Brief
    broken: frozenset[str]


def drafts(folder: Path, valid: Iterable[Brief]) -> list[Draft]:
    """Every brief file in `folder` that is not among `valid`, read as a draft (files that do
    not parse as YAML, or not as a mapping, have nothing to draft)."""
    done = {b.path for b in valid}
    found = []
    for path in brief_files(folder):
        if path in done:
            continue
        try:
            text = read_capped(path)
        except (UnsafeYAML, OSError, UnicodeDecodeError):
            continue
        brief, problems = parse_brief(path, text, draft=True)
        if brief is None:
            continue
        fields = {p.field.split(".")[0].split("[")[0] for p in problems if p.field}
        found.append(Draft(brief, frozenset(fields & set(NEEDED_BY_LATER_CHECKS))))
    return found
