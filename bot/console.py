"""The terminal's side of the command line: text read from stdin and argv as it comes, and
text written to stdout whatever the terminal's encoding can show."""

from __future__ import annotations

import codecs
import io
import json
import sys


def read_bytes_as_they_come() -> None:
    """Make stdin keep bytes that are no UTF-8 (as lone surrogates, for `valid_text`) instead
    of failing on them, whatever the locale's strictness."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")


def write_what_the_terminal_can() -> None:
    """Make stdout and stderr write a character their encoding lacks as an escape ('\\u041a')
    instead of failing on it: in an ASCII locale every line still comes out, nothing lost. A
    stream that already handles such characters (a UTF-8 locale's `surrogateescape`, which
    writes a path's own bytes back) is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def stdout_takes_any_text() -> bool:
    """Standard output's encoding is a Unicode one: any character can be written as itself."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    return codecs.lookup(encoding).name.startswith("utf")


def json_for_stdout(value: object, indent: int | None = None) -> str:
    """JSON for standard output: as UTF-8 text where stdout takes any character, and with
    '\\u' escapes where it does not (still valid JSON, the same once parsed)."""
    return json.dumps(value, ensure_ascii=not stdout_takes_any_text(), indent=indent)


def valid_text(text: str) -> str:
    """`text` with bytes that were no UTF-8 (kept by Python as lone surrogates from argv,
    stdin or a terminal) replaced by '\ufffd', so that what is printed is valid UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
