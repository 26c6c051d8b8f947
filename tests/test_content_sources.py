"""The content checks themselves (tests/content.py), on the fixture library and on the fixture
library with a second library added as an editor would add one: they pass on good content,
whatever its size, and each finds what it is for."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.citations import check_briefs
from bot.seeds import load_seeds, url_key
from tests.conftest import FIXTURE_BRIEFS, FIXTURE_SEEDS
from tests.content import (
    copied_runs,
    fixture_plus_second_library,
    missing_captures,
    own_words_problems,
    validate_problems,
)

ARTICLE = ("He noted that American businesses were among the first to invest in the economy, "
           "and that the two countries would keep in close contact.")


def test_the_shingle_checker_finds_a_copied_run_and_ignores_a_paraphrase() -> None:
    article = "He noted that American businesses were among the first to invest in the economy."
    assert copied_runs("Indeed, American businesses were among the first to invest in it.",
                       [article]) == {"american businesses were among the first to invest",
                                      "businesses were among the first to invest in"}
    assert copied_runs("US companies invested early, ahead of most others.", [article]) == set()


def test_every_cited_url_of_the_fixture_library_has_a_seed_record() -> None:
    records, errors = load_seeds(FIXTURE_SEEDS)
    assert errors == []
    briefs = load_briefs(FIXTURE_BRIEFS).briefs
    assert briefs
    for brief in briefs:
        for source in brief.sources:
            assert url_key(source.url) in records, (brief.id, source.url)
    assert [str(e) for e in check_briefs(briefs, FIXTURE_SEEDS)] == []


def test_the_fixture_library_passes_every_content_check() -> None:
    assert validate_problems(FIXTURE_BRIEFS, FIXTURE_SEEDS) == []
    assert own_words_problems(FIXTURE_BRIEFS, FIXTURE_SEEDS, [ARTICLE]) == {}


def test_a_second_library_added_passes_the_content_checks(tmp_path: Path) -> None:
    """More briefs and seed records, some English only, some without examples: nothing in the
    content checks counts them or asks for what the docs call optional."""
    briefs, seeds = fixture_plus_second_library(tmp_path)
    assert len(list(briefs.glob("*.yaml"))) > len(list(FIXTURE_BRIEFS.glob("*.yaml")))
    assert len(list(seeds.glob("*.yaml"))) > len(list(FIXTURE_SEEDS.glob("*.yaml")))
    assert validate_problems(briefs, seeds) == []
    assert own_words_problems(briefs, seeds, [ARTICLE]) == {}
    assert missing_captures(seeds, tmp_path / "no-captures-here") == missing_captures(
        FIXTURE_SEEDS, tmp_path / "no-captures-here")  # only the fixture's records name one


def test_the_content_checks_find_what_they_are_for(tmp_path: Path) -> None:
    briefs, seeds = fixture_plus_second_library(tmp_path)
    path = briefs / "second-quarry.yaml"
    copied = "American businesses were among the first to invest in the economy"
    path.write_text(path.read_text("utf-8").replace("The quarry programme was agreed.", copied),
                    encoding="utf-8")
    assert set(own_words_problems(briefs, seeds, [ARTICLE])) == {"second-quarry.summary"}
    (seeds / "second-quarry.yaml").unlink()
    problems = validate_problems(briefs, seeds)
    assert any("second-quarry.yaml" in line and "has no seed record" in line
               for line in problems), problems
    assert missing_captures(seeds, tmp_path) != []  # the fixture's records name captures


@pytest.mark.parametrize("name", ["second-glacier.yaml", "second-reissue.yaml"])
def test_a_broken_brief_of_the_second_library_fails_validate(tmp_path: Path, name: str) -> None:
    briefs, seeds = fixture_plus_second_library(tmp_path)
    (briefs / name).write_text("id: [\n", encoding="utf-8")
    problems = validate_problems(briefs, seeds)
    assert any(name in line for line in problems), problems
