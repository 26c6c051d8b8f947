"""Seed records (one per source article, its facts in our own words) and the check that a
brief cites only recorded sources and states only figures and dates those records give."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from .briefs import MONTH_PATTERN, Brief, BriefError, brief_files
from .figures import Figure, describe, extract_figures, in_context, provided
from .locate import Locator
from .ownwords import check_brief_words, check_facts, read_capture
from .reasons import date_problem, unknown_field
from .safeyaml import duplicate_keys

SEED_FIELDS = ("id", "title", "publisher", "url", "published", "facts")
SEED_OPTIONAL = ("author", "dateline", "capture")
MAX_SEED_BYTES = 256_000
# The parts of a brief whose figures must come from its sources. Translations add theirs here
# ("ru.title", "kk.body", ...): check_text takes any text.
TEXT_FIELDS = ("title", "summary", "body")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _TextDates(yaml.SafeLoader):
    """Safe loader that keeps dates as written."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp",
                           lambda loader, node: str(node.value))


@dataclass(frozen=True)
class SeedRecord:
    """What one source article says, in our own words."""

    id: str
    title: str
    publisher: str
    url: str
    published: str
    facts: tuple[str, ...]
    dateline: str = ""
    capture: str = ""  # the article's text as saved by the editor (a path from seeds/)
    path: Path | None = None  # the record's file

    def keys(self) -> frozenset[str]:
        """Every figure key this record vouches for. A fact's day written without a year
        ('Feb. 28') is read in the one year that fact names, else in the year published."""
        keys = set(provided([self.title, self.dateline, self.published]))
        for fact in self.facts:
            years = {f.key for f in extract_figures(fact) if f.key.startswith("year:")}
            year = int(years.pop()[5:]) if len(years) == 1 else int(self.published[:4])
            keys |= provided([fact], year)
        return frozenset(keys)


def real_day(text: str) -> bool:
    """YYYY-MM-DD, and a day the calendar has."""
    if not _ISO_DAY.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def url_key(url: str) -> str:
    """A URL as compared with a record's: host case, fragment and a final '/' do not count."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, ""))


def _record(path: Path, data: Any, where: Locator) -> tuple[SeedRecord | None, list[BriefError]]:
    """Validate one record's data; problems name the record's file and line."""
    def problem(field: str, reason: str) -> BriefError:
        return BriefError(path, where.line(field) or 1, field, reason)

    if not isinstance(data, dict):
        return None, [BriefError(path, 1, None, "must be a YAML mapping of fields (id, url, ...)")]
    errors = [problem(k, unknown_field(k, (*SEED_FIELDS, *SEED_OPTIONAL)))
              for k in sorted(set(map(str, data)) - set(SEED_FIELDS) - set(SEED_OPTIONAL))]
    for key in ("id", "title", "publisher", "url", "published", *SEED_OPTIONAL):
        value = data.get(key, "")
        if not isinstance(value, str) or (key in SEED_FIELDS and not value.strip()):
            reason = "missing" if key not in data else "must be a non-empty text"
            errors.append(problem(key, reason))
    facts = data.get("facts")
    errors += _facts_problems(facts, path, where)
    # each field checked whatever the others hold: one pass shows every problem
    if isinstance(data.get("id"), str) and data["id"].strip() and data["id"] != path.stem:
        errors.append(problem("id", f"{data['id']!r} must equal the file name {path.stem!r}"))
    url = data.get("url")
    if isinstance(url, str) and url.strip() and urlsplit(url).scheme not in ("http", "https"):
        errors.append(problem("url", f"must be an http(s) URL, got {url!r}"))
    published = str(data.get("published") or "").strip()
    if isinstance(data.get("published"), str) and published and not (
            real_day(published) or MONTH_PATTERN.match(published)):
        errors.append(problem("published", date_problem(
            published, "an ISO date (YYYY-MM-DD or YYYY-MM)")))
    if errors:
        return None, errors
    return SeedRecord(data["id"].strip(), data["title"].strip(), data["publisher"].strip(),
                      data["url"].strip(), published, tuple(f.strip() for f in facts or ()),
                      str(data.get("dateline", "")).strip(),
                      str(data.get("capture", "")).strip(), path), []


def _facts_problems(facts: Any, path: Path, where: Locator) -> list[BriefError]:
    """Why `facts:` is refused, at the item's own line: a fact with ': ' in it became a
    mapping, an empty list, an empty item."""
    line = where.line("facts") or 1
    if facts is None or facts == []:
        return [BriefError(path, line, "facts", "is empty: list at least one fact, one a line "
                           "(every figure and date a brief may state)")]
    if not isinstance(facts, list):
        return [BriefError(path, line, "facts", "must be a list of facts, one a line "
                           "starting with '- '")]
    errors = []
    for n, fact in enumerate(facts, 1):
        at = where.line(f"facts[{n - 1}]") or line
        if isinstance(fact, dict):
            errors.append(BriefError(path, at, "facts", f"item {n} is a mapping — a colon "
                                     "followed by a space starts a key; quote the text"))
        elif not isinstance(fact, str) or not fact.strip():
            errors.append(BriefError(path, at, "facts", f"item {n} must be a non-empty text"))
    return errors


def read_seed_file(path: Path) -> tuple[SeedRecord | None, list[BriefError]]:
    """Read, parse and validate one seed record file."""
    try:
        if path.stat().st_size > MAX_SEED_BYTES:
            return None, [BriefError(path, None, None, f"larger than {MAX_SEED_BYTES} bytes")]
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_TextDates)
        node = yaml.compose(text, Loader=_TextDates)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [BriefError(path, None, None, f"cannot read file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [BriefError(path, mark.line + 1 if mark else None, None,
                                 f"YAML syntax error: {getattr(exc, 'problem', exc)}")]
    twice = [BriefError(path, line, None, reason)
             for line, reason in (duplicate_keys(node) if node is not None else [])]
    record, problems = _record(path, data, Locator(text))
    return (None if twice else record), twice + problems


def _declared_url(path: Path) -> str:
    """The URL a broken record names, when it names one."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return ""
    url = data.get("url") if isinstance(data, dict) else None
    return url.strip() if isinstance(url, str) else ""


