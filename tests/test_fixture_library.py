"""The frozen fixture library (tests/fixtures/) that every code test runs on, and the rule that
keeps code tests off the live `briefs/` and `seeds/` an editor changes."""

from __future__ import annotations

import re

import yaml

from bot.briefs import load_briefs
from tests.conftest import FIXTURE_BRIEFS, FIXTURE_SEEDS, ROOT

SHIPPED_IDS = {"meeting-2022-washington", "visit-2023-astana", "tokayev-reforms",
               "sanctions-spillover", "csto-sco", "trade-investment", "ukraine-war-response",
               "relations-history", "energy-partnership", "russia-kazakhstan",
               "sovereignty-support"}
# The only test modules that may name the live library: the content checks (and this rule).
CONTENT_CHECKS = {"test_content.py", "conftest.py", "test_fixture_library.py"}
LIVE = re.compile(r"""LIVE_(BRIEFS|SEEDS)|ROOT\s*/\s*["'](briefs|seeds)["']""")


def test_the_fixture_library_is_the_briefs_shipped_on_2026_12_06() -> None:
    result = load_briefs(FIXTURE_BRIEFS)
    assert result.errors == ()
    assert {b.id for b in result.briefs} == SHIPPED_IDS


def test_the_fixture_seed_records_cover_every_brief() -> None:
    records = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(FIXTURE_SEEDS.glob("*.yaml"))]
    assert len(records) == 2
    urls = {r["url"] for r in records}
    for record in records:
        assert {"id", "title", "publisher", "url", "published", "facts"} <= set(record)
        assert len(record["facts"]) >= 5
    briefs = load_briefs(FIXTURE_BRIEFS).briefs
    assert urls <= {s.url for b in briefs for s in b.sources}
    for brief in briefs:
        assert any(s.url in urls for s in brief.sources), brief.id


def test_the_fixture_keywords_cover_three_scripts() -> None:
    """The language tests lean on English, Russian and Kazakh keywords in every brief."""
    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    kazakh = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
    for brief in load_briefs(FIXTURE_BRIEFS).briefs:
        text = " ".join(brief.keywords)
        assert cyrillic.search(text) and kazakh.search(text), brief.id


def test_code_tests_never_read_the_live_library() -> None:
    """Only the content checks read `briefs/` and `seeds/`; an editor's change cannot fail a
    code test. (Use FIXTURE_BRIEFS / the briefs_dir fixture instead.)"""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name in CONTENT_CHECKS:
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if LIVE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_live_library_rule_catches_a_live_path() -> None:
    assert LIVE.search('matcher = Matcher(load_briefs(ROOT / "briefs").briefs)')
    assert LIVE.search("shutil.copytree(LIVE_SEEDS, tmp)")
    assert not LIVE.search('folder = tmp_path / "briefs"')
