"""The live library (`briefs/`, `seeds/`): what an editor must keep true, and nothing more.

Every brief and seed record passes `briefbot validate` (fields, links between briefs, cited
URLs, figures and dates, examples, everyday chatter), and the prose is in our own words
against the captured articles beside the checkout (an editor's own captures stay on the
editor's machine, as validate allows). No counts, no optional translations, no matching
accuracy: those belong to the code tests on the fixture library and to `bench/accuracy.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.briefs import load_briefs
from bot.ownwords import check_own_words
from tests.conftest import LIVE_BRIEFS, LIVE_SEEDS, ROOT
from tests.content import own_words_problems, validate_problems

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
    assert [str(e) for e in own.problems] == []
    # an editor's captures stay on the editor's machine: validate names them, passes, and so
    # does this; the captured articles here are all compared
    assert own.compared >= len(named_articles())
    assert own_words_problems(LIVE_BRIEFS, LIVE_SEEDS, articles) == {}


def named_articles() -> list[str]:
    """The captured articles here that a seed record names as its capture."""
    names = {Path(str(capture)).name for path in sorted(LIVE_SEEDS.glob("*.yaml"))
             if (capture := (yaml.safe_load(path.read_text("utf-8")) or {}).get("capture"))}
    return sorted(p.name for p in ARTICLES.glob("*.txt") if p.name in names)


def test_each_captured_article_is_a_records_capture() -> None:
    """The captured articles beside the checkout are the captures of records here, so the
    own-words check compares the shipped briefs with them (a record may name a capture that
    is only on its editor's machine: validate reports it, and that is no failure)."""
    if not ARTICLES.is_dir():
        pytest.skip(f"the captured articles are not here ({ARTICLES})")
    articles = sorted(p.name for p in ARTICLES.glob("*.txt"))
    assert articles and named_articles() == articles