def load_seeds(folder: Path) -> tuple[dict[str, SeedRecord], list[BriefError]]:
    """Every seed record in a folder by `url_key`, and the problems found.

    Raises:
        FileNotFoundError: when the folder is missing.
    """
    records, errors, _broken = read_seeds(folder)
    return records, errors


def read_seeds(folder: Path) -> tuple[dict[str, SeedRecord], list[BriefError], dict[str, Path]]:
    """As `load_seeds`, and the files of the records that did not pass, by the URL they
    name (a brief citing one is told which file to fix, not to write a record).

    Raises:
        FileNotFoundError: when the folder is missing.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"seeds folder not found: {folder}")
    broken: dict[str, Path] = {}
    records: dict[str, SeedRecord] = {}
    errors: list[BriefError] = []
    for path in brief_files(folder):
        record, problems = read_seed_file(path)
        errors += problems
        if record is None:
            url = _declared_url(path)
            if url:
                broken[url_key(url)] = path
            continue
        if url_key(record.url) in records:
            other = records[url_key(record.url)].id
            errors.append(BriefError(path, None, "url", f"same URL as the record {other!r}"))
            continue
        records[url_key(record.url)] = record
    return records, errors, broken


def check_text(field: str, text: str, keys: frozenset[str], cited: str,
               path: Path, where: Locator,
               lacking: dict[str, list[str]] | None = None) -> list[BriefError]:
    """A problem for each figure in `text` (any language) that no cited record gives: one
    for both ends of a range. The cause names the figure as read ('$5 billion'), so that one
    figure missing from the body and from its translations is one line; `lacking` (the
    translations lacking each English figure) adds that they lack it too."""
    errors = []
    for group in _by_span([f for f in extract_figures(text) if f.key not in keys]):
        f, label, verb = group[0], _labels(group), "is" if len(group) == 1 else "are"
        which = "which is" if len(group) == 1 else "which are"
        also = _lacking_too([f.key for f in group], lacking or {})
        context = in_context(text, f.start, f.end)
        errors.append(BriefError(
            path, where.line_of(field, text, f.start), field,
            f"{label} {verb} in none of the cited records ({cited}){also}: {context}",
            cause=f"places state {label}, {which} in none of the cited records ({cited}){also}",
            detail=f"{field}: {context}"))
    return errors


def _by_span(figures: list[Figure]) -> list[list[Figure]]:
    """Figures grouped by the text they were read from: a range's two ends are one group."""
    groups: dict[tuple[int, int], list[Figure]] = {}
    for f in figures:
        groups.setdefault((f.start, f.end), []).append(f)
    return list(groups.values())


def _labels(group: list[Figure]) -> str:
    """'$5 billion', or both ends of one range: "'$4 billion' and '$5 billion' (one range)"."""
    if len(group) == 1:
        return repr(_label(group[0]))
    return " and ".join(repr(_label(f)) for f in group) + " (one range)"


