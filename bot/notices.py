"""Admin notices about broken brief files: one line a problem, whole lines only, few messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .briefs import BriefError
from .render import MAX_MESSAGE, esc

MAX_NOTICE_MESSAGES = 3  # a burst of broken files costs the admins at most this many messages
MAX_LINE = 600  # characters of one problem line (a reason is short; a file name is ≤ 255 bytes)
HEADER = "⚠️ Broken brief files, not published (the last good version of each stays in service):"


def problem_line(problem: BriefError, folder: Path) -> str:
    """`huge.yaml:1: too large …`: the file named relative to the briefs folder."""
    try:
        name = problem.path.relative_to(folder)
    except ValueError:
        name = Path(problem.path.name)
    text = str(replace(problem, path=name))  # BriefError's own file:line: field: reason
    return text if len(text) <= MAX_LINE else text[: MAX_LINE - 1] + "…"


def broken_files_notice(problems: Iterable[BriefError], folder: Path,
                        limit: int = MAX_MESSAGE,
                        max_messages: int = MAX_NOTICE_MESSAGES) -> list[str]:
    """The HTML messages that tell admins about `problems`: a header, then one `<code>` line
    a problem, never cut inside a line; past `max_messages` the rest is counted in a last line
    ("… and N more (see the log)")."""
    lines = [f"<code>{esc(problem_line(p, folder))}</code>" for p in problems]
    if not lines:
        return []
    messages: list[list[str]] = [[HEADER]]
    sizes = [len(HEADER)]
    for index, line in enumerate(lines):
        rest = len(lines) - index
        if sizes[-1] + 1 + len(line) > limit:
            if len(messages) == max_messages:
                return _closed(messages, sizes, rest, limit)
            messages.append([])
            sizes.append(-1)
        messages[-1].append(line)
        sizes[-1] += 1 + len(line)
    return ["\n".join(m) for m in messages]


def _closed(messages: list[list[str]], sizes: list[int], rest: int, limit: int) -> list[str]:
    """End the last message with a count of the lines left out, dropping lines to make room."""
    last, size = messages[-1], sizes[-1]
    while True:
        tail = f"… and {rest} more (see the log)"
        if size + 1 + len(tail) <= limit or len(last) <= 1:
            break
        size -= 1 + len(last.pop())
        rest += 1
    last.append(tail)
    return ["\n".join(m) for m in messages]
