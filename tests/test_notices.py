"""Admin notices about broken brief files: relative names, whole lines, a bounded count."""

from __future__ import annotations

from pathlib import Path

from bot.briefs import BriefError
from bot.notices import HEADER, broken_files_notice, problem_line

FOLDER = Path("/srv/a/very/long/path/" + "x" * 150 + "/briefs")


def problem(name: str, line: int | None = 1, field: str | None = None,
            reason: str = "too many values: over 10,000") -> BriefError:
    return BriefError(FOLDER / name, line, field, reason)


def test_a_problem_names_its_file_relative_to_the_briefs_folder() -> None:
    assert problem_line(problem("huge.yaml", None, None, "too large"), FOLDER) == \
        "huge.yaml: too large"
    assert problem_line(problem("x.yaml", 12, "body", "'$75 billion' in no record"), FOLDER) \
        == "x.yaml:12: body: '$75 billion' in no record"
    elsewhere = BriefError(Path("/other/place/y.yaml"), 3, None, "bad")
    assert problem_line(elsewhere, FOLDER) == "y.yaml:3: bad"


def test_names_and_reasons_are_escaped() -> None:
    [text] = broken_files_notice([problem("<b>.yaml", reason="a & b")], FOLDER)
    assert "<code>&lt;b&gt;.yaml:1: a &amp; b</code>" in text


def test_nothing_to_tell_is_no_message() -> None:
    assert broken_files_notice([], FOLDER) == []


def test_a_few_problems_are_one_message_one_line_each() -> None:
    texts = broken_files_notice([problem(f"f{i}.yaml") for i in range(3)], FOLDER)
    assert len(texts) == 1
    assert texts[0].splitlines() == [HEADER] + [
        f"<code>f{i}.yaml:1: too many values: over 10,000</code>" for i in range(3)]


def test_many_problems_split_over_messages_at_whole_lines_then_counted() -> None:
    problems = [problem(f"file-{i:03}.yaml") for i in range(400)]
    texts = broken_files_notice(problems, FOLDER, limit=1000, max_messages=3)
    assert len(texts) == 3
    assert all(len(t) <= 1000 for t in texts)
    lines = [line for t in texts for line in t.splitlines()]
    shown = [line for line in lines if line.startswith("<code>")]
    assert all(line.endswith("</code>") for line in shown)
    assert lines[-1] == f"… and {400 - len(shown)} more (see the log)"
    assert shown == [f"<code>file-{i:03}.yaml:1: too many values: over 10,000</code>"
                     for i in range(len(shown))]


def test_an_overlong_reason_is_shortened_not_the_message() -> None:
    [text] = broken_files_notice([problem("a.yaml", reason="r" * 5000)], FOLDER)
    assert len(text) < 1000 and text.endswith("…</code>")
