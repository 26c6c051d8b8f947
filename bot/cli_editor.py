"""The editors' commands: `briefbot validate`, `briefbot new`, `briefbot impact`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .briefs import load_briefs
from .chatter import chatter, check_chatter
from .cli import CliError
from .config import Settings, briefs_folder_error
from .examples import check_examples
from .matching import Matcher
from .problems import summarize
from .sources import check_briefs
from .topic import read_topic


def seeds_folder(args: argparse.Namespace, settings: Settings, briefs: Path) -> Path:
    """--seeds, else BRIEFBOT_SEEDS_DIR, else the seeds/ beside the briefs folder."""
    return Path(args.seeds) if args.seeds else settings.seeds_dir or briefs.parent / "seeds"


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Check every brief file, and each brief against the seed records; print every problem,
    one line per cause and file. Exit 0 when valid (warnings allowed), 1 with problems."""
    folder = Path(args.dir) if args.dir else settings.briefs_dir
    seeds = seeds_folder(args, settings, folder)
    if (unreadable := briefs_folder_error(folder)) is not None:
        raise unreadable
    try:
        result = load_briefs(folder)
        topic, topic_problems = read_topic(folder)
        errors = [*topic_problems, *result.errors, *check_briefs(result.briefs, seeds)]
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        hint = " (give --seeds DIR or set BRIEFBOT_SEEDS_DIR)" if "seeds" in str(exc) else ""
        raise CliError(f"{exc}{hint}") from None
    errors += check_examples(result.briefs, topic=topic)
    if args.chatter:
        errors += check_chatter(result.briefs, lambda briefs: Matcher(briefs, topic=topic))
    summary = summarize(errors)
    for line in summary.lines:
        print(line)
    valid = len({b.path for b in result.briefs} - {e.path for e in errors if not e.warning})
    warned = f"; {summary.warnings} warning(s)" if summary.warnings else ""
    if summary.errors:
        causes = len(summary.lines) - summary.warning_lines
        print(f"{summary.errors} problem(s) from {causes} cause(s) in {summary.files} "
              f"file(s){warned}; {valid} brief(s) are valid.", file=sys.stderr)
        return 1
    examples = sum(len(b.examples) for b in result.briefs)
    chatted = (f", and none of {len(chatter())} everyday chatter messages (en/ru/kk) gets a "
               "brief" if args.chatter else "")
    print(f"OK: {len(result.briefs)} brief(s) in {folder} are valid, match the seed records "
          f"in {seeds}, and all {examples} example question(s) land on their "
          f"brief{chatted}{warned}.")
    return 0


def add_editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The editors' subcommands on the `briefbot` parser."""
    val = sub.add_parser("validate", help="check brief files and report every problem")
    val.add_argument("dir", nargs="?")
    val.add_argument("--seeds", metavar="DIR", help="seed records folder (default: the seeds/ "
                     "beside the briefs folder, or BRIEFBOT_SEEDS_DIR)")
    val.add_argument("--chatter", action="store_true", help="also check that everyday chatter "
                     "and assistant requests (en/ru/kk) get no brief as an answer")
    val.set_defaults(func=cmd_validate)
