"""Seed records, and briefs checked against them: cited URLs, figures, dates, citations."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.citations import MAX_FIGURE_PROBLEMS, check_briefs, check_text
from bot.cli import main
from bot.locate import Locator
from bot.seeds import load_seeds, url_key

SEED = """\
id: {id}
title: Trade tops three billion
publisher: The Example Times
url: https://example.org/{id}/
published: "2023-03"
facts:
  - Blinken spoke at a press briefing on Feb. 28 (2023).
  - Trade passed $3 billion in 2022, 37.2 percent more than the year before.
  - Relations began after independence in December 1991.
"""

BRIEF = """\
id: {id}
title: Trade in 2022
date: 2023-02-28
keywords: [trade]
summary: >-
  Trade passed $3 billion in 2022, up 37.2 percent, as reported in
  March 2023.
body: |
  {body}
sources:
  - title: Trade tops three billion
    publisher: The Example Times
    url: https://example.org/{seed}/
    published: "2023-03"
"""

FILLER = " ".join(["word"] * 85)


def write_brief(folder: Path, brief_id: str = "trade", body: str = "", seed: str = "rec-a",
                replace: tuple[str, str] = ("", "")) -> Path:
    text = BRIEF.format(id=brief_id, seed=seed, body=textwrap.indent(
        f"{FILLER}\n\n{body}".strip(), "  ").lstrip())
    path = folder / f"{brief_id}.yaml"
    path.write_text(text.replace(*replace) if replace[0] else text, encoding="utf-8")
    return path


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "rec-a.yaml").write_text(SEED.format(id="rec-a"), encoding="utf-8")
    (folder / "rec-b.yaml").write_text(
        SEED.format(id="rec-b").replace("$3 billion", "$75 billion"), encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "briefs"
    folder.mkdir()
    return folder


def problems(folder: Path, seeds_dir: Path) -> list[str]:
    result = load_briefs(folder)
    assert result.errors == ()
    return [str(e) for e in check_briefs(result.briefs, seeds_dir)]


def test_a_brief_within_its_record_passes(folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, body="Blinken spoke on 28 February 2023; ties date from 1991.")
    assert problems(folder, seeds_dir) == []


def test_a_figure_in_no_cited_record_names_file_line_field_and_figure(
        folder: Path, seeds_dir: Path) -> None:
    path = write_brief(folder, body="Para.\n\n  Investment is put at $75 billion since 1991.")
    (found,) = problems(folder, seeds_dir)
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "$75" in t)
    assert found == (f"{path}:{line}: body: '$75 billion' is in none of the cited records "
                     "(rec-a): …is put at ▸$75 billion◂ since 1991.")


def test_a_figure_only_an_uncited_record_gives_still_fails(folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, replace=("$3 billion", "$75 billion"))
    (found,) = problems(folder, seeds_dir)
    assert "trade.yaml:6: summary: '$75 billion' is in none of the cited records (rec-a)" in found


def test_a_figure_split_over_two_lines_is_reported_where_it_starts(
        folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, replace=("March 2023", "April 2023"))
    (found,) = problems(folder, seeds_dir)
    assert found.endswith("trade.yaml:7: summary: 'April 2023' is in none of the cited records "
                          "(rec-a): …as reported in ▸April 2023◂.")


def test_a_source_url_without_a_seed_record(folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, seed="rec-missing")
    found = problems(folder, seeds_dir)
    assert found[0].endswith("trade.yaml:13: sources[0].url: https://example.org/rec-missing/ "
                             "has no seed record (add one to seeds/ with `briefbot new seed "
                             "URL`, or cite a source that has one)")
    # with nothing cited on record, no figure and no date can be vouched for: one line says
    # so, instead of one line for each figure (they may be in the missing record)
    assert len(found) == 2
    assert re.search(r"trade\.yaml:\d+: \d figure\(s\) and date\(s\) not checked until "
                     r"sources\[0\]\.url has a seed record$", found[1]), found


def test_a_date_no_cited_record_supports(folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, replace=("date: 2023-02-28", "date: 2023-03-01"))
    (found,) = problems(folder, seeds_dir)
    assert found.endswith("trade.yaml:3: date: 2023-03-01 is a date none of the cited records "
                          "gives (rec-a)")


def test_a_citation_must_name_the_article_as_its_record_does(
        folder: Path, seeds_dir: Path) -> None:
    write_brief(folder, replace=("publisher: The Example Times",
                                 "publisher: The Example Times (from Elsewhere)"))
    (found,) = problems(folder, seeds_dir)
    assert found.endswith("trade.yaml:12: sources[0].publisher: 'The Example Times (from "
                          "Elsewhere)' differs from its seed record: 'The Example Times' (rec-a)")


def test_urls_compare_without_case_of_host_fragment_or_final_slash() -> None:
    assert url_key("HTTPS://Example.org/a/b/#top") == url_key("https://example.org/a/b")
    assert url_key("https://example.org/a") != url_key("https://example.org/b")


def test_russian_and_kazakh_text_is_checked_the_same_way(seeds_dir: Path) -> None:
    records, _ = load_seeds(seeds_dir)
    keys = records[url_key("https://example.org/rec-a")].keys()
    where = Locator("")
    ok = "Товарооборот превысил 3 млрд долларов в 2022 году, рост на 37,2 %."
    assert check_text("ru.body", ok, keys, "rec-a", Path("x.yaml"), where) == []
    kk = "2022 жылы тауар айналымы 75 млрд АҚШ долларынан асты."
    (bad,) = check_text("kk.body", kk, keys, "rec-a", Path("x.yaml"), where)
    # named as read, the same in every language, and shown as written
    assert bad.field == "kk.body" and bad.reason.startswith("'$75 billion'")
    assert "▸75 млрд АҚШ долларынан◂" in bad.reason


def test_nested_translation_fields_are_located() -> None:
    text = "id: x\nru:\n  title: Заголовок\n  body: |\n    Первая строка.\n    В 2021 году.\n"
    where = Locator(text)
    assert where.line("ru.title") == 3
    body = "Первая строка.\nВ 2021 году."
    assert where.line_of("ru.body", body, body.index("2021")) == 6


@pytest.mark.parametrize(("change", "field", "reason"), [
    (("publisher: The Example Times\n", ""), "publisher", "missing"),
    (('published: "2023-03"', "published: soon"), "published", "ISO date"),
    (("url: https://", "url: ftp://"), "url", "http(s)"),
    (("id: rec-a", "id: other"), "id", "file name"),
    (("facts:\n", "facts: []\nx:\n"), "facts", "is empty: list at least one fact"),
    (("facts:", "colour: red\nfacts:"), "colour", "unknown field"),
])
def test_seed_record_problems_name_field(seeds_dir: Path, change: tuple[str, str], field: str,
                                         reason: str) -> None:
    path = seeds_dir / "rec-a.yaml"
    path.write_text(path.read_text().replace(*change), encoding="utf-8")
    records, errors = load_seeds(seeds_dir)
    assert url_key("https://example.org/rec-a") not in records
    assert any(e.path == path and e.field == field and reason in e.reason for e in errors), errors


def test_two_records_with_one_url(seeds_dir: Path) -> None:
    (seeds_dir / "rec-c.yaml").write_text(
        SEED.format(id="rec-c").replace("/rec-c/", "/rec-a"), encoding="utf-8")
    _, errors = load_seeds(seeds_dir)
    assert [(e.path.name, e.reason) for e in errors] == [
        ("rec-c.yaml", "same URL as the record 'rec-a'")]


def test_a_missing_seeds_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="seeds folder not found"):
        load_seeds(tmp_path / "nowhere")


def test_validate_checks_figures_and_exits_1(folder: Path, seeds_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    write_brief(folder, body="Some $75 billion.")
    assert main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "body: '$75 billion' is in none of the cited records (rec-a)" in out
    assert "1 problem(s) from 1 cause(s) in 1 file(s); 0 brief(s) are valid." in err


def test_validate_finds_seeds_by_option_setting_or_beside_the_briefs(
        folder: Path, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFBOT_SEEDS_DIR", raising=False)
    write_brief(folder)
    assert main(["validate", str(folder)]) == 0
    assert "match the seed records in" in capsys.readouterr().out
    moved = seeds_dir.rename(tmp_path / "records")
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "seeds folder not found" in err and "--seeds DIR" in err
    assert "BRIEFBOT_SEEDS_DIR" in err
    assert main(["validate", str(folder), "--seeds", str(moved)]) == 0
    monkeypatch.setenv("BRIEFBOT_SEEDS_DIR", str(moved))
    assert main(["validate", str(folder)]) == 0


def test_many_stray_figures_in_one_field_are_listed_up_to_a_limit_then_counted(
        folder: Path, seeds_dir: Path) -> None:
    stray = " ".join(f"{n}00 tonnes." for n in range(11, 11 + MAX_FIGURE_PROBLEMS + 30))
    path = write_brief(folder, body=stray)
    found = problems(folder, seeds_dir)
    told = [p for p in found if "is in none of the cited records" in p]
    more = [p for p in found if f"the first {MAX_FIGURE_PROBLEMS} are listed" in p]
    assert len(told) == MAX_FIGURE_PROBLEMS and len(more) == 1
    assert more[0].startswith(f"{path}:")
    assert "30 more place(s) state figures in none of the cited records" in more[0]
    # the ones listed are the first, each at its own line
    assert "'1100'" in told[0] and f"'{10 + MAX_FIGURE_PROBLEMS}00'" in told[-1]


def test_figures_waiting_for_a_missing_record_are_all_counted(
        folder: Path, seeds_dir: Path) -> None:
    stray = " ".join(f"{n}00 tonnes." for n in range(11, 11 + MAX_FIGURE_PROBLEMS + 30))
    write_brief(folder, body=stray, seed="rec-missing")
    (waiting,) = [p for p in problems(folder, seeds_dir) if "not checked until" in p]
    # every one of the body's stray figures, the summary's four ($3 billion, 2022, 37.2
    # percent, March 2023), the title's year and the brief's date
    assert f" {MAX_FIGURE_PROBLEMS + 30 + 6} figure(s) and date(s) not checked until" in waiting
