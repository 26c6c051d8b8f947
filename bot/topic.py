"""The subject the bot covers, as editors write it in `briefs/_topic.yaml`: its name and
scope in each language, example questions, the words that mean the subject itself, the names
of its people, places and organizations, abbreviations readers type, and cross-language terms
(a Russian or Kazakh word, or an English paraphrase, next to the English word the briefs use).

The code knows no subject of its own: everything here comes from the file, validated like a
brief (problems name file, line and field) and re-read when it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .briefs import BriefError
from .i18n import DEFAULT, LANGUAGES
from .locate import Locator
from .safeyaml import UnsafeYAML, load_yaml, read_capped
from .text import normalize

TOPIC_FILE = "_topic.yaml"
FIELDS = ("name", "scope", "examples", "subject_words", "names", "abbreviations", "terms")
MAX_WORDS = 5_000  # entries in one list or table: a topic, not a dictionary
MAX_TEXT = 300  # characters of a name, scope line or example


@dataclass(frozen=True, eq=False)
class Topic:
    """One reading of the topic file (compared by identity: caches key on it)."""

    name: dict[str, str] = field(default_factory=dict)  # language -> "US–Kazakhstan relations"
    scope: dict[str, str] = field(default_factory=dict)  # language -> one line of what it covers
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> questions
    subject_words: frozenset[str] = frozenset()  # normalized words that mean the subject
    names: frozenset[str] = frozenset()  # normalized names of people, places, organizations
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kz -> (words,)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # english -> other forms
    path: Path | None = None

    def text(self, table: dict[str, str], lang: str) -> str:
        """A per-language entry in `lang`, else English, else empty."""
        return table.get(lang) or table.get(DEFAULT, "")

    def example(self, lang: str = DEFAULT, index: int = 0) -> str:
        """An example question in `lang` (English when that language has none)."""
        found = self.examples.get(lang) or self.examples.get(DEFAULT) or ()
        return found[index % len(found)] if found else ""

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every word the file names (subject words, names, abbreviations, terms): what the
        code and the interface catalogs must not spell out themselves."""
        words = set(self.subject_words) | set(self.names) | set(self.abbreviations)
        for forms in self.abbreviations.values():
            words.update(forms)
        for english, forms in self.terms.items():
            words.add(english)
            words.update(forms)
        return frozenset(words)


EMPTY_TOPIC = Topic()


def _norm(word: str) -> str:
    return normalize(word)


class _Reader:
    """Checks one parsed topic file, collecting problems with their lines."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.where = path, Locator(text)
        self.problems: list[BriefError] = []

    def add(self, key: str, reason: str) -> None:
        line = self.where.line(key) or self.where.line(key.split(".")[0].split("[")[0])
        self.problems.append(BriefError(self.path, line, key, reason))

    def by_language(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.add(key, "must map a language (en, ru, kk) to text")
            return {}
        for lang in value:
            if lang not in LANGUAGES:
                self.add(f"{key}.{lang}", f"unknown language {lang!r}; use en, ru or kk")
        return {k: v for k, v in value.items() if k in LANGUAGES}

    def texts(self, data: dict[str, Any], key: str) -> dict[str, str]:
        out = {}
        for lang, text in self.by_language(data, key).items():
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
                self.add(f"{key}.{lang}", f"must be text of 1-{MAX_TEXT} characters")
            else:
                out[lang] = " ".join(text.split())
        return out

    def questions(self, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        out = {}
        for lang, items in self.by_language(data, "examples").items():
            if not isinstance(items, list) or not items or not all(
                    isinstance(q, str) and q.strip() and len(q) <= MAX_TEXT for q in items):
                self.add(f"examples.{lang}", "must list example questions (text)")
            else:
                out[lang] = tuple(" ".join(q.split()) for q in items)
        return out

    def words(self, data: dict[str, Any], key: str) -> frozenset[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_WORDS:
            self.add(key, f"must be a list of words (at most {MAX_WORDS})")
            return frozenset()
        found: set[str] = set()
        for i, word in enumerate(value):
            if not isinstance(word, str | int) or not _norm(str(word)):
                self.add(f"{key}[{i}]", f"must be a word, got {word!r}")
            elif _norm(str(word)) in found:
                self.add(f"{key}[{i}]", f"{word!r} is listed twice")
            else:
                found.add(_norm(str(word)))
        return frozenset(found)

    def table(self, data: dict[str, Any], key: str) -> dict[str, tuple[str, ...]]:
        value = data.get(key, {})
        if not isinstance(value, dict) or len(value) > MAX_WORDS:
            self.add(key, f"must map a word to a list of words (at most {MAX_WORDS})")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for head, forms in value.items():
            items = [forms] if isinstance(forms, str) else forms
            if not _norm(str(head)) or not isinstance(items, list) or not items or not all(
                    isinstance(f, str | int) and _norm(str(f)) for f in items):
                self.add(f"{key}.{head}", "must be a word with a list of words")
                continue
            out[_norm(str(head))] = tuple(dict.fromkeys(_norm(str(f)) for f in items))
        return out


def parse_topic(path: Path, text: str) -> tuple[Topic | None, list[BriefError]]:
    """A topic from the file's text, or None and the problems found."""
    try:
        data, _lines = load_yaml(text)
    except UnsafeYAML as exc:
        return None, [BriefError(path, line, None, reason) for line, reason in exc.problems]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [BriefError(path, 1, None,
                                 "must be a mapping of fields (see docs/editors.md)")]
    reader = _Reader(path, text)
    for key in data:
        if key not in FIELDS:
            reader.add(str(key), f"unknown field; the topic file has {', '.join(FIELDS)}")
    topic = Topic(reader.texts(data, "name"), reader.texts(data, "scope"),
                  reader.questions(data), reader.words(data, "subject_words"),
                  reader.words(data, "names"), reader.table(data, "abbreviations"),
                  reader.table(data, "terms"), path)
    return (None, reader.problems) if reader.problems else (topic, [])


def read_topic(folder: Path) -> tuple[Topic, list[BriefError]]:
    """The folder's topic file; the empty topic when there is none or it has problems (the
    problems are returned, one per line)."""
    path = folder / TOPIC_FILE
    if not path.is_file():
        return EMPTY_TOPIC, []
    try:
        text = read_capped(path)
    except UnsafeYAML as exc:
        return EMPTY_TOPIC, [BriefError(path, line, None, reason) for line, reason in exc.problems]
    except (OSError, UnicodeDecodeError) as exc:
        return EMPTY_TOPIC, [BriefError(path, None, None, f"cannot read file: {exc}")]
    topic, problems = parse_topic(path, text)
    return topic or EMPTY_TOPIC, problems
