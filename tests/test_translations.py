"""Briefs in Russian and Kazakh: loading, indexing, and validate's figure check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.cli import main
from bot.matching import Matcher
from bot.topic import read_topic
from tests.conftest import FIXTURE_BRIEFS


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_every_fixture_brief_has_russian_and_kazakh() -> None:
    """Translations are optional for editors; the fixture library has them all, which the
    language tests rely on."""
    result = load_briefs(FIXTURE_BRIEFS)
    assert not result.errors
    for brief in result.briefs:
        assert [lang for lang, _ in brief.translations] == ["ru", "kk"], brief.id
        kk = brief.translation("kk")
        assert kk is not None and re.search("[әғқңөұүһі]", kk.body), brief.id


def test_a_translation_whose_figure_differs_fails_validate(
        briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = briefs_dir / "trade-investment.yaml"
    text = path.read_text("utf-8")
    ru = text[text.index("\nru:\n"):text.index("\nkk:\n")]
    assert "37,2" in ru
    path.write_text(text.replace(ru, ru.replace("37,2", "38,2")), "utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    out = capsys.readouterr().out
    # named as read, one line for both fields that state it, each shown as written
    assert re.search(r"trade-investment\.yaml:\d+: 2 places state '38\.2%', which is not in "
                     r"the English: ru\.summary: .*▸38,2 %◂.*; ru\.body: .*▸38,2 %◂", out), out
    assert re.search(r"trade-investment\.yaml:\d+: 2 translations lack '37\.2%' of the "
                     r"English: ru\.summary \(the English summary: .*▸37\.2 percent◂", out), out


def test_a_translation_missing_a_field_is_reported_with_its_line(
        briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = briefs_dir / "csto-sco.yaml"
    text = path.read_text("utf-8")
    kk = text[text.index("\nkk:\n"):]
    title = re.search(r"\n  title: .*", kk)
    assert title is not None
    path.write_text(text.replace(kk, kk.replace(title.group(0), "", 1)), "utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    out = capsys.readouterr().out
    line = text[: text.index("\nkk:\n")].count("\n") + 2
    assert f"csto-sco.yaml:{line}: kk.title: must be a non-empty text" in out


def test_unknown_translation_fields_and_languages_are_reported(
        briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _replace_in(briefs_dir / "csto-sco.yaml", "\nru:\n", "\nde:\n  title: Kasachstan\nru:\n"
                "  tagline: extra\n")
    assert main(["validate", str(briefs_dir)]) == 1
    out = capsys.readouterr().out
    assert "csto-sco.yaml" in out and "de: unknown field" in out
    assert "ru.tagline: unknown field" in out


def test_the_translations_join_the_index() -> None:
    briefs = load_briefs(FIXTURE_BRIEFS).briefs
    stripped = [type(b)(**{**b.__dict__, "translations": ()}) for b in briefs]
    question = "Қазақстан өз аумақтық тұтастығын сақтауға қатысты алаңдаушылықтар"
    topic = read_topic(FIXTURE_BRIEFS)[0]
    with_text = Matcher(briefs, topic=topic).match(question)
    without = Matcher(stripped, topic=topic).match(question)
    assert with_text.ranked and without.ranked
    assert with_text.ranked[0].score > without.ranked[0].score
