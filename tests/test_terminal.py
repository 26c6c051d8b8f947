"""The terminal chat fits the terminal: wrapped to its width, links whole, its own /help,
and it says that it logs nothing."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.cli import main
from bot.terminal import TELEGRAM_ONLY, wrap

ROOT = Path(__file__).resolve().parent.parent
LINK = "https://example.org/" + "a-long-path-segment/" * 6 + "end"


def chat_in_subprocess(briefs_dir: Path, tmp_path: Path, columns: int, lines: str,
                       *args: str) -> str:
    """`briefbot chat` as a user runs it, with COLUMNS set and the lines piped in."""
    env = {**os.environ, "COLUMNS": str(columns), "BRIEFBOT_BRIEFS_DIR": str(briefs_dir),
           "BRIEFBOT_DB": str(tmp_path / "none.db")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.run([sys.executable, "-m", "bot", "chat", *args], input=lines, env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def too_wide(out: str, width: int) -> list[str]:
    """Lines wider than `width` that are not a link standing alone."""
    return [line for line in out.splitlines()
            if len(line) > width and not re.fullmatch(r"\s*\(?\S+://\S+", line)]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_chat_at_60_columns_prints_no_wider_line_but_links(
        briefs_dir: Path, tmp_path: Path, lang: str) -> None:
    briefs = load_briefs(briefs_dir).briefs
    urls = {s.url for b in briefs for s in b.sources}
    lines = "\n".join(["/help", "/topics", "1", "/topics", "2", "what is the csto",
                       "/subscribe", "/brief nothing-like-this", "/quit"]) + "\n"
    out = chat_in_subprocess(briefs_dir, tmp_path, 60, lines, "--lang", lang)
    assert too_wide(out, 60) == []
    shown = set(re.findall(r"https?://[^\s)]+", out))
    assert shown, "no brief with its sources was shown"
    assert shown <= urls, shown - urls  # every link printed is a whole URL of a source


def test_chat_follows_the_width_it_is_given(briefs_dir: Path, tmp_path: Path) -> None:
    lines = "/topics\n1\n"
    narrow = chat_in_subprocess(briefs_dir, tmp_path, 40, lines)
    wide = chat_in_subprocess(briefs_dir, tmp_path, 200, lines)
    assert too_wide(narrow, 40) == []
    assert max(len(line) for line in wide.splitlines()) > 60
    assert len(narrow.splitlines()) > len(wide.splitlines())


def test_a_link_is_never_broken_and_other_long_words_are() -> None:
    text = f"Sources\n• An article with a long title (read it at {LINK}) — A publisher"
    out = wrap(text, 30)
    assert any(LINK in line for line in out.splitlines())
    assert all(len(line) <= 30 or "://" in line for line in out.splitlines())
    assert wrap("x" * 70, 30).splitlines() == ["x" * 30, "x" * 30, "x" * 10]


def test_wrapped_lines_keep_their_indent_past_a_bullet_or_button_number() -> None:
    out = wrap("  [12] " + "word " * 20, 30).splitlines()
    assert out[0].startswith("  [12] word")
    assert all(line.startswith(" " * 7 + "word") for line in out[1:])
    out = wrap("• " + "word " * 20, 30).splitlines()
    assert all(line.startswith("  word") for line in out[1:])
    assert wrap("short line\n\nnext", 30) == "short line\n\nnext"


def test_help_lists_only_what_works_in_the_terminal(
        briefs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs_dir))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    help_text = out[out.index("you> /help"):]
    count = len(load_briefs(briefs_dir).briefs)
    assert f"My {count} briefs cover " in " ".join(help_text.split())  # the scope
    for command in ("/topics", "/language", "/help", "/quit"):
        assert command + " –" in help_text
    for command in TELEGRAM_ONLY:
        assert f"/{command} –" not in help_text
    assert "@" not in help_text  # inline mode is Telegram's


@pytest.mark.parametrize("command", TELEGRAM_ONLY)
def test_telegram_only_commands_say_so(briefs_dir: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str],
                                       command: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs_dir))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"/{command}\n"))
    assert main(["chat"]) == 0
    assert f"/{command} works in Telegram" in capsys.readouterr().out


def test_it_says_at_start_that_it_logs_nothing_and_stats_explains(
        briefs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs_dir))
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "briefbot.db"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is the csto\n"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "nothing you type here is logged" in out[:out.index("you> ")]
    assert not (tmp_path / "briefbot.db").exists()
    assert main(["stats"]) == 2
    assert "the terminal chat logs nothing" in capsys.readouterr().err


def test_the_notice_comes_in_the_chat_language(
        briefs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs_dir))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["chat", "--lang", "ru"]) == 0
    assert "ничего из того, что вы здесь пишете, не записывается" in capsys.readouterr().out


def test_ask_wraps_on_a_terminal_and_not_when_piped(briefs_dir: Path, tmp_path: Path) -> None:
    """`briefbot ask` in a terminal fits its width; piped into a program, lines stay whole."""
    env = {**os.environ, "COLUMNS": "50", "BRIEFBOT_BRIEFS_DIR": str(briefs_dir)}
    question = [load_briefs(briefs_dir).briefs[0].title]  # a brief's title: its whole brief
    primary, secondary = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "bot", "ask", *question], env=env,
                          cwd=tmp_path, stdout=secondary, stderr=subprocess.DEVNULL) as proc:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 0
    os.close(primary)
    on_tty = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    piped = subprocess.run([sys.executable, "-m", "bot", "ask", *question], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           check=True).stdout
    assert too_wide(on_tty, 50) == []
    assert max(len(line) for line in piped.splitlines()) > 50
    assert " ".join(on_tty.split()) == " ".join(piped.split())  # the same words


def test_a_thanks_in_english_leaves_the_chat_in_the_questions_language(
        briefs_dir: Path, tmp_path: Path) -> None:
    out = chat_in_subprocess(briefs_dir, tmp_path, 100,
                             "Блинкен санкциялар туралы не айтты?\nthank you\nBlinken\n")
    after_thanks = out.split("you> thank you", 1)[1]
    thanks, after = after_thanks.split("you> Blinken", 1)
    assert "You're welcome" in thanks  # a thanks is answered in its own language
    assert "Did you mean" not in after and "Қай анықтаманы" in after  # then Kazakh again


@pytest.mark.parametrize("automatic", ["auto", "авто", "автоматты"])
def test_language_auto_in_the_terminal_in_any_language(
        briefs_dir: Path, tmp_path: Path, automatic: str) -> None:
    out = chat_in_subprocess(briefs_dir, tmp_path, 100,
                             f"/language ru\n/language {automatic}\nsanctions\n")
    assert "Send /language" not in out and "Отправьте /language" not in out
    assert out.count("Done") + out.count("Готово") == 2