def _lacking_too(keys: list[str], lacking: dict[str, list[str]]) -> str:
    """'; the translations lack it too' when translations lack these English figures."""
    langs = sorted({lang for key in keys for lang in lacking.get(key, [])})
    if not langs:
        return ""
    it = "it" if len(keys) == 1 else "them"
    if langs == sorted(set().union(*lacking.values())) and len(langs) > 1:
        return f"; the translations lack {it} too"
    return f"; the {' and '.join(langs)} translation{'s' if len(langs) > 1 else ''} " \
           f"lack{'' if len(langs) > 1 else 's'} {it} too"


def _lacking(brief: Brief) -> dict[str, list[str]]:
    """For each figure of the English fields, the translations that lack it."""
    out: dict[str, list[str]] = {}
    for lang, translated in brief.translations:
        for field in TEXT_FIELDS:
            theirs = {f.key for f in extract_figures(getattr(translated, field))}
            for f in extract_figures(getattr(brief, field)):
                if f.key not in theirs and lang not in out.setdefault(f.key, []):
                    out[f.key].append(lang)
    return {key: langs for key, langs in out.items() if langs}


def _label(figure: Figure) -> str:
    """The figure as an editor reads it, the same in every language: '$5 billion'."""
    return figure.part or describe(figure.key)


def _citation(brief: Brief, i: int, record: SeedRecord, where: Locator) -> list[BriefError]:
    """A cited source must name the article as its record does."""
    source = brief.sources[i]
    path = brief.path or Path("?")
    errors = []
    for name in ("title", "publisher", "published"):
        given, recorded = getattr(source, name), getattr(record, name)
        if given != recorded:
            field = f"sources[{i}].{name}"
            errors.append(BriefError(path, where.line(field), field,
                                     f"{given!r} differs from its seed record: {recorded!r} "
                                     f"({record.id})"))
    return errors


def check_brief(brief: Brief, records: dict[str, SeedRecord], text: str = "",
                broken: frozenset[str] = frozenset(),
                broken_records: dict[str, Path] | None = None) -> list[BriefError]:
    """Every problem between one brief and the seed records (`text`: the brief's file).
    `broken`: fields with problems of their own ('sources', 'date'); the checks that need
    them are skipped, saying so. `broken_records`: files of records that did not pass, by
    URL."""
    path = brief.path or Path("?")
    where = Locator(text)
    if "sources" in broken:
        return [BriefError(path, where.line("sources"), None,
                           "figures and the date not checked against the seed records: fix "
                           "sources first to check them"), *check_translations(brief, where)]
    errors: list[BriefError] = []
    cited: list[SeedRecord] = []
    unrecorded = []
    waiting = False
    for i, source in enumerate(brief.sources):
        record = records.get(url_key(source.url))
        field = f"sources[{i}].url"
        bad_record = (broken_records or {}).get(url_key(source.url))
        if record is None and bad_record is not None:
            waiting = True  # its figures wait for the record: this line says so
            cause = (f"{source.url}: its seed record is broken (see {bad_record.name}); fix it "
                     "first to check this source's title, date and figures")
            errors.append(BriefError(path, where.line(field), field, cause, cause=cause,
                                     shared=True))
            continue
        if record is None:
            unrecorded.append(f"{field} has a seed record")
            cause = (f"{source.url} has no seed record (add one: briefbot new seed "
                     f"{source.url})")
            errors.append(BriefError(path, where.line(field), field,
                                     f"{source.url} has no seed record (add one to seeds/ with "
                                     "`briefbot new seed URL`, or cite a source that has one)",
                                     cause=cause, shared=True))
            continue
        cited.append(record)
        errors += _citation(brief, i, record, where)
    keys = frozenset().union(*(r.keys() for r in cited))
    names = ", ".join(r.id for r in cited) or "none of its sources has a seed record"
    figures: list[BriefError] = []
    if "date" not in broken and f"date:{brief.date.isoformat()}" not in keys:
        figures.append(BriefError(path, where.line("date"), "date",
                                  f"{brief.date.isoformat()} is a date none of the cited records "
                                  f"gives ({names})"))
    lacking = _lacking(brief)
    for field in TEXT_FIELDS:
        figures += check_text(field, getattr(brief, field), keys, names, path, where, lacking)
    for lang, translated in brief.translations:
        for field in TEXT_FIELDS:
            figures += check_text(f"{lang}.{field}", getattr(translated, field), keys, names,
                                  path, where, lacking)
    # English figures in none of the records: their line says the translations lack them
    told = frozenset(f.key for field in TEXT_FIELDS for f in extract_figures(getattr(brief, field))
                     if f.key not in keys)
    if waiting and not unrecorded:
        figures, told = [], frozenset()
    elif unrecorded and figures:  # they may well be in the record that is missing: one line
        first = min((e.line for e in figures if e.line), default=None)
        figures = [BriefError(path, first, None,
                              f"{len(figures)} figure(s) and date(s) not checked until "
                              f"{', '.join(unrecorded)}")]
        told = frozenset()
    return errors + figures + check_translations(brief, where, told)


