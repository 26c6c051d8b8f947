"""The editors' commands: `briefbot validate`, `briefbot new`, `briefbot impact`."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from .briefs import ID_PATTERN, MAX_ID, MONTH_PATTERN, brief_files, load_briefs
from .chatter import chatter, check_chatter
from .citations import check_briefs
from .cli import CliError
from .config import Settings, briefs_folder_error
from .console import json_for_stdout
from .drafts import drafts
from .examples import check_examples
from .figures import provided
from .impact import Questions, replay
from .impact import as_json as impact_json
from .impact import report_lines as impact_lines
from .library import Library, load_library
from .matching import Matcher
from .ownwords import SHINGLE, OwnWords, check_own_words
from .problems import summarize
from .reasons import date_problem
from .repeats import repeated_keywords
from .safeyaml import UnsafeYAML, load_yaml, read_capped
from .seeds import SeedRecord, load_seeds, real_day, url_key
from .storage import QuestionRecord, Store, StoreError
from .text import normalize
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
        broken = drafts(folder, result.briefs)
        checked = [*result.briefs, *(d.brief for d in broken)]
        errors = [*topic_problems, *result.errors,
                  *check_briefs(checked, seeds, {d.brief.path: d.broken for d in broken
                                                 if d.brief.path})]
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        hint = " (give --seeds DIR or set BRIEFBOT_SEEDS_DIR)" if "seeds" in str(exc) else ""
        raise CliError(f"{exc}{hint}") from None
    errors += repeated_keywords(checked)
    errors += check_examples(result.briefs, topic=topic)
    errors += check_chatter(result.briefs, lambda briefs: Matcher(briefs, topic=topic))
    own = check_own_words(checked, seeds, Path(args.captures) if args.captures else None)
    errors += own.problems
    summary = summarize(errors)
    for line in summary.lines:
        print(line)
    valid = len({b.path for b in result.briefs} - {e.path for e in errors if not e.warning})
    warned = f"; {summary.warnings} warning(s)" if summary.warnings else ""
    if summary.errors:
        causes = len(summary.lines) - summary.warning_lines
        print(f"{summary.errors} problem(s) from {causes} cause(s) in {summary.files} "
              f"file(s){warned}; {valid} brief(s) are valid.", file=sys.stderr)
        if own.compared or (own.absent and args.captures):
            print(_own_words_note(own, bool(args.captures)), file=sys.stderr)
        return 1
    examples = sum(len(b.examples) for b in result.briefs)
    chatted = (f", and none of {len(chatter())} everyday chatter messages (en/ru/kk) gets a "
               "brief")
    print(f"OK: {len(result.briefs)} brief(s) in {folder} are valid, match the seed records "
          f"in {seeds}, and all {examples} example question(s) land on their "
          f"brief{chatted}{warned}.")
    print(_own_words_note(own, bool(args.captures)))
    return 0


def _own_words_note(own: OwnWords, named: bool = False) -> str:
    """What the own-words check compared, and what it found, in one line. Captures are
    optional and never committed: one absent is counted, and named only with --captures."""
    copied = len(own.problems)
    if not own.compared:
        note = "Own words: no capture here to compare with (optional)."
    elif copied:
        note = (f"Own words: compared with {own.compared} capture(s) of the articles; "
                f"{copied} copied passage(s), listed above.")
    else:
        note = (f"Own words: compared with {own.compared} capture(s) of the articles; no run "
                f"of {SHINGLE} words is copied (names and titles aside).")
    if own.absent:
        note += f" {len(own.absent)} capture(s) named are not here"
        note += (": " + ", ".join(own.absent) + "." if named else
                 " (kept outside the repository; give --captures DIR to compare them).")
    return note


def _quoted(value: str) -> str:
    """A YAML scalar for any text (a JSON string is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _write_new(path: Path, text: str) -> None:
    """Write a new file atomically (a hidden temp file the bot ignores, then a rename);
    never over an existing one."""
    if path.exists():
        raise CliError(f"{path} already exists; edit it, or pick another name")
    if not path.parent.is_dir():
        raise CliError(f"folder not found: {path.parent}")
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_text(text, "utf-8")
        temp.replace(path)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


def brief_skeleton(brief_id: str, sources: Sequence[SeedRecord] = ()) -> str:
    """A new brief with every field commented: only the text the editor must write is left
    empty (so `briefbot validate` names just those fields)."""
    cited = "".join(
        f"  - title: {_quoted(r.title)}\n    publisher: {_quoted(r.publisher)}\n"
        f"    url: {_quoted(r.url)}\n    published: {_quoted(r.published)}\n"
        for r in sources)
    days = sorted(event_days(sources))
    date = (days[0] if len(days) == 1 else
            '""  # the day of the events: a day the records\' facts give, not the day '
            'published')
    return BRIEF_SKELETON.format(id=brief_id, date=date,
                                 sources=("\n" + cited) if cited else " []\n")


def event_days(records: Sequence[SeedRecord]) -> set[str]:
    """The days (YYYY-MM-DD) the records' facts give, each fact read in its record's year."""
    days: set[str] = set()
    for record in records:
        year = int(record.published[:4]) if record.published[:4].isdigit() else None
        for fact in record.facts:
            days |= {k[5:] for k in provided([fact], year) if k.startswith("date:")}
    return days


BRIEF_SKELETON = """\
# A brief: one event or topic, told in our own words from the sources below. Every figure
# and date in it must come from a cited source's seed record (seeds/). Check it with
# `briefbot validate`; see how it changes readers' answers with `briefbot impact`.

# The file name without .yaml: lowercase a-z, 0-9 and '-'.
id: {id}

# The headline readers see, one line (at most 200 characters).
title: ""

# The day of the events (YYYY-MM-DD), as a cited seed record's facts give it (not the day
# the article was published, unless the events happened that day).
date: {date}

# Words readers can subscribe to (/subscribe TAG): lowercase a-z, 0-9 and '-'.
tags: []

# What readers type to find this brief: names, places, terms and short phrases, in English,
# Russian and Kazakh (a question's every topic word must be one of this brief's words, or it
# becomes a did-you-mean). At least one.
keywords: []

# One or two sentences, shown first: what happened, who, when (at most 600 characters).
summary: ""

# 80-250 words in our own words (no run of 8 words copied from an article). Paragraphs are
# separated by an empty line.
body: ""

# The articles this brief is derived from, each exactly as its seed record names it
# (`briefbot new seed URL` writes a record; `briefbot new brief ID --source URL` copies it).
sources:{sources}
# Ids of other briefs to offer beside this one; one that is not a brief yet is a warning,
# left out until it exists.
related: []

# Questions readers would ask that this brief answers, in any language; `briefbot validate`
# checks that each one lands here.
examples: []

# Translations of title, summary and body (each optional; 50-320 words for a body), with
# the same figures as the English:
# ru:
#   title: ""
#   summary: ""
#   body: ""
# kk:
#   title: ""
#   summary: ""
#   body: ""
"""


SEED_SKELETON = """\
# A seed record: one source article, its facts in our own words. Briefs that cite this URL
# may state only the figures and dates given here. Check it with `briefbot validate`.

# The file name without .yaml.
id: {id}

# The article's headline, exactly as a brief's `sources:` entry will name it. A page that
# shows none: take it from the page's address or the site's listing, and say so in a comment.
title: {title}

# Who published it (the site or paper), as briefs will name it.
publisher: {publisher}

# The article's address; briefs cite it by this URL.
url: {url}

# When it was published: YYYY-MM-DD, or YYYY-MM when the page gives only a month.
published: {published}

# Optional: the byline, and the dateline when it differs from the date published.
# author: ""
# dateline: ""

# Optional: the article's text as you saved it (a .txt file, path relative to this folder,
# e.g. captures/{id}.txt); `briefbot validate` then reports any run of 8 words a brief
# shares with it. Captures are outside text: git ignores every captures/ folder.
# capture: captures/{id}.txt

# The article's facts, one a line, in our own words: every figure and date a brief states
# must be written here (a day without a year is read in the year the fact names, else in
# the year published). A date the article only implies ("this month", "on Saturday"): only
# what its own dates give, or no day.
facts: []
"""


def _slug(text: str, words: int = 5) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words])


