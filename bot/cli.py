"""The `briefbot` command: run, chat, ask, list, stats (the editors' commands: cli_editor.py)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from . import replies
from .briefs import load_briefs
from .config import ConfigError, Settings, StartupError, briefs_folder_error, load_settings
from .console import (
    json_for_stdout,
    read_bytes_as_they_come,
    stdout_takes_any_text,
    valid_text,
    write_what_the_terminal_can,
)
from .editorial import Editorial, editorial_for
from .explain import explanation, explanation_record
from .i18n import LANGUAGES
from .impact import reply_outcome
from .language import choose_language
from .learning import examples_yaml, suggested_examples
from .library import Library, load_library
from .matching import Match, MatchResult
from .memory import hold_mmap_threshold
from .redact import install_excepthooks, redact
from .report_html import render_report_html
from .stats import Usage, read_usage, report_text
from .storage import Store, StoreError
from .terminal import TerminalChat, reply_text, terminal_width, wrap


class CliError(Exception):
    """A failure reported as one line on stderr with a non-zero exit."""


def _library(settings: Settings, folder: Path | None = None, quiet: bool = False) -> Library:
    folder = folder or settings.briefs_dir
    if (unreadable := briefs_folder_error(folder)) is not None:
        raise unreadable
    try:
        library, errors = load_library(folder)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        raise briefs_folder_error(folder) or CliError(f"cannot read {folder}") from None
    if errors and not quiet:
        print(f"briefbot: warning: {len(errors)} problem(s) in {folder}; "
              "run `briefbot validate` for details", file=sys.stderr)
    return library


def _match_json(m: Match) -> dict[str, object]:
    return {"id": m.brief.id, "title": m.brief.title, "score": m.score}


def result_json(result: MatchResult) -> dict[str, object]:
    """The JSON record `briefbot ask --json` prints for one question."""
    return {
        "query": result.query,
        "outcome": reply_outcome(result),
        "matches": [_match_json(m) for m in result.matches],
        "suggestions": [_match_json(m) for m in result.suggestions],
    }


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question as text, or many (stdin, one a line) as JSON lines."""
    library = _library(settings)
    question = valid_text(" ".join(args.question).strip())
    if args.json:
        read_bytes_as_they_come()
        lines = [question] if question else (
            valid_text(line.rstrip("\r\n")) for line in sys.stdin)
        for line in lines:
            result = library.match(line)
            record = result_json(result)
            if args.explain:
                record["explain"] = explanation_record(result)
            print(json_for_stdout(record), flush=True)
        return 0
    if not question:
        raise CliError('give a question in quotes, e.g. briefbot ask "what was agreed?"')
    if args.explain:
        print("\n".join(explanation(library.match(question))))
        return 0
    lang = choose_language(args.lang, question)
    text = reply_text(replies.ask(library, question, lang))
    print(wrap(text, terminal_width()) if sys.stdout.isatty() else text)  # piped: as is
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every brief, as text or JSON."""
    library = _library(settings)
    if args.json:
        records = [{
            "id": b.id, "title": b.title, "tags": list(b.tags), "date": b.date.isoformat(),
            "sources": [{"title": s.title, "publisher": s.publisher, "url": s.url,
                         "published": s.published} for s in b.sources],
        } for b in library.briefs]
        print(json_for_stdout(records, indent=2))
        return 0
    for b in library.newest_first:
        tags = f"  [{', '.join(b.tags)}]" if b.tags else ""
        print(f"{b.date.isoformat()}  {b.id:<28} {b.title}{tags}")
    print(f"{len(library.briefs)} brief(s) in {settings.briefs_dir}")
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Talk to the bot in the terminal until /quit or end of input (it logs nothing)."""
    chat = TerminalChat(_library(settings), settings, sys.stdout, getattr(args, "lang", None))
    read_bytes_as_they_come()
    chat.run(None if sys.stdin.isatty() else sys.stdin)
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot (long polling, or a webhook)."""
    from .telegram.app import run_bot

    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be from 1 to 65535, got {args.port}")
    if args.webhook_url is not None:
        url = urlsplit(args.webhook_url)
        if url.scheme != "https" or not url.hostname:
            raise CliError("--webhook-url must be an https:// URL (Telegram calls only HTTPS), "
                           f"got {args.webhook_url!r}")
    if args.new_key:
        settings = replace(settings, new_key=True)
    return run_bot(settings, webhook_url=args.webhook_url, listen=args.listen, port=args.port)


def run_default(settings: Settings) -> int:
    """Bare `briefbot` with a token: the Telegram bot with long polling (`main` opens the
    terminal chat instead when no token is set)."""
    from .telegram.app import run_bot

    return run_bot(settings)


def parse_since(value: str | None) -> float:
    """--since DATE as unix time (0 for no limit)."""
    if not value:
        return 0.0
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CliError(f"--since must be a date like 2026-01-31, got {value!r}") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()


async def load_usage(db_path: Path, since: float, key: str = "") -> Usage:
    """Open the database and read a window of the usage log."""
    try:
        store = await Store.open(db_path, key, check_key=False)  # the report needs no key
    except StoreError as exc:
        raise CliError(str(exc)) from None
    try:
        return await read_usage(store, since)
    finally:
        await store.close()


def _known_examples(settings: Settings) -> dict[str, tuple[str, ...]]:
    """Each brief's examples (empty when the briefs folder cannot be read)."""
    try:
        return {b.id: b.examples for b in load_briefs(settings.briefs_dir).briefs}
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return {}


