"""The shipped briefs and seeds: valid, linked, cited, and written in our own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.briefs import load_briefs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "seeds"
REQUIRED = {"meeting-2022-washington", "visit-2023-astana", "tokayev-reforms",
            "sanctions-spillover", "csto-sco", "trade-investment", "ukraine-war-response",
            "relations-history", "energy-partnership", "russia-kazakhstan"}


def seeds() -> list[dict]:  # type: ignore[type-arg]
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.yaml"))]


def test_every_shipped_brief_is_valid() -> None:
    result = load_briefs(ROOT / "briefs")
    assert result.errors == ()
    assert {b.id for b in result.briefs} >= REQUIRED


def test_seed_records_have_required_fields() -> None:
    records = seeds()
    assert len(records) == 2
    for record in records:
        assert {"id", "title", "publisher", "url", "published", "facts"} <= set(record)
        assert record["url"].startswith("https://")
        assert len(record["facts"]) >= 5


def test_both_seed_articles_are_cited_and_every_brief_cites_a_seed_or_related_source() -> None:
    seed_urls = {r["url"] for r in seeds()}
    briefs = load_briefs(ROOT / "briefs").briefs
    cited = {s.url for b in briefs for s in b.sources}
    assert seed_urls <= cited
    for brief in briefs:
        assert any(s.url in seed_urls for s in brief.sources), brief.id


def test_related_ids_exist_and_keywords_cover_three_scripts() -> None:
    briefs = load_briefs(ROOT / "briefs").briefs
    ids = {b.id for b in briefs}
    cyrillic = re.compile(r"[а-яё]", re.IGNORECASE)
    kazakh = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
    for brief in briefs:
        assert set(brief.related) <= ids
        text = " ".join(brief.keywords)
        assert cyrillic.search(text), brief.id
        assert kazakh.search(text), brief.id


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def test_no_sentence_copied_from_the_articles() -> None:
    """No run of 12 words from a seed article appears in a brief's prose or a seed's facts
    (source headlines are citations and may be quoted)."""
    if not SHARED.is_dir():
        pytest.skip(f"the captured articles are not here ({SHARED}); nothing to compare")
    articles = [p.read_text("utf-8") for p in sorted(SHARED.glob("*.txt"))]
    assert articles, f"no captured articles (*.txt) in {SHARED}"
    grams = set()
    for article in articles:
        words = re.findall(r"\w+", article.lower())
        grams |= {" ".join(words[i:i + 12]) for i in range(len(words) - 11)}
    texts = [f"{b.title}\n{b.summary}\n{b.body}" for b in load_briefs(ROOT / "briefs").briefs]
    texts += [yaml.safe_dump(r["facts"]) for r in seeds()]
    for text in texts:
        words = re.findall(r"\w+", text.lower())
        copied = {" ".join(words[i:i + 12]) for i in range(len(words) - 11)} & grams
        assert not copied, copied
