"""The shipped briefs against their sources: every cited URL has a seed record, every figure
and date comes from a cited record, and no run of 8 words is copied from an article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.briefs import Brief, load_briefs
from bot.sources import check_briefs, load_seeds, url_key

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "seeds"
SHINGLE = 8


def shipped() -> tuple[Brief, ...]:
    result = load_briefs(ROOT / "briefs")
    assert result.errors == ()
    return result.briefs


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Every run of `size` words (case, punctuation and apostrophes ignored)."""
    words = re.findall(r"\w+", text.lower().replace("’", "").replace("'", ""))
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def copied_runs(text: str, articles: list[str]) -> set[str]:
    """The 8-word runs of `text` that also occur in one of the articles."""
    found: set[str] = set()
    for article in articles:
        found |= shingles(text) & shingles(article)
    return found


def test_the_shingle_checker_finds_a_copied_run_and_ignores_a_paraphrase() -> None:
    article = "He noted that American businesses were among the first to invest in the economy."
    assert copied_runs("Indeed, American businesses were among the first to invest in it.",
                       [article]) == {"american businesses were among the first to invest",
                                      "businesses were among the first to invest in"}
    assert copied_runs("US companies invested early, ahead of most others.", [article]) == set()


def test_every_cited_url_has_a_seed_record() -> None:
    records, errors = load_seeds(ROOT / "seeds")
    assert errors == []
    for brief in shipped():
        for source in brief.sources:
            assert url_key(source.url) in records, (brief.id, source.url)


def test_shipped_briefs_pass_figure_date_and_citation_checks() -> None:
    assert [str(e) for e in check_briefs(shipped(), ROOT / "seeds")] == []


def test_each_seed_record_names_its_captured_article() -> None:
    if not ARTICLES.is_dir():
        pytest.skip(f"the captured articles are not here ({ARTICLES})")
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        record = yaml.safe_load(path.read_text("utf-8"))
        assert (ARTICLES / record["capture"]).is_file(), path.name


def test_no_run_of_eight_words_is_copied_from_an_article() -> None:
    """Brief titles, summaries and bodies and the seeds' facts are in our own words (source
    headlines in `sources` are citations and may be quoted)."""
    if not ARTICLES.is_dir():
        pytest.skip(f"the captured articles are not here ({ARTICLES}); nothing to compare")
    articles = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    assert articles
    texts = {f"{b.id}.{field}": getattr(b, field) for b in shipped()
             for field in ("title", "summary", "body")}
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        for i, fact in enumerate(yaml.safe_load(path.read_text("utf-8"))["facts"]):
            texts[f"{path.name}.facts[{i}]"] = fact
    copied = {name: runs for name, text in texts.items() if (runs := copied_runs(text, articles))}
    assert copied == {}
