"""The live library (`briefs/`, `seeds/`): what an editor must keep true, and nothing more.

Every brief and seed record passes `briefbot validate` (fields, links between briefs, cited
URLs, figures and dates, examples, everyday chatter), the prose is in our own words, and a
record's capture is there. No counts, no optional translations, no matching accuracy: those
belong to the code tests on the fixture library and to `bench/accuracy.py`.
"""

from __future__ import annotations

import pytest

from bot.briefs import load_briefs
from bot.sources import check_own_words
from tests.conftest import LIVE_BRIEFS, LIVE_SEEDS, ROOT
from tests.content import missing_captures, own_words_problems, validate_problems

ARTICLES = ROOT.parent / "shared" / "seeds"  # the captured articles, where this checkout has them


def _articles() -> list[str]:
    if not ARTICLES.is_dir():
        pytest.skip(f"the captured articles are not here ({ARTICLES}); nothing to compare")
    articles = [p.read_text("utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    assert articles, f"no captured articles (*.txt) in {ARTICLES}"
    return articles


def test_the_live_library_passes_validate() -> None:
    assert validate_problems(LIVE_BRIEFS, LIVE_SEEDS) == []


def test_no_run_of_eight_words_is_copied_from_an_article() -> None:
    """The check `briefbot validate --captures DIR` runs: each brief against the captures of
    the records it cites, each record's facts against its own capture; and, by the same
    rule, nothing copied from an article a brief does not cite."""
    articles = _articles()
    own = check_own_words(load_briefs(LIVE_BRIEFS).briefs, LIVE_SEEDS, ARTICLES)
    assert [str(e) for e in own.problems] == [] and own.absent == []
    assert own_words_problems(LIVE_BRIEFS, LIVE_SEEDS, articles) == {}


def test_each_capture_a_seed_record_names_is_there() -> None:
    if not ARTICLES.is_dir():
        pytest.skip(f"the captured articles are not here ({ARTICLES})")
    assert missing_captures(LIVE_SEEDS, ARTICLES) == []

