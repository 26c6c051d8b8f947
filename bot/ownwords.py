"""Own words: no run of 8 words of a brief (or of a seed record's facts) may be copied from a
source article. Seed records may name a capture, the article's text as the editor saved it
(`capture: captures/<file>.txt`, kept out of the repository); `briefbot validate` compares
every brief that cites the record, and the record's own facts, with it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .briefs import Brief, BriefError
from .locate import Locator
from .seeds import SeedRecord, load_seeds, url_key

SHINGLE = 8  # words in a row that make a copied passage
MAX_CAPTURE_BYTES = 2_000_000
_APOSTROPHES = re.compile(r"['’]")


def words(text: str) -> list[tuple[str, int, int]]:
    """Each word of `text` lowercased, with its start and end (apostrophes join a word:
    "Kazakhstan's" is one word)."""
    out = []
    for m in re.finditer(r"\w+(?:['’]\w+)*", text):
        out.append((_APOSTROPHES.sub("", m.group(0)).lower(), m.start(), m.end()))
    return out


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Every run of `size` words (case, punctuation and apostrophes ignored)."""
    ws = [w for w, _s, _e in words(text)]
    return {" ".join(ws[i:i + size]) for i in range(len(ws) - size + 1)}


def copied_runs(text: str, articles: Iterable[str], size: int = SHINGLE) -> set[str]:
    """The runs of `size` words of `text` that also occur in one of the articles (runs that
    are mostly a name or title, `names_a_thing`, left out)."""
    found: set[str] = set()
    ws = words(text)
    mine = {" ".join(w for w, _s, _e in ws[i:i + size]) for i in range(len(ws) - size + 1)
            if not names_a_thing(text, ws[i:i + size])}
    for article in articles:
        found |= mine & shingles(article, size)
    return found


@dataclass(frozen=True)
class Passage:
    """Words of a text found in an article: where they start and end in the text."""

    start: int
    end: int
    text: str


def names_a_thing(text: str, run: Sequence[tuple[str, int, int]]) -> bool:
    """A run whose words are at least half capitalized (in any script: 'Clay Neff, president
    of Chevron International Exploration and', 'First Deputy Foreign Minister Kairat Umarov
    and US') is a proper name or an official title, which has no other wording: not prose."""
    capitals = sum(text[start].isupper() for _w, start, _e in run)
    return 2 * capitals >= len(run)


def copied_passages(text: str, article_runs: set[str], size: int = SHINGLE) -> list[Passage]:
    """The passages of `text` (overlapping copied runs joined) that an article also has;
    runs that are mostly a name or title (`names_a_thing`) are not copied prose."""
    ws = words(text)
    hits = [i for i in range(len(ws) - size + 1)
            if " ".join(w for w, _s, _e in ws[i:i + size]) in article_runs
            and not names_a_thing(text, ws[i:i + size])]
    passages: list[Passage] = []
    for i in hits:
        start, end = ws[i][1], ws[i + size - 1][2]
        if passages and start <= passages[-1].end + 1:
            last = passages[-1]
            passages[-1] = Passage(last.start, end, text[last.start:end])
        else:
            passages.append(Passage(start, end, text[start:end]))
    return passages


def _problems(path: Path, field: str, text: str, article_runs: set[str], capture: str,
              where: Locator) -> list[BriefError]:
    cause = (f"passages copied from the article (capture {capture}); write them in our own "
             "words")
    return [BriefError(path, where.line_of(field, text, p.start), field,
                       f"{len(words(p.text))} words in a row are the article's (capture "
                       f"{capture}): “{' '.join(p.text.split())}”", cause=cause,
                       detail=f"“{' '.join(p.text.split())}”")
            for p in copied_passages(text, article_runs)]


def brief_texts(brief: Brief) -> list[tuple[str, str]]:
    """(field, text) of every part of a brief written in our own words (source titles are
    citations and may be quoted)."""
    texts = [(f, getattr(brief, f)) for f in ("title", "summary", "body")]
    texts += [(f"{lang}.{f}", getattr(tr, f)) for lang, tr in brief.translations
              for f in ("title", "summary", "body")]
    texts += [(f"examples[{i}]", e) for i, e in enumerate(brief.examples)]
    return texts


def read_capture(path: Path) -> str | None:
    """A capture's text, or None when it is not there (or unreadable, or too large)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_CAPTURE_BYTES:
            return None
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return None


def check_brief_words(brief: Brief, captures: Sequence[tuple[str, str]],
                      text: str = "") -> list[BriefError]:
    """A problem for each passage of 8 or more words the brief shares with a capture of a
    record it cites (`captures`: (name, article text))."""
    path = brief.path or Path(f"{brief.id}.yaml")
    where = Locator(text)
    errors = []
    for name, article in captures:
        runs = shingles(article)
        for field, value in brief_texts(brief):
            errors += _problems(path, field, value, runs, name, where)
    return errors


def check_facts(path: Path, facts: Sequence[str], name: str, article: str,
                text: str = "") -> list[BriefError]:
    """A problem for each passage of a seed record's facts copied from its own capture."""
    runs = shingles(article)
    where = Locator(text)
    errors = []
    for i, fact in enumerate(facts):
        errors += _problems(path, f"facts[{i}]", fact, runs, name, where)
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
