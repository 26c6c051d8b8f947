"""Brief model and YAML loading; validation problems name file, line, field and reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .pacing import Pause, no_pause, paced
from .reasons import date_problem, unknown_field
from .safeyaml import UnsafeYAML, load_yaml_with_duplicates, read_capped

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BRIEF_SUFFIXES = (".yaml", ".yml")
REQUIRED_FIELDS = ("id", "title", "date", "keywords", "summary", "body", "sources")
LANGUAGES = ("ru", "kk")  # translations a brief may carry, besides its English text
OPTIONAL_FIELDS = ("tags", "related", "examples", *LANGUAGES)
TRANSLATED_FIELDS = ("title", "summary", "body")
TRANSLATED_BODY_WORDS = (50, 320)  # Russian and Kazakh run shorter or longer than English
SOURCE_FIELDS = ("title", "publisher", "url", "published")
BODY_WORDS = (80, 250)
MAX_ID = 60  # ids travel in 64-byte callback data
MAX_TAG = 60  # tags too: a tag button's data is "s:<tag>"
MAX_TITLE = 200
MAX_SUMMARY = 600
MAX_EXAMPLES = 30  # example questions a brief may list
MAX_EXAMPLE = 300  # characters in one example question


@dataclass(frozen=True)
class BriefError:
    """One problem in one brief file: where it is and what is wrong. Problems with the same
    `cause` are reported as one line per file (`shared`: one line for every file), each
    adding its `detail`; a `warning` is reported but does not fail validation."""

    path: Path
    line: int | None
    field: str | None
    reason: str
    cause: str = ""
    detail: str = ""
    shared: bool = False
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(frozen=True)
class Source:
    """An article a brief is derived from."""

    title: str
    publisher: str
    url: str
    published: str  # ISO date, or YYYY-MM when the source gives only a month


@dataclass(frozen=True)
class Translation:
    """A brief's title, summary and body in another language."""

    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class Brief:
    """One hand-written brief."""

    id: str
    title: str
    date: dt.date
    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    summary: str
    body: str
    sources: tuple[Source, ...]
    related: tuple[str, ...] = ()
    path: Path | None = None
    digest: str = ""
    examples: tuple[str, ...] = ()  # questions this brief answers, in any language
    example_lines: tuple[int, ...] = ()  # the YAML line of each example (0: unknown)
    translations: tuple[tuple[str, Translation], ...] = ()  # (language, text), e.g. ("ru", …)
    related_lines: tuple[int, ...] = ()  # the YAML line of each related id (0: unknown)

    def translation(self, language: str) -> Translation | None:
        """The brief in this language ("ru", "kk"), if it has one."""
        return dict(self.translations).get(language)

    def __hash__(self) -> int:
        """Cheap (indexes look briefs up on every reload): equal briefs share id, title and
        file digest; equality still compares every field."""
        return hash((self.id, self.title, self.digest))


@dataclass(frozen=True)
class LoadResult:
    """The good briefs of a folder (sorted by id) and every problem found."""

    briefs: tuple[Brief, ...]
    errors: tuple[BriefError, ...]

    def by_id(self) -> dict[str, Brief]:
        """Map brief id to brief."""
        return {b.id: b for b in self.briefs}


class _Problems:
    """Collects problems for one file, remembering the YAML line of each top-level key."""

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.path = path
        self.lines = lines
        self.items: list[BriefError] = []

    def add(self, field: str | None, reason: str, line: int | None = None) -> None:
        top = field.split(".")[0].split("[")[0] if field else None
        self.items.append(
            BriefError(self.path, line or (self.lines.get(top) if top else None), field, reason)
        )


def _parse_yaml(text: str) -> tuple[Any, dict[str, int], list[tuple[int | None, str]]]:
    """Parse YAML once, within safeyaml's caps: the data, the line of each top-level key
    and of each item of a top-level list, and the duplicate keys (reported with the rest)."""
    return load_yaml_with_duplicates(text)