def check_translations(brief: Brief, where: Locator,
                       told: frozenset[str] = frozenset()) -> list[BriefError]:
    """A translation states the same figures as the English, field by field: a problem for
    each figure of one that the other lacks (one for both ends of a range), at the line of
    the figure (in the English for one the translation lacks). `told`: English figures
    already reported as in none of the records, whose line says the translations lack them."""
    path = brief.path or Path("?")
    errors = []
    for lang, translated in brief.translations:
        for field in TEXT_FIELDS:
            text, theirs_text = getattr(brief, field), getattr(translated, field)
            english, other = extract_figures(text), extract_figures(theirs_text)
            name = f"{lang}.{field}"
            theirs = {f.key for f in other}
            for group in _by_span([f for f in english
                                   if f.key not in theirs and f.key not in told]):
                f, label = group[0], _labels(group)
                context = in_context(text, f.start, f.end)
                errors.append(BriefError(
                    path, where.line_of(field, text, f.start), name,
                    f"{label} of the English {field} "
                    f"{'is' if len(group) == 1 else 'are'} missing here; the English "
                    f"says: {context}",
                    cause=f"translations lack {label} of the English",
                    detail=f"{name} (the English {field}: {context})"))
            ours = {f.key for f in english}
            for group in _by_span([f for f in other if f.key not in ours]):
                f, label = group[0], _labels(group)
                context = in_context(theirs_text, f.start, f.end)
                which = "which is" if len(group) == 1 else "which are"
                errors.append(BriefError(
                    path, where.line_of(name, theirs_text, f.start), name,
                    f"{label} {'is' if len(group) == 1 else 'are'} not in the English "
                    f"{field}: {context}",
                    cause=f"places state {label}, {which} not in the English",
                    detail=f"{name}: {context}"))
    return errors


def check_briefs(briefs: Iterable[Brief], seeds_dir: Path,
                 broken: dict[Path, frozenset[str]] | None = None) -> list[BriefError]:
    """Seed record problems, then each brief's problems against the records (`broken`: for
    drafts of broken files, their fields too broken to check against).

    Raises:
        FileNotFoundError: when the seeds folder is missing.
    """
    records, errors, broken_records = read_seeds(seeds_dir)
    for brief in briefs:
        try:
            text = brief.path.read_text(encoding="utf-8") if brief.path else ""
        except (OSError, UnicodeDecodeError):
            text = ""
        errors += check_brief(brief, records, text,
                              (broken or {}).get(brief.path or Path("?"), frozenset()),
                              broken_records)
    return errors


@dataclass(frozen=True)
class OwnWords:
    """What the own-words check found: problems, captures compared, captures named but absent."""

    problems: list[BriefError]
    compared: int
    absent: list[str]


def capture_file(record: SeedRecord, seeds_dir: Path, captures_dir: Path | None = None) -> Path:
    """Where a record's capture is: its path from the seeds folder, or (with `captures_dir`,
    for captures kept elsewhere) that name in that folder."""
    own = seeds_dir / record.capture
    if captures_dir is None or own.is_file():
        return own
    named = captures_dir / record.capture
    return named if named.is_file() else captures_dir / Path(record.capture).name


def check_own_words(briefs: Iterable[Brief], seeds_dir: Path,
                    captures_dir: Path | None = None) -> OwnWords:
    """Every run of 8 words a brief shares with a capture of a record it cites, and every
    run a record's facts share with its own capture. Records without a capture, and captures
    not on this machine, are skipped (and named in `absent`).

    Raises:
        FileNotFoundError: when the seeds folder is missing.
    """
    records, _errors = load_seeds(seeds_dir)
    texts: dict[str, str] = {}
    absent = []
    problems: list[BriefError] = []
    for record in records.values():
        if not record.capture:
            continue
        article = read_capture(capture_file(record, seeds_dir, captures_dir))
        if article is None:
            absent.append(f"{record.id}: {record.capture}")
            continue
        texts[url_key(record.url)] = article
        if record.path is not None:
            problems += check_facts(record.path, record.facts, record.capture, article,
                                    _read(record.path))
    for brief in briefs:
        captures = [(records[url_key(s.url)].capture, texts[url_key(s.url)])
                    for s in brief.sources if url_key(s.url) in texts]
        if captures:
            problems += check_brief_words(brief, captures,
                                          _read(brief.path) if brief.path else "")
    return OwnWords(problems, len(texts), absent)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
