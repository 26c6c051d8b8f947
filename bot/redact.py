"""Keeping the bot token out of every output: log records, tracebacks and error lines."""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from types import TracebackType

TOKEN_IN_TEXT = re.compile(r"bot\d+:[A-Za-z0-9_-]+|\d{3,}:[A-Za-z0-9_-]{20,}")  # in a URL, or bare


def redact(text: str, token: str = "") -> str:
    """`text` with the token (and anything shaped like a bot token) replaced by <redacted>."""
    text = TOKEN_IN_TEXT.sub("<redacted>", text)
    if token:
        text = text.replace(token, "<redacted>")
        secret = token.partition(":")[2]
        text = text.replace(secret, "<redacted>") if len(secret) >= 8 else text
    return text


class RedactToken(logging.Filter):
    """Rewrites any bot token in a log record (message, args and exception) to <redacted>."""

    def __init__(self, token: str = "") -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.token)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.token)
            record.exc_info = (record.exc_info[0], exc, None)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.token)
        return True


def install_excepthooks(token: str = "") -> None:
    """Uncaught exceptions (main thread and others) print their traceback redacted."""

    def print_redacted(kind: type[BaseException], value: BaseException,
                       tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(redact(text, token))
        sys.stderr.flush()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            print_redacted(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = print_redacted
    threading.excepthook = thread_hook
