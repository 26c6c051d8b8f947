"""The token never reaches the log: messages, arguments and tracebacks, through the real
logging set-up the bot installs (`configure_logging`)."""

from __future__ import annotations

import io
import logging
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.redact import RedactToken, install_excepthooks, redact
from bot.telegram.app import configure_logging
from tests.fake_api import TOKEN

SECRET = TOKEN.partition(":")[2]


@pytest.fixture
def output() -> io.StringIO:
    """What the bot's log handler writes (stderr when the bot runs)."""
    return io.StringIO()


@pytest.fixture
def bot_logging(monkeypatch: pytest.MonkeyPatch, output: io.StringIO) -> Iterator[logging.Logger]:
    """The bot's logging configuration for one test, writing to `output`; the test runner's
    is put back after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    configure_logging(Settings(briefs_dir=Path("."), db_path=Path("x.db"), telegram_token=TOKEN))
    (handler,) = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(output)
    yield logging.getLogger("briefbot.test")
    logging.captureWarnings(False)
    root.handlers[:], level = saved
    root.setLevel(level)


def test_a_logged_traceback_is_redacted(bot_logging: logging.Logger,
                                        output: io.StringIO) -> None:
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe: refused")
    except RuntimeError:
        bot_logging.exception("call failed for %s", TOKEN)
    try:
        raise ValueError(f"secret {SECRET} rejected")  # the secret alone, without the id
    except ValueError as exc:
        bot_logging.error("rejected", exc_info=exc)
    err = output.getvalue()
    assert err.count("Traceback (most recent call last)") == 2
    assert "RuntimeError: POST https://api.telegram.org/<redacted>/getMe" in err
    assert "call failed for <redacted>" in err
    assert "ValueError: secret <redacted> rejected" in err
    assert SECRET not in err


def test_stack_info_and_warnings_are_redacted(bot_logging: logging.Logger,
                                              output: io.StringIO) -> None:
    bot_logging.warning("about %s", TOKEN, stack_info=True)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated call with {TOKEN}", UserWarning, stacklevel=1)
    err = output.getvalue()
    assert "Stack (most recent call last)" in err and "about <redacted>" in err
    assert "UserWarning: deprecated call with <redacted>" in err
    assert SECRET not in err


def test_redact_hides_token_shapes_and_short_secrets_stay() -> None:
    assert redact(f"x {TOKEN} y") == "x <redacted> y"
    assert redact("https://api.telegram.org/bot42:abc/getMe") == \
        "https://api.telegram.org/<redacted>/getMe"
    assert redact("id 12345:short") == "id 12345:short"  # not token-shaped: a ratio, a time
    assert redact("key=abcdefgh and more", token="1:abcdefgh") == "key=<redacted> and more"
    assert redact("x 1:abcdefgh y", token="1:abcdefgh") == "x <redacted> y"  # not token-shaped
    assert redact("key=abcdefg", token="1:abcdefg") == "key=abcdefg"  # too short to be sure
    assert redact("plain text") == "plain text"
    assert redact("XXXX, <redacted>? id:12") == "XXXX, <redacted>? id:12"  # no token: as is


def test_the_secret_alone_and_exceptions_never_raised_are_redacted(
        bot_logging: logging.Logger, output: io.StringIO) -> None:
    bot_logging.error("secret %s", SECRET, stack_info=True)  # not token-shaped on its own
    bot_logging.error("made, never raised", exc_info=ValueError(f"no traceback {SECRET}"))
    err = output.getvalue()
    assert "secret <redacted>" in err and "ValueError: no traceback <redacted>" in err
    assert SECRET not in err


def crash_uncaught(message: str) -> RuntimeError:
    """An error no code catches, in the main thread (through sys.excepthook, with `message`)
    and in another thread (a Bot API URL holding the token); the first is returned."""
    try:
        raise RuntimeError(message)
    except RuntimeError as raised:
        exc = raised
        sys.excepthook(RuntimeError, exc, exc.__traceback__)

    def fail() -> None:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")

    thread = threading.Thread(target=fail)
    thread.start()
    thread.join()
    return exc


def test_uncaught_exceptions_print_redacted_after_configure_logging(
        bot_logging: logging.Logger, capsys: pytest.CaptureFixture[str]) -> None:
    exc = crash_uncaught(f"rejected {SECRET}")
    err = capsys.readouterr().err
    assert redact("".join(traceback.format_exception(exc)), TOKEN) in err  # whole, as Python's
    assert err.count("Traceback (most recent call last)") == 2
    assert "RuntimeError: rejected <redacted>" in err
    assert "RuntimeError: GET https://api.telegram.org/<redacted>/getMe failed" in err
    assert SECRET not in err


def _log_from_a_line_holding_the_secret(logger: logging.Logger) -> None:
    logger.warning("where from?", stack_info=True)  # TEST-token_abcdefghijklmnopqrstuvwxyz


def test_source_lines_in_stack_info_are_redacted(bot_logging: logging.Logger,
                                                 output: io.StringIO) -> None:
    assert SECRET == "TEST-token_abcdefghijklmnopqrstuvwxyz"  # as written in the line above
    _log_from_a_line_holding_the_secret(bot_logging)
    err = output.getvalue()
    assert "Stack (most recent call last)" in err and "# <redacted>" in err
    assert SECRET not in err


def test_without_a_token_ordinary_text_passes_untouched(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "note XXXX %s", ("abc",), None)
    assert RedactToken().filter(record) and record.getMessage() == "note XXXX abc"
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthooks()  # the CLI's first call, before settings are read
    try:
        raise RuntimeError("plain XXXX message")
    except RuntimeError as exc:
        sys.excepthook(RuntimeError, exc, exc.__traceback__)
    assert "RuntimeError: plain XXXX message" in capsys.readouterr().err
