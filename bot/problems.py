"""Validation problems as an editor reads them: one line per cause and file (one line for
every file when the cause is shared, such as a source URL with no seed record), errors
before warnings, and a count at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .briefs import BriefError


@dataclass(frozen=True)
class Summary:
    """The lines to print, and what they add up to."""

    lines: tuple[str, ...]
    errors: int  # problems that fail validation
    warnings: int
    files: int  # files with an error
    warning_lines: int = 0


def _where(error: BriefError) -> str:
    return f"{error.path}:{error.line}" if error.line else str(error.path)


def _short(path: Path) -> str:
    return path.name


def _line(group: list[BriefError]) -> str:
    """One group of problems (one cause) as one line."""
    first = group[0]
    prefix = "warning: " if first.warning else ""
    if len(group) == 1:
        return f"{prefix}{first}"
    files = {e.path for e in group}
    if first.shared and len(files) > 1:
        fields = {e.field for e in group}
        field = f"{fields.pop()}: " if len(fields) == 1 else ""
        cites = ", ".join(f"{_short(e.path)}:{e.line}" if e.line else _short(e.path)
                          for e in sorted(group, key=lambda e: (str(e.path), e.line or 0)))
        return f"{prefix}{field}{first.cause} — {len(files)} briefs cite it: {cites}"
    parts = "; ".join(f"{e.detail or e.reason} (line {e.line})" if e.line else
                      (e.detail or e.reason) for e in group)
    field = f" {first.field}:" if first.field and len({e.field for e in group}) == 1 else ""
    return f"{prefix}{_where(first)}:{field} {len(group)} {first.cause}: {parts}"


def summarize(problems: Sequence[BriefError]) -> Summary:
    """Group problems by cause (in the order they were found), errors first."""
    groups: dict[tuple[str, ...], list[BriefError]] = {}
    for n, error in enumerate(problems):
        if not error.cause:
            key: tuple[str, ...] = ("", str(n))
        elif error.shared:
            key = ("shared", error.cause)
        else:
            key = ("file", str(error.path), error.cause)
        groups.setdefault(key, []).append(error)
    ordered = sorted(groups.values(), key=lambda g: g[0].warning)
    lines = [_line(g) for g in ordered]
    errors = [e for e in problems if not e.warning]
    return Summary(tuple(lines), len(errors), len(problems) - len(errors),
                   len({e.path for e in errors}), sum(g[0].warning for g in ordered))