def seed_id(url: str, title: str, published: str) -> str:
    """An id for a new record: the site, the date and the headline's first words (whole
    words only, within MAX_ID)."""
    host = (urlsplit(url).hostname or "source").removeprefix("www.").split(".")[0]
    parts = [_slug(host, 1), published, _slug(title) or _slug(urlsplit(url).path)]
    words = "-".join(p for p in parts if p).split("-")
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > MAX_ID:
            break
        kept.append(word)
    return "-".join(kept) or "-".join(words)[:MAX_ID].strip("-") or "source"


def cmd_new(args: argparse.Namespace, settings: Settings) -> int:
    """Write a commented skeleton of a brief or a seed record."""
    briefs = Path(args.dir) if args.dir else settings.briefs_dir
    seeds = seeds_folder(args, settings, briefs)
    if args.kind == "brief":
        if not ID_PATTERN.match(args.name) or len(args.name) > MAX_ID:
            raise CliError(f"a brief id is lowercase a-z, 0-9 and '-' (at most {MAX_ID}), "
                           f"got {args.name!r}")
        cited = []
        if args.source:
            records = _drafted_records(seeds)
            for url in args.source:
                record = records.get(url_key(url))
                if record is None:
                    raise CliError(f"{url} has no seed record in {seeds}; write one first: "
                                   f"briefbot new seed {url}")
                cited.append(record)
        path = briefs / f"{args.name}.yaml"
        _write_new(path, brief_skeleton(args.name, cited))
    else:
        url = args.name.strip()
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise CliError(f"a seed record's URL is an http(s) address, got {url!r}")
        existing = _drafted_records(seeds).get(url_key(url)) if seeds.is_dir() else None
        if existing is not None:  # a draft record counts: its facts may be unwritten yet
            where = existing.path or seeds / f"{existing.id}.yaml"
            raise CliError(f"{url} already has a seed record: {where} (edit it, or cite it "
                           f"with `briefbot new brief ID --source {existing.url}`)")
        published = args.published or ""
        if published and not (real_day(published) or MONTH_PATTERN.match(published)):
            raise CliError("--published: " + date_problem(
                published, "an ISO date (YYYY-MM-DD or YYYY-MM)"))
        record_id = args.id or seed_id(url, args.title or "", published)
        path = seeds / f"{record_id}.yaml"
        _write_new(path, SEED_SKELETON.format(
            id=record_id, title=_quoted(args.title or ""), publisher=_quoted(args.publisher or ""),
            url=_quoted(url), published=_quoted(published)))
    print(f"Wrote {path}: fill in the empty fields, then run `briefbot validate`.")
    return 0


