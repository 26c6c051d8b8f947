"""Loading and validating brief files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.briefs import load_briefs, parse_brief
from tests.conftest import brief_yaml


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_brief_loads(empty_briefs_dir: Path) -> None:
    write(empty_briefs_dir, "alpha.yaml", brief_yaml("alpha"))
    result = load_briefs(empty_briefs_dir)
    assert result.errors == ()
    (brief,) = result.briefs
    assert brief.id == "alpha"
    assert brief.sources[0].published == "2023-03-01"
    assert brief.digest


def test_yaml_syntax_error_names_line(empty_briefs_dir: Path) -> None:
    write(empty_briefs_dir, "broken.yaml", "id: broken\ntitle: [unclosed\nsummary: x\n")
    write(empty_briefs_dir, "good.yaml", brief_yaml("good"))
    result = load_briefs(empty_briefs_dir)
    assert [b.id for b in result.briefs] == ["good"]
    (error,) = result.errors
    assert error.path.name == "broken.yaml"
    assert error.line is not None and error.line >= 2
    assert "YAML syntax error" in error.reason


@pytest.mark.parametrize(
    ("mutate", "field", "reason"),
    [
        (lambda t: t.replace("id: x-1", "id: X_1"), "id", "lowercase"),
        (lambda t: t.replace("id: x-1", "id: other"), "id", "file name"),
        (lambda t: t.replace("date: 2023-02-28", "date: 2023-13-45"), "date",
         "not a real date: there is no month 13"),
        (lambda t: t.replace("date: 2023-02-28", "date: 2023-02-30"), "date",
         "2023-02-30 is not a real date: February 2023 has 28 days"),
        (lambda t: t.replace("date: 2023-02-28", "date: 28.02.2023"), "date", "ISO date"),
        (lambda t: t.replace("summary:", "sumary:"), "sumary",
         "unknown field; did you mean 'summary'?"),
        (lambda t: t.replace("    published:", "    publised:"), "sources[0].publised",
         "unknown field; did you mean 'published'?"),
        (lambda t: t.replace("https://example.org/x-1", "ftp://example.org/x"),
         "sources[0].url", "http(s)"),
        (lambda t: t.replace("keywords: [alpha, beta]", "keywords: []"), "keywords",
         "at least one"),
        (lambda t: t + "colour: blue\n", "colour", "unknown field"),
        (lambda t: t.replace("summary: A summary.\n", ""), "summary", "missing"),
        (lambda t: t.replace("tags: [test]", "tags: [Bad Tag]"), "tags", "lowercase"),
        (lambda t: t.replace("published: 2023-03-01", "published: soon"),
         "sources[0].published", "ISO date"),
        (lambda t: t.replace("published: 2023-03-01", "published: 2023-04-31"),
         "sources[0].published", "not a real date: April 2023 has 30 days"),
    ],
)
def test_each_problem_names_field(mutate, field: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    brief, errors = parse_brief(Path("x-1.yaml"), mutate(brief_yaml("x-1")))
    assert brief is None
    assert any(e.field == field and reason in e.reason for e in errors), errors
    assert all(e.path == Path("x-1.yaml") for e in errors)


def test_unknown_field_reports_its_line() -> None:
    text = brief_yaml("x-1") + "colour: blue\n"
    _, errors = parse_brief(Path("x-1.yaml"), text)
    (error,) = errors
    assert error.line == text.splitlines().index("colour: blue") + 1


def test_body_word_count_is_enforced() -> None:
    _, errors = parse_brief(Path("x-1.yaml"), brief_yaml("x-1", words=20))
    assert any(e.field == "body" and "20 words" in e.reason for e in errors)


def test_all_problems_reported_at_once() -> None:
    text = brief_yaml("x-1").replace("date: 2023-02-28", "date: never") + "extra: 1\n"
    _, errors = parse_brief(Path("x-1.yaml"), text.replace("keywords: [alpha, beta]",
                                                           "keywords: []"))
    assert {e.field for e in errors} >= {"date", "extra", "keywords"}


def test_related_to_missing_brief_is_reported_but_brief_kept(empty_briefs_dir: Path) -> None:
    write(empty_briefs_dir, "a.yaml", brief_yaml("a", related="[b, ghost]"))
    write(empty_briefs_dir, "b.yaml", brief_yaml("b"))
    result = load_briefs(empty_briefs_dir)
    assert result.by_id()["a"].related == ("b",)
    assert any(e.field == "related" and "ghost" in e.reason for e in result.errors)


def test_non_mapping_and_empty_files(empty_briefs_dir: Path) -> None:
    write(empty_briefs_dir, "list.yaml", "- a\n- b\n")
    write(empty_briefs_dir, "empty.yaml", "")
    write(empty_briefs_dir, "binary.yaml", "")
    (empty_briefs_dir / "binary.yaml").write_bytes(b"\xff\xfe\x00bad")
    result = load_briefs(empty_briefs_dir)
    assert result.briefs == ()
    assert {e.path.name for e in result.errors} == {"list.yaml", "empty.yaml", "binary.yaml"}


def test_hidden_and_temp_files_are_ignored(empty_briefs_dir: Path) -> None:
    write(empty_briefs_dir, ".alpha.yaml.swp", "junk")
    write(empty_briefs_dir, ".hidden.yaml", "junk: [")
    write(empty_briefs_dir, "notes.txt", "not a brief")
    assert load_briefs(empty_briefs_dir).errors == ()


def test_missing_folder_raises() -> None:
    with pytest.raises(FileNotFoundError):
        load_briefs(Path("/nonexistent/briefs"))


def test_id_too_long_for_callback_data() -> None:
    long_id = "a" * 61
    _, errors = parse_brief(Path(f"{long_id}.yaml"), brief_yaml(long_id))
    assert any(e.field == "id" and "at most 60" in e.reason for e in errors)