def _examples(data: dict[str, Any], problems: _Problems) -> tuple[str, ...]:
    examples = _string_list(data, "examples", problems)
    if len(examples) > MAX_EXAMPLES:
        problems.add("examples", f"lists {len(examples)} questions; at most {MAX_EXAMPLES}")
    for i, example in enumerate(examples):
        if len(example) > MAX_EXAMPLE:
            problems.add(f"examples[{i}]", f"is {len(example)} characters long; "
                         f"at most {MAX_EXAMPLE}", line=problems.lines.get(f"examples[{i}]"))
    return examples


def _translations(data: dict[str, Any], problems: _Problems,
                  draft: bool = False) -> tuple[tuple[str, Translation], ...]:
    """The `ru:` and `kk:` blocks: each a mapping of title, summary and body (`draft`: kept
    with their problems too)."""
    found = []
    for lang in LANGUAGES:
        block = data.get(lang)
        if block is None:
            continue
        if not isinstance(block, dict):
            problems.add(lang, "must be a mapping of title, summary and body")
            continue
        for key in sorted(set(map(str, block)) - set(TRANSLATED_FIELDS)):
            problems.add(f"{lang}.{key}", unknown_field(key, TRANSLATED_FIELDS))
        before = len(problems.items)
        title = _text(block, "title", problems, MAX_TITLE, prefix=lang)
        summary = _text(block, "summary", problems, MAX_SUMMARY, prefix=lang)
        body = _text(block, "body", problems, 20_000, prefix=lang)
        words = len(body.split())
        low, high = TRANSLATED_BODY_WORDS
        if body and not low <= words <= high:
            problems.add(f"{lang}.body", f"has {words} words; write {low}-{high}")
        if len(problems.items) == before or draft:
            found.append((lang, Translation(title, summary, body)))
    return tuple(found)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_published(value: Any) -> str | None:
    """A source date: a full ISO date, or a year and month when that is all that is known."""
    full = _as_date(value)
    if full is not None:
        return full.isoformat()
    if isinstance(value, str) and MONTH_PATTERN.match(value.strip()):
        return value.strip()
    return None


def _text(data: dict[str, Any], key: str, problems: _Problems, limit: int,
          prefix: str = "") -> str:
    name = f"{prefix}.{key}" if prefix else key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(name, "must be a non-empty text")
        return ""
    value = value.strip()
    if len(value) > limit:
        problems.add(name, f"is {len(value)} characters long; at most {limit}")
    return value


def _string_list(data: dict[str, Any], key: str, problems: _Problems) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and str(v).strip() for v in value
    ):
        problems.add(key, "must be a list of non-empty texts")
        return ()
    return tuple(str(v).strip() for v in value)


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def _sources(data: dict[str, Any], problems: _Problems) -> tuple[Source, ...]:
    raw = data.get("sources")
    if not isinstance(raw, list) or not raw:
        problems.add("sources", "must be a list with at least one source")
        return ()
    sources = []
    for i, item in enumerate(raw):
        name = f"sources[{i}]"
        if not isinstance(item, dict):
            problems.add(name, "must be a mapping with title, publisher, url, published")
            continue
        for key in sorted(set(map(str, item)) - set(SOURCE_FIELDS)):
            problems.add(f"{name}.{key}", unknown_field(key, SOURCE_FIELDS))
        fields = {k: item.get(k) for k in SOURCE_FIELDS}
        bad = [k for k in ("title", "publisher", "url") if not isinstance(fields[k], str)
               or not str(fields[k]).strip()]
        for key in bad:
            problems.add(f"{name}.{key}", "missing or empty")
        url = str(fields["url"] or "").strip()
        if "url" not in bad and not _valid_url(url):
            problems.add(f"{name}.url", f"must be an http(s) URL, got {url!r}")
        published = _as_published(fields["published"])
        if published is None:
            problems.add(f"{name}.published", date_problem(
                fields["published"], "an ISO date (YYYY-MM-DD or YYYY-MM)"))
        if not bad and published is not None and _valid_url(url):
            sources.append(Source(str(fields["title"]).strip(),
                                  str(fields["publisher"]).strip(), url, published))
    return tuple(sources)


