"""The bot's conversation in a terminal (`briefbot chat`).

The same replies as in Telegram, buttons typed as numbers, every line wrapped to the
terminal's width with links kept whole. It logs nothing: what is typed here reaches neither
the usage log nor `briefbot stats`, and it says so when it starts.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from typing import TextIO

from . import replies
from .config import Settings
from .console import valid_text
from .i18n import _
from .language import AUTOMATIC_NAMES, choose_language, parse_language, spoken_language
from .library import Library
from .render import Reply, html_to_text

MIN_WIDTH = 20  # narrower than this, a reply cannot be read anyway
QUIT = ("/quit", "/exit", "quit", "exit")
# Telegram-only commands, answered with a line saying so instead of "unknown command".
TELEGRAM_ONLY = ("subscribe", "unsubscribe", "subscriptions", "forget", "stats")
_HANGING = re.compile(r"(?:•|-|\[\d+\])\s+")  # a bullet or a button number: later lines align


def reply_text(reply: Reply) -> str:
    """A reply as plain text, buttons listed as numbered choices."""
    parts = [html_to_text(m) for m in reply.messages]
    buttons = [b for row in reply.buttons for b in row]
    if buttons:
        parts.append("\n".join(f"  [{i}] {b.text}" for i, b in enumerate(buttons, 1)))
    return "\n\n".join(parts)


def terminal_width() -> int:
    """The terminal's width now (COLUMNS, else the terminal's own, else 80)."""
    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


def is_link(word: str) -> bool:
    """A word that is (or holds) a URL: never broken, even when longer than a line."""
    return "://" in word


def wrap_line(line: str, width: int) -> list[str]:
    """One line as lines of at most `width` characters. Later lines keep the line's indent
    (past a bullet or a button number, too); a link stands whole, on a line of its own when it
    is too long; any other word longer than a line is cut."""
    if len(line) <= width:
        return [line]
    words = line.split()
    indent = line[: len(line) - len(line.lstrip(" "))]
    bullet = _HANGING.match(line.lstrip(" "))
    hang = indent + " " * (bullet.end() if bullet else 0)
    if len(hang) > width // 2:
        hang = indent if len(indent) <= width // 2 else ""
    room = max(1, width - len(hang))
    lines: list[str] = []
    current = ""
    for word in words:
        pieces = [word] if is_link(word) or len(word) <= room else \
            [word[i:i + room] for i in range(0, len(word), room)]
        for piece in pieces:
            if not current:
                current = (hang if lines else indent) + piece
            elif len(current) + 1 + len(piece) <= width:
                current += " " + piece
            else:
                lines.append(current)
                current = hang + piece
    lines.append(current)
    return lines


def wrap(text: str, width: int) -> str:
    """Every line of `text` wrapped to `width` (see `wrap_line`)."""
    return "\n".join(out for line in text.split("\n") for out in wrap_line(line, width))


def help_reply(library: Library, lang: str) -> Reply:
    """/help in the terminal: what the bot covers, only the commands that work here, and that
    nothing is logged."""
    return Reply(("\n\n".join((
        "\n".join((
            _(lang, "<b>How to use me</b>"),
            replies.scope_text(library, lang),
            _(lang, "Type a question in your own words, in English, Russian or Kazakh, and "
                    "press Enter. Type a button's number to press it."),
        )),
        "\n".join((
            _(lang, "<b>Commands</b>"),
            _(lang, "/topics – every brief, as buttons"),
            _(lang, "/language – the language of my replies"),
            _(lang, "/help – this message"),
            _(lang, "/quit – leave the chat"),
        )),
        logs_nothing(lang),
    )),))


def logs_nothing(lang: str) -> str:
    """What the terminal chat keeps: nothing."""
    return _(lang, "Nothing you type here is logged or stored, so <code>briefbot stats</code> "
                   "does not count it. Subscriptions, /forget and /stats work in Telegram.")


class TerminalChat:
    """The bot's conversation in a terminal: same replies and buttons, typed as numbers.
    Replies come in `lang` if given (or chosen with /language), else as in Telegram for a
    reader whose app is in English: the language of the question when it is clear."""

    def __init__(self, library: Library, settings: Settings, out: TextIO,
                 lang: str | None = None, width: int | None = None) -> None:
        self.library = library
        self.settings = settings
        self.out = out
        self.width = width  # None: the terminal's width at each reply
        self.buttons: list[str] = []
        self.chosen = lang
        self.recent: str | None = None

    def language(self, text: str = "") -> str:
        """The language of the next reply (`text`: the question, if any)."""
        self.recent = spoken_language(text) or self.recent
        return choose_language(self.chosen, text, self.recent)

    def say(self, text: str) -> None:
        """Print plain text wrapped to the width."""
        print(wrap(text, self.width or terminal_width()), file=self.out)

    def show(self, reply: Reply) -> None:
        """Print a reply and remember its buttons."""
        self.buttons = [b.data for row in reply.buttons for b in row]
        self.say(reply_text(reply))
        print(file=self.out)

    def press(self, data: str) -> Reply:
        """What pressing a button does."""
        lang = self.language()
        if data.startswith(replies.TOPICS_PREFIX):
            page = data.removeprefix(replies.TOPICS_PREFIX)
            return replies.topics(self.library, int(page) if page.isdigit() else 0, lang)
        brief = self.library.get(data.removeprefix(replies.BRIEF_PREFIX))
        return replies.brief_reply(self.library, brief, lang) if brief \
            else replies.gone_brief(lang)

    def handle(self, line: str) -> Reply | None:
        """The reply to one typed line (None for nothing to say)."""
        text = line.strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return self.press(self.buttons[int(text) - 1])
        if text.isdigit() and len(text) <= 3 and self.buttons:  # a button that is not there
            return replies.no_such_button(int(text), len(self.buttons), self.language())
        if not text.startswith("/"):
            return replies.ask(self.library, text, self.language(text))
        command, _sep, arg = text[1:].partition(" ")
        command = command.split("@")[0].lower()
        lang = self.language()
        handlers: dict[str, Callable[[], Reply]] = {
            "start": lambda: (replies.brief_by_id(self.library, arg, lang) if arg
                              else replies.welcome(self.library, lang=lang)),
            "help": lambda: help_reply(self.library, lang),
            "topics": lambda: replies.topics(self.library, lang=lang),
            "brief": lambda: replies.brief_by_id(self.library, arg, lang),
            "language": lambda: self.choose(arg),
        }
        handler = handlers.get(command)
        if handler is None:
            if command in TELEGRAM_ONLY:
                return Reply((_(lang, "/{command} works in Telegram; the terminal chat keeps "
                                      "no account.").format(command=command),))
            return replies.unknown_command("/" + command, lang)
        return handler()

    def choose(self, arg: str) -> Reply:
        """/language en|ru|kk|auto in the terminal."""
        lang = parse_language(arg)
        if lang is None and arg.strip().lower() not in AUTOMATIC_NAMES:
            return Reply((_(self.language(), "Send /language en, ru, kk or auto."),))
        self.chosen = lang
        return Reply((_(self.language(), "Done: from now on I reply to you in English, "
                                         "whatever the language of your question. "
                                         "/language changes it."),) if lang else
                     (_(self.language(), "Done: I reply in the language you write in again "
                                         "(when that is unclear, in the language of your "
                                         "Telegram app)."),))

    def run(self, lines: Iterable[str] | None = None) -> None:
        """Talk until /quit or the end of input: typed at a prompt (`lines` None), or the
        given lines, each echoed after `you>` as if typed."""
        self.show(replies.welcome(self.library, lang=self.language()))
        self.say(html_to_text(_(self.language(), "Terminal chat: nothing you type here is "
                                                 "logged. Type a question, a button number, "
                                                 "/help or /quit.")))
        print(file=self.out)
        typed = iter(lines) if lines is not None else None
        while True:
            try:
                line = valid_text(input("you> ") if typed is None else next(typed).rstrip("\n"))
            except (EOFError, StopIteration):
                break
            except KeyboardInterrupt:
                print(file=self.out)
                break
            if line.strip().lower() in QUIT:
                break
            if typed is not None:
                self.say(f"you> {line}")
            reply = self.handle(line)
            if reply is not None:
                self.show(reply)
