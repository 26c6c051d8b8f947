"""`briefbot validate` as an editor reads it: one line per cause and file, a count at the end,
warnings that do not fail, the closest known field for a typo, impossible dates named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.briefs import load_briefs
from bot.cli import main
from bot.reload import BriefWatcher
from bot.seeds import load_seeds
from tests.conftest import brief_yaml, seed_yaml, write_seeds


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_url_without_a_seed_record_is_one_line_for_every_brief_citing_it(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = empty_briefs_dir
    write_seeds(folder, "a", "b", "c")
    for name in ("a", "b", "c"):
        text = brief_yaml(name).replace(
            "sources:\n", "sources:\n  - title: New\n    publisher: P\n"
            "    url: https://example.org/new\n    published: 2024-10-01\n", 1)
        text = text.replace("summary: A summary.", "summary: In 2024 $75 billion came in.")
        (folder / f"{name}.yaml").write_text(text, "utf-8")
    code, out, err = run(["validate", str(folder)], capsys)
    assert code == 1
    lines = out.splitlines()
    cited = [ln for ln in lines if "https://example.org/new has no seed record" in ln]
    assert len(cited) == 1
    assert re.fullmatch(r"sources\[0\]\.url: https://example\.org/new has no seed record "
                        r"\(add one: briefbot new seed https://example\.org/new\) — 3 briefs "
                        r"cite it: a\.yaml:11, b\.yaml:11, c\.yaml:11", cited[0]), cited
    # the figures each brief could not check are one line per file, not one per figure
    unchecked = [ln for ln in lines if "not checked until" in ln]
    assert len(unchecked) == 3 and len(lines) == 4, out
    assert err.strip() == "6 problem(s) from 4 cause(s) in 3 file(s); 0 brief(s) are valid."


def test_the_same_figure_missing_twice_in_a_file_is_one_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    text = brief_yaml("a").replace("summary: A summary.", "summary: Trade hit $75 billion.")
    text = text.replace("body: word", "body: Again $75 billion. word")
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    (line,) = out.splitlines()
    assert line.endswith("a.yaml:6: 2 places state '$75 billion', which is in none of the "
                         "cited records (a): "
                         "summary: Trade hit ▸$75 billion◂. (line 6); body: Again ▸$75 "
                         "billion◂. word word… (line 7)"), line


def test_a_related_id_that_is_not_a_brief_yet_is_a_warning_with_its_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a", "b")
    (empty_briefs_dir / "a.yaml").write_text(
        brief_yaml("a").replace("related: []", "related:\n  - b\n  - later"), "utf-8")
    (empty_briefs_dir / "b.yaml").write_text(brief_yaml("b"), "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 0, out
    text = (empty_briefs_dir / "a.yaml").read_text("utf-8")
    line = text.splitlines().index("  - later") + 1
    assert f"warning: {empty_briefs_dir / 'a.yaml'}:{line}: related: names 'later', which is " \
           "not a brief (yet): left out until it is" in out
    assert any(ln.startswith("OK: 2 brief(s)") and "1 warning(s)" in ln
               for ln in out.splitlines()), out
    # the bot serves the brief, leaving the id out, and does not call the file broken
    result = load_briefs(empty_briefs_dir)
    assert result.by_id()["a"].related == ("b",)
    scan = BriefWatcher(empty_briefs_dir).scan()
    assert scan.library is not None and scan.library.get("a") is not None
    assert [e.warning for e in scan.problems] == [True]
    # once the brief exists, the warning is gone and the link is served
    (empty_briefs_dir / "later.yaml").write_text(brief_yaml("later"), "utf-8")
    write_seeds(empty_briefs_dir, "later")
    assert load_briefs(empty_briefs_dir).by_id()["a"].related == ("b", "later")
    assert run(["validate", str(empty_briefs_dir)], capsys)[1].count("warning") == 0


def test_seed_records_suggest_the_closest_field_and_name_impossible_dates(
        tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = seed_yaml("a").replace("publisher:", "publsher:").replace(
        "published: 2023-03-01", "published: 2023-02-29")
    (seeds / "a.yaml").write_text(text, "utf-8")
    _records, errors = load_seeds(seeds)
    reasons = {e.field: e.reason for e in errors}
    assert reasons["publsher"] == "unknown field; did you mean 'publisher'?"
    (seeds / "a.yaml").write_text(seed_yaml("a").replace("published: 2023-03-01",
                                                         "published: 2023-02-29"), "utf-8")
    _records, errors = load_seeds(seeds)
    assert [e.reason for e in errors] == [
        "2023-02-29 is not a real date: February 2023 has 28 days"]


def test_exit_codes(empty_briefs_dir: Path, tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    (empty_briefs_dir / "a.yaml").write_text(brief_yaml("a"), "utf-8")
    assert run(["validate", str(empty_briefs_dir)], capsys)[0] == 0
    (empty_briefs_dir / "a.yaml").write_text(brief_yaml("a", date="2023-02-30"), "utf-8")
    code, out, _ = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1 and "date: 2023-02-30 is not a real date" in out
    code, _out, err = run(["validate", str(tmp_path / "nowhere")], capsys)
    assert code == 1 and err.count("\n") == 1 and "briefs folder not found" in err
    with pytest.raises(SystemExit) as stop:  # a mistyped command line
        main(["validate", "--no-such-option"])
    assert stop.value.code == 2


def test_one_missing_figure_in_the_body_and_its_translations_is_one_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    seeds = empty_briefs_dir.parent / "seeds"
    (seeds / "a.yaml").write_text(seed_yaml("a") + "  - Talks ran Dec 2-6, 2023, on $4 "
                                  "billion of deals in the 2024-25 season, open 24/7.\n", "utf-8")
    ru = " ".join(["слово"] * 50)
    kk = " ".join(["сөз"] * 50)
    text = brief_yaml("a").replace(
        "body: word", "body: Talks ran Dec 2-6, 2023 on $4-5 billion for 2024-25, 24/7. word")
    text += (f"ru:\n  title: Т\n  summary: С.\n  body: Переговоры 2–6 декабря 2023 года, "
             f"4–5 млрд долларов, сезон 2024–25. {ru}\n"
             f"kk:\n  title: Т\n  summary: С.\n  body: 2023 жылғы 2-6 желтоқсанда 4-5 "
             f"миллиард АҚШ доллары, 2024-25 маусым. {kk}\n")
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    (line,) = out.splitlines()  # only $5 billion is not in the record, one line for 3 fields
    assert "3 places state '$5 billion', which is in none of the cited records (a)" in line, line
    assert "body:" in line and "ru.body:" in line and "kk.body:" in line, line
    assert err.startswith("3 problem(s) from 1 cause(s) in 1 file(s)"), err


def test_one_pass_reports_a_duplicate_key_a_typo_a_wrong_source_title_and_a_wrong_date(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    text = brief_yaml("a", date="2023-02-27").replace("title: An article", "title: A title")
    text = text.replace("tags: [test]", "tags: [test]\ntags: [again]\nsumary: typo")
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    for wanted in ("tags: duplicate key", "sumary: unknown field; did you mean 'summary'?",
                   "sources[0].title: 'A title' differs from its seed record",
                   "date: 2023-02-27 is a date none of the cited records gives"):
        assert wanted in out, (wanted, out)


def test_a_body_too_long_does_not_hide_its_figures_and_broken_sources_say_fix_first(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a", "b")
    long = brief_yaml("a", words=260).replace("body: word", "body: It cost $9 billion. word")
    (empty_briefs_dir / "a.yaml").write_text(long, "utf-8")
    bad = brief_yaml("b", date="2020-01-01").replace("url: https://example.org/b",
                                                      "url: not-a-url")
    (empty_briefs_dir / "b.yaml").write_text(bad, "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    assert "body: has 264 words" in out and "'$9 billion' is in none of the cited" in out, out
    assert "b.yaml:8: figures and the date not checked against the seed records: fix sources " \
           "first to check them" in out, out
    assert "2020-01-01" not in out, out


def test_a_fact_with_a_colon_is_named_at_its_own_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = write_seeds(empty_briefs_dir, "a")
    (empty_briefs_dir / "a.yaml").write_text(brief_yaml("a"), "utf-8")
    path = seeds / "a.yaml"
    path.write_text(seed_yaml("a") + "  - Ministers said: trade grew.\n", "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    line = path.read_text("utf-8").splitlines().index("  - Ministers said: trade grew.") + 1
    assert f"{path}:{line}: facts: item 2 is a mapping — a colon followed by a space starts a " \
           "key; quote the text" in out, out
    # the brief citing it is told which file to fix, not to write a record
    assert "its seed record is broken (see a.yaml)" in out and "new seed" not in out, out
    path.write_text(seed_yaml("a").split("facts:")[0] + "title: x\nfacts: []\n", "utf-8")
    _code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert "facts: is empty: list at least one fact" in out, out
    assert "title: duplicate key (first on line 2)" in out, out  # both, in one pass


@pytest.mark.parametrize("keywords, repeat", [
    ("[Boeing deal, alpha, boeing  deal!]", "boeing  deal!"),
    ("[Ёлка, alpha, елка]", "елка"),
    ("[Әуе жолы, alpha, әуе жолы]", "әуе жолы"),
    ("[Мирзиёев, alpha, Мирзиеев]", "Мирзиеев"),  # ru and kk spell it alike but for 'ё'
])
def test_a_keyword_repeated_in_one_brief_is_a_warning_with_its_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str], keywords: str,
        repeat: str) -> None:
    write_seeds(empty_briefs_dir, "a")
    text = brief_yaml("a").replace("keywords: [alpha, beta]", "keywords:\n  - " + "\n  - ".join(
        keywords.strip("[]").split(", ")))
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 0, out
    line = text.splitlines().index(f"  - {repeat}") + 1
    assert f"warning: {empty_briefs_dir / 'a.yaml'}:{line}: keywords: {repeat!r} repeats" in out
    assert ("(keyword 1): list each once (case, punctuation and 'ё'/'е' do not tell keywords "
            "apart, and one keyword serves every language)") in out, out


def test_a_related_brief_that_exists_but_is_broken_is_named_so(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a", "b")
    (empty_briefs_dir / "a.yaml").write_text(
        brief_yaml("a").replace("related: []", "related:\n  - b"), "utf-8")
    (empty_briefs_dir / "b.yaml").write_text(brief_yaml("b", words=10), "utf-8")
    _code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert "related: names 'b', which is broken (see b.yaml): left out until it is fixed" in out
    assert "not a brief (yet)" not in out


def test_a_range_in_none_of_the_records_and_lacking_in_translations_is_one_line(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    ru = " ".join(["слово"] * 50)
    kk = " ".join(["сөз"] * 50)
    text = brief_yaml("a").replace("body: word", "body: Deals worth $4-5 billion. word")
    text += (f"ru:\n  title: Т\n  summary: С.\n  body: Сделки. {ru}\n"
             f"kk:\n  title: Т\n  summary: С.\n  body: Келісімдер. {kk}\n")
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    (line,) = out.splitlines()  # one cause: the range, in no record and in no translation
    assert re.fullmatch(r".*a\.yaml:7: body: '\$4 billion' and '\$5 billion' \(one range\) are "
                        r"in none of the cited records \(a\); the translations lack them too: "
                        r".*▸\$4-5 billion◂.*", line), line
    assert err.startswith("1 problem(s) from 1 cause(s) in 1 file(s)"), err


def test_a_figure_only_one_translation_lacks_is_named_with_that_translation(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    ru = " ".join(["слово"] * 50)
    kk = " ".join(["сөз"] * 50)
    text = brief_yaml("a").replace("body: word", "body: Deals worth $4-5 billion. word")
    text += (f"ru:\n  title: Т\n  summary: С.\n  body: Сделки на 4–5 млрд долларов. {ru}\n"
             f"kk:\n  title: Т\n  summary: С.\n  body: Келісімдер. {kk}\n")
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    (line,) = out.splitlines()
    assert "2 places state '$4 billion' and '$5 billion' (one range), which are in none of the " \
           "cited records (a); the kk translation lacks them too: body:" in line, line
    assert "ru.body: Сделки на ▸4–5 млрд долларов◂" in line, line


def test_a_figure_a_translation_lacks_points_at_the_line_of_the_figure(
        empty_briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_seeds(empty_briefs_dir, "a")
    seeds = empty_briefs_dir.parent / "seeds"
    (seeds / "a.yaml").write_text(seed_yaml("a") + "  - Trade grew 37.2 percent.\n", "utf-8")
    body = "\n".join(["    " + " ".join(["word"] * 10)] * 9)
    text = brief_yaml("a").replace("body: " + " ".join(["word"] * 90),
                                   f"body: |\n{body}\n    Trade grew 37.2 percent.")
    ru = "\n".join(["    " + " ".join(["слово"] * 10)] * 6)
    text += f"ru:\n  title: Т\n  summary: С.\n  body: |\n{ru}\n"
    (empty_briefs_dir / "a.yaml").write_text(text, "utf-8")
    lines = text.splitlines()
    figure_line = next(i for i, ln in enumerate(lines, 1) if "37.2" in ln)
    code, out, _err = run(["validate", str(empty_briefs_dir)], capsys)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{empty_briefs_dir / 'a.yaml'}:{figure_line}: ru.body: '37.2%' of "
                           "the English body is missing here"), (figure_line, line)