def _check_fields(data: dict[str, Any], path: Path, problems: _Problems) -> None:
    for key in sorted(set(map(str, data)) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)):
        problems.add(key, unknown_field(key, (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)))
    for key in REQUIRED_FIELDS:
        if key not in data:
            problems.add(key, "missing", line=1)
    brief_id = data.get("id")
    if "id" in data:
        if not isinstance(brief_id, str) or not ID_PATTERN.match(brief_id):
            problems.add("id", f"must be lowercase a-z, 0-9 and '-', got {brief_id!r}")
        elif len(brief_id) > MAX_ID:
            problems.add("id", f"is {len(brief_id)} characters long; at most {MAX_ID}")
        elif brief_id != path.stem:
            problems.add("id", f"{brief_id!r} must equal the file name {path.stem!r}")


def parse_brief(path: Path, text: str,
                draft: bool = False) -> tuple[Brief | None, list[BriefError]]:
    """Parse and validate one brief's YAML text; return the brief (if valid) and problems.

    `draft` (for `briefbot validate`): return the brief as far as it reads even when it has
    problems (a bad date read as `date.min`), so that the checks that do not need the broken
    parts still run."""
    try:
        data, lines, duplicates = _parse_yaml(text)
    except UnsafeYAML as exc:
        return None, [BriefError(path, line, None, reason) for line, reason in exc.problems]
    problems = _Problems(path, lines)
    for line, reason in duplicates:
        problems.add(None, reason, line=line)
    if not isinstance(data, dict):
        problems.add(None, "must be a YAML mapping of fields (id, title, ...)", line=1)
        return None, problems.items
    _check_fields(data, path, problems)
    title = _text(data, "title", problems, MAX_TITLE) if "title" in data else ""
    summary = _text(data, "summary", problems, MAX_SUMMARY) if "summary" in data else ""
    body = _text(data, "body", problems, 20_000) if "body" in data else ""
    words = len(body.split())
    if body and not BODY_WORDS[0] <= words <= BODY_WORDS[1]:
        problems.add("body", f"has {words} words; write {BODY_WORDS[0]}-{BODY_WORDS[1]}")
    date = _as_date(data.get("date"))
    if "date" in data and date is None:
        problems.add("date", "is empty: write the day of the events (YYYY-MM-DD), a day a "
                     "cited seed record gives" if data.get("date") in ("", None)
                     else date_problem(data.get("date")))
    tags = _string_list(data, "tags", problems)
    for tag in tags:
        if not ID_PATTERN.match(tag):
            problems.add("tags", f"tag {tag!r} must be lowercase a-z, 0-9 and '-'")
        elif len(tag) > MAX_TAG:
            problems.add("tags", f"tag {tag[:20]!r}… is {len(tag)} characters long; at most "
                         f"{MAX_TAG} (tags travel in Telegram's 64-byte button data)")
    keywords = _string_list(data, "keywords", problems) if "keywords" in data else ()
    if "keywords" in data and not keywords:
        problems.add("keywords", "must list at least one keyword")
    related = _string_list(data, "related", problems)
    examples = _examples(data, problems)
    translations = _translations(data, problems, draft)
    sources = _sources(data, problems) if "sources" in data else ()
    if (problems.items or date is None) and not draft:
        return None, problems.items
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    brief_id = data["id"] if isinstance(data.get("id"), str) else path.stem
    brief = Brief(brief_id, title, date or dt.date.min, tags, keywords, summary, body, sources,
                  related, path, digest, examples,
                  tuple(lines.get(f"examples[{i}]", 0) for i in range(len(examples))),
                  translations,
                  tuple(lines.get(f"related[{i}]", lines.get("related", 0))
                        for i in range(len(related))))
    return brief, problems.items


