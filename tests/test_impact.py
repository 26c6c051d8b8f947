"""`briefbot impact BEFORE_DIR [AFTER_DIR]`: replays the usage log's questions, the example
questions and a file of questions against two libraries and lists exactly the questions whose
outcome differs, grouped, with counts."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from pathlib import Path

import pytest

from bot.cli import main, result_json
from bot.library import load_library
from bot.storage import QuestionRecord, Store
from tests.conftest import brief_yaml

QUESTIONS = ["uranium exports", "Kazakhstan uranium", "уран", "is kazakhstan in the csto",
             "ОДКБ", "sanctions on russia", "plov recipe", "weather in almaty",
             "us investment in kazakhstan", "Blinken visit 2023", "what is the SCO"]


@pytest.fixture
def libraries(briefs_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Before: the shipped briefs. After: a new brief on uranium, and the CSTO brief without
    its keywords but one."""
    after = tmp_path / "after"
    shutil.copytree(briefs_dir, after)
    (after / "uranium-exports.yaml").write_text(brief_yaml(
        "uranium-exports", title="Uranium exports to the US",
        keywords="[uranium, uranium exports, уран, уранның экспорты]"), "utf-8")
    csto = after / "csto-sco.yaml"
    text = csto.read_text("utf-8")
    start = text.index("keywords:")
    end = text.index("\n", text.index("\n", start) + 1) + 1  # the first keyword only
    rest = text.index("\n", text.index("sources:") - 1)
    csto.write_text(text[:end] + text[rest + 1:], "utf-8")
    return briefs_dir, after


def expected(before: Path, after: Path, questions: list[str]) -> set[str]:
    """The oracle: what `ask --json` says for each question in each library."""
    old, new = load_library(before)[0], load_library(after)[0]

    def said(library: object, q: str) -> tuple[object, ...]:
        r = result_json(library.match(q))  # type: ignore[attr-defined]
        ids = r["matches"][:1] if r["outcome"] == "answer" else r["suggestions"]
        return (r["outcome"], tuple(m["id"] for m in ids))  # type: ignore[union-attr]

    return {q for q in questions if said(old, q) != said(new, q)}


def test_impact_lists_exactly_the_questions_whose_outcome_differs(
        libraries: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before, after = libraries
    file = tmp_path / "questions.txt"
    file.write_text("# questions editors keep\n" + "\n".join(QUESTIONS) + "\n\n", "utf-8")
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "no-log.db"))  # no usage log: optional
    assert main(["impact", str(before), str(after), "--questions", str(file), "--json"]) == 0
    captured = capsys.readouterr()
    found = json.loads(captured.out)
    # no usage log: said in one line, and the replay goes on without it
    assert captured.err.strip() == (f"briefbot: no usage log at {tmp_path / 'no-log.db'}: "
                                    "replaying examples and --questions only")
    examples = [e for folder in (before, after) for b in load_library(folder)[0].briefs
                for e in b.examples]
    wanted = expected(before, after, QUESTIONS + examples)
    assert {c["question"] for c in found} == wanted
    assert len(found) == len(wanted) and wanted  # each once; and the change does change things
    kinds = {c["change"] for c in found}
    assert "no answer → answer" in kinds or "did-you-mean → answer" in kinds
    for c in found:
        assert c["before"] != c["after"]
    uranium = next(c for c in found if c["question"] == "uranium exports")
    assert uranium["after"] == {"outcome": "answer", "briefs": ["uranium-exports"],
                                "words": ["exports", "uranium"]}  # why: the words it now hits
    assert uranium["from"] == ["file"]
    # the text report: one group per kind of change, each with its count
    assert main(["impact", str(before), str(after), "--questions", str(file)]) == 0
    out = capsys.readouterr().out
    for kind in kinds:
        n = sum(c["change"] == kind for c in found)
        assert f"\n{kind}: {n} question(s)" in out
    assert f"{len(found)} change outcome." in out
    assert "[now on exports, uranium (uranium-exports)]" in out
    # the same folder twice changes nothing
    assert main(["impact", str(before), str(before), "--questions", str(file)]) == 0
    assert "No reader would get a different reply." in capsys.readouterr().out


def test_logged_questions_come_first_most_asked_first(
        libraries: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before, after = libraries
    db = tmp_path / "usage.db"

    async def log() -> None:
        store = await Store.open(db)
        now = time.time()
        records = [QuestionRecord(now, f"u{i}", "private", "text", text, "none", None, None,
                                  None)
                   for i, text in enumerate(["уран"] * 3 + ["Uranium exports"] * 5
                                            + ["plov recipe"] * 2)]
        await store.insert_usage(records, [])
        await store.close()

    asyncio.run(log())
    monkeypatch.setenv("BRIEFBOT_DB", str(db))
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(after))  # AFTER_DIR defaults to it
    assert main(["impact", str(before), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    logged = [(c["question"], c["asked"]) for c in found if "log" in c["from"]]
    assert logged[:2] == [("Uranium exports", 5), ("уран", 3)]
    assert main(["impact", str(before)]) == 0
    out = capsys.readouterr().out
    assert "3 from the usage log" in out
    assert "    5× “Uranium exports”" in out
    assert main(["impact", str(before), "--no-log", "--json"]) == 0
    assert all("log" not in c["from"] for c in json.loads(capsys.readouterr().out))


def test_impact_refuses_what_it_cannot_read(libraries: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before, after = libraries
    assert main(["impact", str(tmp_path / "nowhere"), str(after)]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["impact", str(before), str(after), "--questions",
                 str(tmp_path / "none.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