def _drafted_records(seeds: Path) -> dict[str, SeedRecord]:
    """Every seed record by URL, its facts still unwritten or not (a brief can be started
    from a record that is itself a draft)."""
    found = _records(seeds)
    for path in brief_files(seeds):
        try:
            data, _lines = load_yaml(read_capped(path))
        except (UnsafeYAML, OSError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            continue
        fields = {k: str(data.get(k) or "").strip() for k in ("title", "publisher", "published")}
        found.setdefault(url_key(data["url"]), SeedRecord(
            path.stem, fields["title"], fields["publisher"], data["url"].strip(),
            fields["published"], (), path=path))
    return found


def _records(seeds: Path) -> dict[str, SeedRecord]:
    try:
        return load_seeds(seeds)[0]
    except FileNotFoundError as exc:
        raise CliError(f"{exc} (give --seeds DIR or set BRIEFBOT_SEEDS_DIR)") from None


MAX_LOG_QUESTIONS = 5_000  # distinct logged questions replayed, most asked first
MAX_QUESTIONS_FILE = 5_000_000  # bytes


def _impact_library(folder: Path) -> Library:
    try:
        library, errors = load_library(folder)
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        raise CliError(str(exc)) from None
    if errors:
        print(f"briefbot: warning: {len(errors)} problem(s) in {folder}; its valid briefs are "
              "compared (run `briefbot validate` for details)", file=sys.stderr)
    return library


def _logged(settings: Settings, limit: int) -> tuple[list[str], list[int]] | None:
    """The questions readers asked, most asked first (None without a usage log)."""
    if not settings.db_path.is_file():
        return None

    async def read() -> list[QuestionRecord]:
        store = await Store.open(settings.db_path, settings.pseudonym_key, check_key=False)
        try:
            return await store.questions(0.0)
        finally:
            await store.close()

    try:
        records = asyncio.run(read())
    except StoreError as exc:
        print(f"briefbot: warning: usage log not read: {exc}", file=sys.stderr)
        return None
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for r in records:
        if r.kind in ("text", "inline") and normalize(r.text):
            shown.setdefault(normalize(r.text), r.text)
            counts[normalize(r.text)] += 1
    top = counts.most_common(limit)
    return [shown[k] for k, _n in top], [n for _k, n in top]


def cmd_impact(args: argparse.Namespace, settings: Settings) -> int:
    """Replay questions against two libraries; list every question whose outcome changes."""
    before_dir = Path(args.before)
    after_dir = Path(args.after) if args.after else settings.briefs_dir
    before, after = _impact_library(before_dir), _impact_library(after_dir)
    questions = Questions()
    origins = []
    logged = None if args.no_log else _logged(settings, args.limit)
    if logged is None and not args.no_log and not settings.db_path.is_file():
        print(f"briefbot: no usage log at {settings.db_path}: replaying examples and "
              "--questions only", file=sys.stderr)
    if logged is not None:
        questions.add(logged[0], "log", logged[1])
        origins.append(f"{questions.count('log')} from the usage log")
    questions.add([e for lib in (before, after) for b in lib.briefs for e in b.examples],
                  "examples")
    origins.append(f"{questions.count('examples')} example question(s)")
    if args.questions:
        path = Path(args.questions)
        try:
            if path.stat().st_size > MAX_QUESTIONS_FILE:
                raise CliError(f"{path} is larger than {MAX_QUESTIONS_FILE // 1_000_000} MB")
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {path}: {exc}") from None
        questions.add([ln for ln in lines if not ln.lstrip().startswith("#")], "file")
        origins.append(f"{questions.count('file')} from {path.name}")
    ordered = questions.ordered()
    changed = replay(ordered, before, after)
    if args.json:
        print(json_for_stdout(impact_json(changed), indent=2))
        return 0
    print(f"Impact of {after_dir} against {before_dir}:")
    for line in impact_lines(changed, len(ordered), ", ".join(origins)):
        print(line)
    return 0


def add_editor_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The editors' subcommands on the `briefbot` parser."""
    val = sub.add_parser("validate", help="check brief files and report every problem")
    val.add_argument("dir", nargs="?")
    val.add_argument("--seeds", metavar="DIR", help="seed records folder (default: the seeds/ "
                     "beside the briefs folder, or BRIEFBOT_SEEDS_DIR)")
    val.add_argument("--chatter", action="store_true", help="(always on) check that everyday "
                     "chatter and assistant requests (en/ru/kk) get no brief as an answer")
    val.add_argument("--captures", metavar="DIR", help="folder of the articles' saved text, "
                     "when seed records name captures kept outside the seeds folder")
    val.set_defaults(func=cmd_validate)
    new = sub.add_parser("new", help="write a commented skeleton: a brief or a seed record")
    new.add_argument("kind", choices=("brief", "seed"))
    new.add_argument("name", metavar="ID|URL", help="the new brief's id, or the article's URL")
    new.add_argument("--source", metavar="URL", action="append",
                     help="(brief) cite this source, copied from its seed record (repeatable)")
    new.add_argument("--title", help="(seed) the article's headline")
    new.add_argument("--publisher", help="(seed) who published it")
    new.add_argument("--published", metavar="DATE",
                     help="(seed) when: YYYY-MM-DD, or YYYY-MM")
    new.add_argument("--id", help="(seed) the record's id (default: site, date, headline)")
    new.add_argument("--dir", metavar="DIR", help="briefs folder (default: BRIEFBOT_BRIEFS_DIR)")
    new.add_argument("--seeds", metavar="DIR", help="seed records folder (default: the seeds/ "
                     "beside the briefs folder, or BRIEFBOT_SEEDS_DIR)")
    new.set_defaults(func=cmd_new)
    imp = sub.add_parser("impact", help="what a change to the briefs does to readers' answers")
    imp.add_argument("before", metavar="BEFORE_DIR", help="the briefs as readers get them now")
    imp.add_argument("after", metavar="AFTER_DIR", nargs="?",
                     help="the briefs as they will be (default: the briefs folder)")
    imp.add_argument("--questions", metavar="FILE", help="more questions, one a line")
    imp.add_argument("--no-log", action="store_true", help="leave the usage log out")
    imp.add_argument("--limit", type=int, default=MAX_LOG_QUESTIONS,
                     help="logged questions replayed, most asked first (default %(default)s)")
    imp.add_argument("--json", action="store_true", help="the changes as JSON")
    imp.set_defaults(func=cmd_impact)
