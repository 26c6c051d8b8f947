"""validate's chatter check: everyday chatter and assistant requests in en/ru/kk get no brief;
one that does is reported in the file of the brief that takes it, at the entry that draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.chatter import CHATTER_DIR, chatter, check_chatter
from bot.cli import main
from bot.matching import Matcher
from bot.topic import read_topic
from tests.conftest import FIXTURE_BRIEFS, brief_yaml, write_seeds
from tests.content import write_second_library

WEATHER = brief_yaml("weather-desk", keywords="[weather, weather forecast, погода, ауа райы]",
                     title="The weather desk", summary="Weather forecasts.")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_each_language_has_a_list_that_states_its_origin(lang: str) -> None:
    path = CHATTER_DIR / f"{lang}.txt"
    lines = path.read_text("utf-8").splitlines()
    assert any(line.startswith("# Origin:") for line in lines), path
    messages = [text for code, text in chatter() if code == lang]
    assert len(messages) >= 50
    assert len(set(messages)) == len(messages), "a message listed twice"
    assert not any(m.startswith("#") for m in messages)


def test_a_brief_that_takes_chatter_fails_validate_where_it_can_be_fixed(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = empty_briefs_dir.parent / "seeds"
    seeds.mkdir()
    write_second_library(empty_briefs_dir, seeds, reissue=False)  # they take no chatter
    assert main(["validate", "--chatter", str(empty_briefs_dir)]) == 0
    assert "everyday chatter" in capsys.readouterr().out
    assert main(["validate", str(empty_briefs_dir)]) == 0  # part of every validate
    assert "everyday chatter" in capsys.readouterr().out
    (empty_briefs_dir / "weather-desk.yaml").write_text(WEATHER, encoding="utf-8")
    write_seeds(empty_briefs_dir, "weather-desk")
    assert main(["validate", "--chatter", str(empty_briefs_dir)]) == 1
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "everyday chatter" in line]
    assert lines and all(line.startswith(f"{empty_briefs_dir / 'weather-desk.yaml'}:")
                         for line in lines), out
    assert any(line.startswith(f"{empty_briefs_dir / 'weather-desk.yaml'}:5: keywords[2]: "
                               "everyday chatter (ru) \"какая сегодня погода\" now gets this "
                               "brief as an answer") for line in lines), out
    assert any("(en)" in line and "what's the weather like today" in line for line in lines)


def test_the_entry_that_draws_the_chatter_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "weather-desk.yaml").write_text(WEATHER, encoding="utf-8")
    write_second_library(folder, tmp_path / "seeds", reissue=False)
    briefs = load_briefs(folder).briefs
    problems = check_chatter(briefs, messages=[("ru", "какая сегодня погода")])
    assert [(p.path.name, p.line, p.field) for p in problems] == [
        ("weather-desk.yaml", 5, "keywords[2]")]
    assert check_chatter(briefs, messages=[("en", "play some music")]) == []


def test_a_brief_answer_drawn_by_no_single_entry_names_the_file_only(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "weather-desk.yaml").write_text(
        brief_yaml("weather-desk", keywords="[weather forecast, weather report]",
                   title="Weather"), encoding="utf-8")
    write_second_library(folder, tmp_path / "seeds", reissue=False)
    problems = check_chatter(load_briefs(folder).briefs, messages=[("en", "weather")])
    assert [(p.path.name, p.line, p.field) for p in problems] == [("weather-desk.yaml", None,
                                                                    None)]
    assert "no single keyword, example or tag draws it" in problems[0].reason


def test_the_fixture_library_takes_no_chatter() -> None:
    topic = read_topic(FIXTURE_BRIEFS)[0]
    briefs = load_briefs(FIXTURE_BRIEFS).briefs
    assert [str(p) for p in check_chatter(briefs, lambda b: Matcher(b, topic=topic))] == []
