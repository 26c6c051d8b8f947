"""The topic file: parsed and validated like a brief, re-read when it changes, and the only
place the subject lives (no name or term of it in the code's strings or the catalogs)."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import replies
from bot.cli import main
from bot.i18n import LANGUAGES, LOCALE_DIR
from bot.lexicon import is_common_word
from bot.library import Library, load_library
from bot.reload import BriefWatcher
from bot.text import normalize
from bot.topic import EMPTY_TOPIC, TOPIC_FILE, parse_topic, read_topic
from tests.conftest import FIXTURE_BRIEFS, ROOT

TOPIC = read_topic(FIXTURE_BRIEFS)[0]


def test_the_shipped_topic_file_reads_cleanly() -> None:
    topic, problems = read_topic(FIXTURE_BRIEFS)
    assert problems == []
    assert set(topic.name) == set(LANGUAGES) and set(topic.scope) == set(LANGUAGES)
    assert topic.subject_words and topic.terms and topic.names


def _literal_words(path: Path) -> set[str]:
    """Words of a module's string literals; docstrings left out (they explain, and reach no
    reader), and regular expressions (they read currencies and dates: "US dollars")."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings and "(?:" not in node.value:
            found.update(normalize(node.value).split())
    return found


def _topic_words() -> set[str]:
    """The words that name the subject: its people, places and organizations, its subject
    words and abbreviations that are not common words of English or Russian ("between",
    "policy"), three letters or more ("us" is also a pronoun). The names of the languages
    the bot speaks are interface words ("Kazakh", "kaz" in /language)."""
    languages = {"english", "russian", "kazakh", "kaz", "казахский", "русский", "английский",
                 "қазақ", "қазақша", "орыс", "ағылшын"}
    words = set(TOPIC.names) | {w for w in (*TOPIC.subject_words, *TOPIC.abbreviations)
                                if not is_common_word(w)}
    return {w for w in words if len(w) >= 3} - languages


def test_no_name_of_the_topic_in_code_strings() -> None:
    words = _topic_words()
    found = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        hits = _literal_words(path) & words
        if hits:
            found[str(path.relative_to(ROOT))] = sorted(hits)
    assert found == {}


def test_no_name_of_the_topic_in_the_catalogs() -> None:
    words = _topic_words()
    found = {}
    for path in [LOCALE_DIR / "briefbot.pot", *sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))]:
        with path.open("rb") as po:
            catalog = read_po(po)
        for message in catalog:
            texts = [*(message.id if isinstance(message.id, tuple) else (message.id,)),
                     *(message.string if isinstance(message.string, tuple)
                       else (message.string,))]
            hits = {w for t in texts if t for w in normalize(t).split()} & words
            if hits:
                found.setdefault(path.name, set()).update(hits)
    assert found == {}


@pytest.mark.parametrize(("text", "where", "line"), [
    ("name: [a, b]\n", "name", 2),
    ("name:\n  de: Thema\n", "name.de", 3),
    ("scope:\n  en: ''\n", "scope.en", 3),
    ("subject_words:\n  - alpha\n  - Alpha\n", "subject_words[1]", 4),
    ("terms:\n  tungsten: {}\n", "terms.tungsten", 3),
    ("colour: red\n", "colour", 2),
    ("examples:\n  en: []\n", "examples.en", 3),
])
def test_a_bad_topic_file_names_the_field_and_line(tmp_path: Path, text: str,
                                                   where: str, line: int) -> None:
    topic, problems = parse_topic(tmp_path / TOPIC_FILE, "# topic\n" + text)
    assert topic is None and problems
    assert problems[0].field == where and problems[0].line == line, problems


def test_validate_reports_the_topic_file(briefs_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (briefs_dir / TOPIC_FILE).write_text("name:\n  en: [not, text]\n", "utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    assert f"{TOPIC_FILE}:2: name.en: must be text" in capsys.readouterr().out


def test_no_topic_file_is_an_empty_topic(tmp_path: Path) -> None:
    assert read_topic(tmp_path) == (EMPTY_TOPIC, [])
    library = Library(())
    assert "No briefs are published yet." in replies.welcome(library).messages[0]


def test_the_topic_is_reread_when_it_changes(briefs_dir: Path) -> None:
    watcher = BriefWatcher(briefs_dir)
    first = watcher.scan().library
    assert first is not None and first.topic.names
    assert first.match("What did Tungsten say about sanctions?").unknown
    path = briefs_dir / TOPIC_FILE
    text = path.read_text("utf-8").replace("names: [", "names: [\n  tungsten,")
    path.write_text(text.replace("  kk: АҚШ", "  kk: АҚШ", 1), "utf-8")
    os.utime(path, ns=(1, 1))
    changed = watcher.scan()
    assert changed.library is not None and "tungsten" in changed.library.topic.names
    path.write_text("name: [broken\n", "utf-8")  # a bad edit keeps the last good topic
    kept = watcher.scan()
    assert kept.library is not None and "tungsten" in kept.library.topic.names
    assert any(p.path == path for p in kept.problems)


def test_an_editor_adds_a_term_in_another_language(briefs_dir: Path) -> None:
    """«вольфрам» next to "tungsten": a Russian question meets an English keyword."""
    brief = (briefs_dir / "trade-investment.yaml")
    brief.write_text(brief.read_text("utf-8").replace("keywords:", "keywords:\n  - tungsten",
                                                      1), "utf-8")
    before = load_library(briefs_dir)[0].match("вольфрам")
    assert before.outcome == "none"
    path = briefs_dir / TOPIC_FILE
    path.write_text(path.read_text("utf-8") + "  tungsten: [вольфрам]\n", "utf-8")
    after = load_library(briefs_dir)[0].match("вольфрам")
    assert after.outcome == "answer" and after.best is not None
    assert after.best.brief.id == "trade-investment"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scope_says_how_many_briefs_and_which_period(lang: str) -> None:
    library = load_library(FIXTURE_BRIEFS)[0]
    start, end = (replies.month_year(d, lang) for d in library.period or ())
    for reply in (replies.welcome(library, lang=lang),
                  replies.help_reply("bot", 30, lang, library),
                  replies.overview(library, lang),
                  replies.answer(library, library.match("what happened in 2025 in mongolia"),
                                 lang=lang)):
        text = reply.messages[0]
        assert re.search(rf"\b{len(library.briefs)}\b", text), text
        assert f"{start} – {end}" in text, text
        assert TOPIC.text(TOPIC.name, lang) in text
