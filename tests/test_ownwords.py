"""Own words, checked by `briefbot validate`: a seed record names a capture of its article,
and any run of 8 words a brief (or the record's facts) shares with it is reported with its
file and line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from bot.ownwords import copied_passages, copied_runs, shingles
from tests.conftest import brief_yaml, seed_yaml

ARTICLE = ("WASHINGTON. The two ministers met on Tuesday. American businesses were among the "
           "first to invest in the economy, the minister said, and trade grew quickly.\n")


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path]:
    briefs, seeds = tmp_path / "briefs", tmp_path / "seeds"
    briefs.mkdir()
    (seeds / "captures").mkdir(parents=True)
    (seeds / "captures" / "a.txt").write_text(ARTICLE, "utf-8")
    (seeds / "a.yaml").write_text(seed_yaml("a") + "capture: captures/a.txt\n", "utf-8")
    return briefs, seeds


def test_words_runs_and_passages() -> None:
    assert len(shingles("one two three four five six seven eight nine")) == 2
    assert shingles("Kazakhstan's reform") == set()
    runs = copied_runs("Indeed, American businesses were among the first to invest in it.",
                       [ARTICLE])
    assert runs == {"american businesses were among the first to invest",
                    "businesses were among the first to invest in"}
    text = "Indeed, American businesses were among the first to invest in it."
    (passage,) = copied_passages(text, shingles(ARTICLE))
    assert passage.text == "American businesses were among the first to invest in"
    assert copied_passages("US firms invested early.", shingles(ARTICLE)) == []


def test_validate_reports_a_copied_passage_with_file_and_line(
        library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, _seeds = library
    text = brief_yaml("a", summary="Indeed, American businesses were among the first to "
                                   "invest in the economy.")
    (briefs / "a.yaml").write_text(text, "utf-8")
    assert main(["validate", str(briefs)]) == 1
    out = capsys.readouterr().out
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("summary:"))
    assert out.strip() == (
        f"{briefs / 'a.yaml'}:{line}: summary: 11 words in a row are the article's (capture "
        "captures/a.txt): “American businesses were among the first to invest in the "
        "economy”")
    # in our own words, it passes, and says what it compared
    (briefs / "a.yaml").write_text(brief_yaml("a"), "utf-8")
    assert main(["validate", str(briefs)]) == 0
    assert "Own words: compared with 1 capture(s)" in capsys.readouterr().out


def test_a_record_s_facts_are_checked_against_its_own_capture(
        library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = library
    (briefs / "a.yaml").write_text(brief_yaml("a"), "utf-8")
    record = seeds / "a.yaml"
    record.write_text(record.read_text("utf-8").replace(
        "facts:\n", "facts:\n  - The minister said American businesses were among the first "
        "to invest in the economy.\n"), "utf-8")
    assert main(["validate", str(briefs)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    number = record.read_text("utf-8").splitlines().index(
        "  - The minister said American businesses were among the first to invest in the "
        "economy.") + 1
    assert line.startswith(f"{record}:{number}: facts[0]: 11 words in a row are the article's")


def test_a_capture_kept_elsewhere_or_absent(library: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = library
    elsewhere = tmp_path / "saved"
    elsewhere.mkdir()
    (seeds / "captures" / "a.txt").rename(elsewhere / "a.txt")
    (briefs / "a.yaml").write_text(brief_yaml("a", summary="American businesses were among "
                                                           "the first to invest in the economy."),
                                   "utf-8")
    assert main(["validate", str(briefs)]) == 0  # nothing to compare with: noted, not failed
    out = capsys.readouterr().out
    # an absent capture is counted quietly in the summary, not named, not a problem
    assert "Own words: no capture here to compare with (optional). 1 capture(s) named are " \
           "not here (kept outside the repository; give --captures DIR to compare them)." in out
    assert "a.txt" not in out
    assert main(["validate", str(briefs), "--captures", str(elsewhere)]) == 1
    assert "summary: 11 words in a row are the article's" in capsys.readouterr().out


@pytest.mark.parametrize("capture", [
    "seeds/captures/a.txt", "bench/library4/seeds/captures/a.txt",
    "trial/seeds/captures/sub/a.txt",
])
def test_captures_are_kept_out_of_the_repository(capture: str) -> None:
    root = Path(__file__).resolve().parent.parent
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run([git, "check-ignore", "--no-index", "-q", capture], cwd=root,
                             check=False)
    assert ignored.returncode == 0, f"{capture} would be committed"


@pytest.mark.parametrize("copied", [
    "Clay Neff, president of Chevron International Exploration and Production",
    "First Deputy Foreign Minister Kairat Umarov and US Assistant Secretary of",
    "Первый заместитель Министра Иностранных Дел Республики Казахстан Кайрат Умаров",
    "Қазақстан Республикасы Сыртқы Істер Министрінің Бірінші Орынбасары Қайрат Омаров",
])
def test_names_and_official_titles_are_not_copied_prose(copied: str) -> None:
    article = f"The talks, led by {copied} and others, went on."
    assert copied_passages(f"We met {copied} then.", shingles(article)) == []
    prose = "the delegation agreed that the talks should continue into the next year"
    assert copied_passages(f"So {prose}.", shingles(f"Yes, {prose}."))


def test_the_count_says_passages_and_the_summary_line_is_true(
        library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, _seeds = library
    copied = "American businesses were among the first to invest in the economy"
    text = brief_yaml("a", summary=f"Indeed, {copied}.").replace(
        "body: word", f"body: So {copied}. word")
    (briefs / "a.yaml").write_text(text, "utf-8")
    assert main(["validate", str(briefs)]) == 1
    out, err = capsys.readouterr()
    assert "2 passages copied from the article (capture captures/a.txt)" in out, out
    assert "no run of" not in err and "2 copied passage(s), listed above" in err, err


def test_a_copied_passage_is_counted_as_the_check_counts_words(
        library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    briefs, seeds = library
    (seeds / "captures" / "a.txt").write_text(
        "The field will produce 4.5 billion cubic meters of raw gas a year.\n", "utf-8")
    (briefs / "a.yaml").write_text(brief_yaml(
        "a", summary="It will produce 4.5 billion cubic meters of raw gas."), "utf-8")
    assert main(["validate", str(briefs)]) == 1
    out = capsys.readouterr().out  # "4.5" is two words to the check: ten, not nine
    assert "summary: 10 words in a row are the article's" in out
    assert "“will produce 4.5 billion cubic meters of raw gas”" in out
