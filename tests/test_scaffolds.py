"""`briefbot new brief ID` and `briefbot new seed URL`: commented skeletons that validate
except for the text the editor must write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.briefs import MAX_ID, load_briefs
from bot.chatter import chatter
from bot.cli import main
from bot.cli_editor import brief_skeleton, seed_id
from bot.seeds import load_seeds

URL = "https://www.example.org/news/boeing-deal"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    briefs, seeds = tmp_path / "briefs", tmp_path / "seeds"
    briefs.mkdir()
    seeds.mkdir()
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs))
    monkeypatch.delenv("BRIEFBOT_SEEDS_DIR", raising=False)
    return briefs, seeds


def problems(briefs: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(briefs)])
    return code, capsys.readouterr().out.splitlines()


def test_a_seed_skeleton_lacks_only_its_facts(folders: tuple[Path, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = folders
    assert main(["new", "seed", URL, "--title", "Boeing signs a deal: 15 jets",
                 "--publisher", "Example News", "--published", "2024-10-01"]) == 0
    (path,) = seeds.glob("*.yaml")
    assert path.name == "example-2024-10-01-boeing-signs-a-deal-15.yaml"
    assert f"Wrote {path}" in capsys.readouterr().out
    text = path.read_text("utf-8")
    for field in ("id:", "title:", "publisher:", "url:", "published:", "# author:",
                  "# dateline:", "# capture:", "facts:"):
        line = text.index(field)
        assert text[:line].rstrip().splitlines()[-1].startswith("#"), field  # commented
    code, out = problems(briefs, capsys)
    assert code == 1 and len(out) == 1 and out[0].endswith(
        "facts: is empty: list at least one fact, one a line (every figure and date a "
        "brief may state)")
    path.write_text(text.replace("facts: []", "facts:\n  - A deal for 15 jets was signed on "
                                 "1 October 2024."), "utf-8")
    records, errors = load_seeds(seeds)
    assert errors == [] and records  # filled in, the record is valid
    # the same URL again is refused, naming the record that has it
    assert main(["new", "seed", URL + "/"]) == 2
    assert path.name in capsys.readouterr().err


def test_a_brief_skeleton_cites_its_source_and_lacks_only_text(
        folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = folders
    assert main(["new", "seed", URL, "--title", "Boeing deal", "--publisher", "Example News",
                 "--published", "2024-10-01", "--id", "boeing"]) == 0
    assert main(["new", "brief", "boeing-deal", "--source", URL]) == 0
    capsys.readouterr()
    path = briefs / "boeing-deal.yaml"
    text = path.read_text("utf-8")
    data = yaml.safe_load(text)
    assert data["sources"] == [{"title": "Boeing deal", "publisher": "Example News",
                                "url": URL, "published": "2024-10-01"}]
    # not the day published: the day of the events, which the record's facts do not give yet
    assert data["date"] == "" and "# the day of the events" in text
    for field in ("id", "title", "date", "tags", "keywords", "summary", "body", "sources",
                  "related", "examples", "# ru", "# kk"):
        line = text.index(f"\n{field}:") + 1
        assert text[:line].rstrip().splitlines()[-1].startswith("#"), field
    code, out = problems(briefs, capsys)
    fields = sorted(re.search(r"\.yaml:\d+: (\w+)[:\[]", line).group(1)  # type: ignore[union-attr]
                    for line in out)
    # the record's facts are unwritten: the source waits for it, saying which file to fix
    assert code == 1 and fields == ["body", "date", "facts", "keywords", "sources", "summary",
                                    "title"], out
    assert any("its seed record is broken (see boeing.yaml)" in line for line in out), out
    # writing the text (and the record's facts) is all it takes
    (seeds / "boeing.yaml").write_text((seeds / "boeing.yaml").read_text("utf-8").replace(
        "facts: []", "facts:\n  - Fifteen jets were ordered on 1 October 2024."), "utf-8")
    filled = text.replace('title: ""', "title: A jet deal").replace(
        'summary: ""', "summary: An airline ordered jets.").replace(
        'body: ""', "body: " + " ".join(["words"] * 90)).replace(
        "keywords: []", "keywords: [jet deal]").replace(
        text[text.index("\ndate:") + 1:].split("\n")[0], "date: 2024-10-01")
    path.write_text(filled, "utf-8")
    code, out = problems(briefs, capsys)
    assert (code, out[0]) == (0, f"OK: 1 brief(s) in {briefs} are valid, match the seed "
                                 f"records in {seeds}, and all 0 example question(s) land on "
                                 f"their brief, and none of {len(chatter())} everyday chatter "
                                 "messages (en/ru/kk) gets a brief.")
    assert [b.id for b in load_briefs(briefs).briefs] == ["boeing-deal"]


def test_scaffolds_refuse_what_they_cannot_write_well(
        folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, _seeds = folders
    assert main(["new", "brief", "Bad_Id"]) == 2
    assert "lowercase a-z" in capsys.readouterr().err
    assert main(["new", "brief", "a", "--source", URL]) == 2
    assert f"briefbot new seed {URL}" in capsys.readouterr().err
    assert main(["new", "seed", "not a url"]) == 2
    assert main(["new", "seed", URL, "--published", "2023-02-30"]) == 2
    assert "not a real date" in capsys.readouterr().err
    assert main(["new", "brief", "a"]) == 0
    assert main(["new", "brief", "a"]) == 2  # never over an existing file
    assert "already exists" in capsys.readouterr().err
    assert not list(briefs.glob(".*"))  # no temp file left behind


def test_new_brief_takes_the_one_day_the_facts_give_and_new_seed_refuses_a_known_url(
        folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = folders
    assert main(["new", "seed", URL, "--title", "Boeing deal", "--publisher", "Example News",
                 "--published", "2024-10-03", "--id", "boeing"]) == 0
    # a draft record (facts unwritten) already holds the URL, however it is written
    for same in (URL + "/", URL.replace("https://www.example.org", "HTTPS://WWW.Example.ORG")):
        assert main(["new", "seed", same]) == 2
        assert f"already has a seed record: {seeds / 'boeing.yaml'}" in capsys.readouterr().err
    record = seeds / "boeing.yaml"
    record.write_text(record.read_text("utf-8").replace(
        "facts: []", "facts:\n  - Fifteen jets were ordered on 1 October 2024."), "utf-8")
    assert main(["new", "brief", "boeing-deal", "--source", URL]) == 0
    data = yaml.safe_load((briefs / "boeing-deal.yaml").read_text("utf-8"))
    assert str(data["date"]) == "2024-10-01"  # the events' day, not the day published


def test_a_generated_seed_id_keeps_whole_words() -> None:
    long = ("Interoperability counterproliferation telecommunications infrastructure "
            "modernization")
    made = seed_id("https://www.example.org/a", long, "2024-10-01")
    assert len(made) <= MAX_ID and made.startswith("example-2024-10-01-interoperability")
    assert made.endswith("counterproliferation"), made  # the next word would not fit whole
    assert set(made.split("-")) <= {"example", "2024", "10", "01", *long.lower().split()}


def test_the_brief_skeleton_s_summary_comment_matches_the_guide() -> None:
    guide = (Path(__file__).resolve().parent.parent / "docs" / "editors.md").read_text("utf-8")
    assert "summary: One or two sentences" in guide
    assert "# One or two sentences" in brief_skeleton("x")