def brief_signatures(folder: Path, pause: Pause = no_pause) -> dict[str, tuple[int, int, int]]:
    """Brief file name -> (mtime_ns, size, inode), from one directory read (hidden, `_` and
    editor temp files skipped). Cheap enough to run every few seconds on a folder of
    thousands. Compared for inequality only: a file replaced by an older copy, or renamed
    into place with the same time and size, still differs."""
    found = {}
    with os.scandir(folder) as entries:
        for entry in paced(entries, pause):
            if not entry.name.endswith(BRIEF_SUFFIXES) or entry.name.startswith((".", "_", "~")):
                continue
            try:
                if not entry.is_dir():  # a FIFO or device is listed, and refused when read
                    st = entry.stat()
                    found[entry.name] = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                continue  # removed between listing and stat
    return found


def brief_files(folder: Path) -> list[Path]:
    """Brief files in a folder, sorted by name."""
    return [folder / name for name in sorted(brief_signatures(folder))]


def read_brief_file(path: Path) -> tuple[Brief | None, list[BriefError]]:
    """Read and parse one file; unreadable, oversized or non-UTF-8 files become problems."""
    try:
        text = read_capped(path, within=path.parent)
    except UnsafeYAML as exc:
        return None, [BriefError(path, line, None, reason) for line, reason in exc.problems]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [BriefError(path, None, None, f"cannot read file: {exc}")]
    return parse_brief(path, text)


def check_collection(briefs: Iterable[Brief], broken: Iterable[str] = (),
                     ) -> tuple[tuple[Brief, ...], list[BriefError]]:
    """Cross-file checks: duplicate ids are dropped, unknown `related` ids are removed
    (`broken`: ids of brief files that exist but do not pass, named as such)."""
    broken = set(broken)
    seen: dict[str, Brief] = {}
    errors: list[BriefError] = []
    for brief in briefs:
        if brief.id in seen:
            errors.append(BriefError(brief.path or Path("?"), None, "id",
                                     f"duplicate id {brief.id!r} (also in {seen[brief.id].path})"))
            continue
        seen[brief.id] = brief
    kept = []
    for brief in seen.values():
        missing = [r for r in brief.related if r not in seen or r == brief.id]
        for rid in missing:
            i = brief.related.index(rid)
            line = brief.related_lines[i] if i < len(brief.related_lines) else 0
            reason = ("names the brief itself" if rid == brief.id else
                      f"names {rid!r}, which is broken (see {rid}.yaml): left out until it "
                      "is fixed" if rid in broken else
                      f"names {rid!r}, which is not a brief (yet): left out until it is")
            errors.append(BriefError(brief.path or Path("?"), line or None, "related", reason,
                                     warning=True))
        if missing:
            keep = [i for i, r in enumerate(brief.related) if r not in missing]
            brief = replace(brief, related=tuple(brief.related[i] for i in keep),
                            related_lines=tuple(brief.related_lines[i] for i in keep
                                                if i < len(brief.related_lines)))
        kept.append(brief)
    return tuple(sorted(kept, key=lambda b: b.id)), errors


def load_briefs(folder: Path) -> LoadResult:
    """Load every brief in a folder; never raises for a bad file, returns problems instead.

    Raises:
        FileNotFoundError / NotADirectoryError: when the folder itself is missing.
    """
    if not folder.exists():
        raise FileNotFoundError(f"briefs folder not found: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder: {folder}")
    good: list[Brief] = []
    errors: list[BriefError] = []
    broken = []
    for path in brief_files(folder):
        brief, problems = read_brief_file(path)
        errors.extend(problems)
        if brief is not None:
            good.append(brief)
        else:
            broken.append(path.stem)
    briefs, cross = check_collection(good, broken)
    return LoadResult(briefs, tuple(errors + cross))