def _editorial(settings: Settings) -> Editorial:
    """The report's view of the briefs served (titles; chatter told from gaps), or none when
    the briefs folder cannot be read."""
    if briefs_folder_error(settings.briefs_dir) is not None:
        return Editorial()
    try:
        return editorial_for(_library(settings, quiet=True))
    except (CliError, ConfigError):
        return Editorial()


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print usage statistics from the database."""
    if not settings.db_path.is_file():
        if settings.db_path.is_dir():
            raise CliError(f"{settings.db_path} is a folder, not a database (set BRIEFBOT_DB, "
                           "or run the bot first)")
        raise CliError(f"{settings.db_path} is no database yet (set BRIEFBOT_DB, or run the bot "
                       "first; the terminal chat logs nothing)")
    since = parse_since(args.since) if args.since else time.time() - args.days * 86_400
    usage = asyncio.run(load_usage(settings.db_path, since, settings.pseudonym_key))
    editorial = _editorial(settings)
    if args.suggest_examples:
        picks = usage.report(limit=10_000)["picks"]
        picks = picks if isinstance(picks, list) else []
        found = suggested_examples(picks, _known_examples(settings))
        print(examples_yaml(found, stdout_takes_any_text()), end="")
        return 0
    report = usage.report(editorial=editorial)
    if args.html:
        try:
            Path(args.html).write_text(render_report_html(report, usage.days(editorial)),
                                        "utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.html}: {exc.strerror or exc}") from None
        print(f"Wrote {args.html}")
        return 0
    if args.json:
        print(json_for_stdout(report, indent=2))
    else:
        print(report_text(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="briefbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    run.add_argument("--webhook-url", help="serve a webhook at this public HTTPS URL")
    run.add_argument("--listen", default="127.0.0.1", help="webhook listen address")
    run.add_argument("--port", type=int, default=8443, help="webhook listen port")
    run.add_argument("--new-key", action="store_true", help="go on with a pseudonymization "
                     "key the database's records were not made with (they can no longer be "
                     "matched to their users)")
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--lang", choices=LANGUAGES, help="reply in this language (default: "
                      "the language of each question when it is clear, else English)")
    chat.set_defaults(func=cmd_chat)
    ask = sub.add_parser("ask", help="print the reply to a question")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--lang", choices=LANGUAGES, help="reply in this language (default: the "
                     "question's when it is clear, else English)")
    ask.add_argument("--json", action="store_true", help="JSON lines; questions from stdin")
    ask.add_argument("--explain", action="store_true", help="for editors: why it gets this "
                     "reply (the words no brief has, the nearest briefs, what to change)")
    ask.set_defaults(func=cmd_ask)
    from .cli_editor import add_editor_commands  # validate, new, impact (imports CliError)

    add_editor_commands(sub)
    lst = sub.add_parser("list", help="list the briefs")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)
    st = sub.add_parser("stats", help="usage statistics for editors")
    st.add_argument("--since", help="the period starts on this date (YYYY-MM-DD); the "
                    "previous period is as long, just before it")
    st.add_argument("--days", type=int, default=30, help="without --since: the last N days "
                    "(default 30)")
    st.add_argument("--json", action="store_true")
    st.add_argument("--suggest-examples", action="store_true",
                    help="print, per brief, real questions to add to its examples: (YAML)")
    st.add_argument("--html", metavar="FILE", help="write the report as one HTML page")
    st.set_defaults(func=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` console script."""
    install_excepthooks()  # anything shaped like a bot token is redacted from tracebacks
    write_what_the_terminal_can()
    hold_mmap_threshold()  # before the briefs are indexed: see bot/memory.py
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        install_excepthooks(settings.telegram_token)
        if args.command is None:  # bare `briefbot`: the bot if there is a token, else chat
            if settings.telegram_token:
                return run_default(settings)
            print("briefbot: no TELEGRAM_BOT_TOKEN set; starting the terminal chat "
                  "(set it in .env to run the Telegram bot)", file=sys.stderr)
            return cmd_chat(args, settings)
        return int(args.func(args, settings))
    except (CliError, ConfigError, StartupError) as exc:
        print(f"briefbot: {redact(str(exc))}", file=sys.stderr)
        return 2 if isinstance(exc, CliError) else 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
