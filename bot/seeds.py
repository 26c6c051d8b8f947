"""Seed records: one per source article, its facts in our own words, read and validated from
the seeds folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from .briefs import MONTH_PATTERN, BriefError, brief_files
from .figures import extract_figures, provided
from .locate import Locator
from .reasons import date_problem, unknown_field
from .safeyaml import duplicate_keys

SEED_FIELDS = ("id", "title", "publisher", "url", "published", "facts")
SEED_OPTIONAL = ("author", "dateline", "capture")
MAX_SEED_BYTES = 256_000
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
        return _record_keys(self)


@lru_cache(maxsize=1024)  # once a record: every brief that cites it asks
def _record_keys(record: SeedRecord) -> frozenset[str]:
    keys = set(provided([record.title, record.dateline, record.published]))
    for fact in record.facts:
        years = {f.key for f in extract_figures(fact) if f.key.startswith("year:")}
        year = int(years.pop()[5:]) if len(years) == 1 else int(record.published[:4])
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
