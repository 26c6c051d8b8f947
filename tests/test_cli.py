"""The briefbot command line, run in process against temporary folders."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.console import write_what_the_terminal_can
from tests.conftest import FIXTURES, ROOT, brief_yaml


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, briefs_dir: Path, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", str(briefs_dir))
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "test.db"))


def test_ask_prints_brief_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "is kazakhstan in the CSTO?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Kazakhstan in the CSTO and the SCO")
    assert "https://thediplomaticinsight.com/" in out
    assert "<b>" not in out


def test_ask_none_and_greeting(capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "beshbarmak recipe"])
    assert "I have no brief on “beshbarmak” or “recipe”" in capsys.readouterr().out
    main(["ask", "Blinken trip to India"])
    out = capsys.readouterr().out
    assert out.startswith("I have no brief on “India”. The closest I have:") and "[1]" in out
    main(["ask", "co-chaired beshbarmak"])  # a word named as the reader wrote it
    assert "“co-chaired”" in capsys.readouterr().out
    main(["ask", "?!"])  # no word at all: asked what about, nothing named as missing
    assert capsys.readouterr().out.startswith("What would you like to know?")
    main(["ask", "thanks!"])
    assert capsys.readouterr().out.startswith("You're welcome")


def test_who_holds_an_office_now_is_told_the_briefs_are_dated(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "Who is the current foreign minister of Kazakhstan?"])
    out = capsys.readouterr().out
    assert out.startswith("My briefs are written as of their dates: they don't say who holds "
                          "an office now or who came next. The closest I have:") and "[1]" in out
    main(["ask", "--lang", "ru", "Кто сейчас посол США в Казахстане?"])
    out = capsys.readouterr().out
    assert out.startswith("Мои справки составлены на определённую дату") and "Выберите тему" in out
    main(["ask", "--lang", "en", "США и Казахстан"])
    out = capsys.readouterr().out
    assert out.startswith("My subject is US–Kazakhstan relations") and "[1]" in out
    assert "My 11 briefs cover May 2022 – February 2023." in out
    main(["ask", "США и Казахстан"])  # a Russian question gets a Russian reply
    assert capsys.readouterr().out.startswith("Моя тема — отношения США и Казахстана")
    main(["ask", "hello"])
    assert capsys.readouterr().out.startswith("Hello!")


def test_ask_json_reads_stdin_in_order(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("CSTO\nhi\nsanctions ukraine\n\n"))
    assert main(["ask", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["query"] for r in records] == ["CSTO", "hi", "sanctions ukraine", ""]
    assert records[0]["outcome"] == "answer"
    assert records[0]["matches"][0]["id"] == "csto-sco"
    assert set(records[0]["matches"][0]) == {"id", "title", "score"}
    # a greeting is not "I have no brief on that": it has its own outcome
    assert records[1] == {"query": "hi", "outcome": "greeting", "matches": [],
                          "suggestions": []}
    assert records[2]["outcome"] == "suggest" and records[2]["matches"] == []
    assert len(records[2]["suggestions"]) >= 2


@pytest.mark.parametrize("message, wanted", [
    ("hello", "greeting"), ("привет", "greeting"), ("сәлем", "greeting"),
    ("thanks!", "thanks"), ("спасибо", "thanks"), ("рахмет", "thanks"),
    ("tell me more", "clarify"), ("США и Казахстан", "overview"),
    ("beshbarmak recipe", "none"),
])
def test_ask_json_names_replies_without_a_brief(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str],
                                                message: str, wanted: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(message + "\n"))
    assert main(["ask", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == wanted


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) >= 10
    first = records[0]
    assert set(first) == {"id", "title", "tags", "date", "sources"}
    assert set(first["sources"][0]) == {"title", "publisher", "url", "published"}


def test_validate_ok_and_problems(briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    (briefs_dir / "bad-one.yaml").write_text(brief_yaml("bad-one").replace(
        "date: 2023-02-28", "date: yesterday") + "extra: 1\n", encoding="utf-8")
    (briefs_dir / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    out = capsys.readouterr().out
    assert "bad-one.yaml:3: date:" in out
    assert "bad-one.yaml" in out and "extra: unknown field" in out
    assert "broken.yaml:" in out and "YAML syntax error" in out


def test_missing_folder_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BRIEFBOT_BRIEFS_DIR", "/nonexistent/briefs")
    assert main(["ask", "csto"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "briefs folder not found" in err
    assert main(["validate"]) == 1


def test_chat_session(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = "/topics\n1\n/brief tokayev\n1\n/frobnicate\nwhat is the CSTO\n/quit\nnever read\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "briefs, newest first" in out
    assert "I have no brief with the id tokayev. Did you mean:" in out
    assert "Tokayev's reforms and US support for them\n" in out
    assert "I don't know the command /frobnicate" in out
    assert "Kazakhstan in the CSTO and the SCO" in out
    assert "never read" not in out


def test_console_script_runs_without_traceback(briefs_dir: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "ОДКБ"], capture_output=True, text=True,
        env={"BRIEFBOT_BRIEFS_DIR": str(briefs_dir), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "CSTO" in proc.stdout


def test_validate_fails_when_an_example_lands_on_another_brief(
        briefs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The editor's safety net: a new brief that takes another's example question makes
    validate name that example, with its file and line, and exit 1."""
    trade = (briefs_dir / "trade-investment.yaml").read_text("utf-8")
    stolen = "What was US-Kazakhstan trade turnover in 2022?"
    assert f"  - {stolen}\n" in trade
    line = trade[: trade.index(f"  - {stolen}")].count("\n") + 1
    assert main(["validate", str(briefs_dir)]) == 0
    capsys.readouterr()
    # An editor adds a brief on the same ground (here: a copy under another id).
    (briefs_dir / "trade-2022.yaml").write_text(
        trade.replace("id: trade-investment", "id: trade-2022"), "utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    out = capsys.readouterr().out
    # one line per cause and file: the examples that now go elsewhere, each with its line
    mine = [ln for ln in out.splitlines() if "trade-investment.yaml:" in ln]
    assert len(mine) == 1, out
    assert re.search(r"trade-investment\.yaml:\d+: examples: \d+ example questions that are "
                     r"not answered with this brief: each now (goes to trade-2022|gets a "
                     r"did-you-mean \((trade-2022, trade-investment|trade-investment, "
                     r"trade-2022)\))", mine[0]), out
    assert f'"{stolen}" (line {line})' in mine[0]
    # an example that asks nothing (small talk) is named too
    (briefs_dir / "trade-2022.yaml").unlink()
    (briefs_dir / "trade-investment.yaml").write_text(
        trade.replace("examples:\n", "examples:\n  - thanks a lot\n", 1), "utf-8")
    assert main(["validate", str(briefs_dir)]) == 1
    assert 'examples: "thanks a lot" now gets no answer' in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_an_unreadable_briefs_folder_is_one_line_and_exit_1_for_every_command(
        tmp_path: Path, kind: str) -> None:
    """`briefbot` (terminal chat, or the bot with a token), `briefbot run`, `validate`, `list`,
    `ask` and `chat` all say the same line and exit 1, before touching the network."""
    work = tmp_path / "work"
    work.mkdir()
    folder = work / "briefs"
    if kind == "a file":
        folder.write_text("not a folder", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "BRIEFBOT_DB": str(tmp_path / "test.db"),
           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}  # never reached
    token = {"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35}
    runs = [((), {}), ((), token), (("run",), token), (("validate",), {}), (("list",), {}),
            (("ask", "csto"), {}), (("chat",), {})]
    lines = set()
    for args, extra in runs:
        proc = subprocess.run([sys.executable, "-m", "bot", *args], env={**env, **extra},
                              cwd=work, input="", capture_output=True, text=True, timeout=60,
                              check=False)
        assert proc.returncode == 1, (args, proc.stderr)
        last = proc.stderr.splitlines()[-1]
        assert "Traceback" not in proc.stderr
        lines.add(last)
    problem = "not found" if kind == "missing" else "is a file, not a folder"
    assert lines == {f"briefbot: briefs folder {problem}: {folder} (set BRIEFBOT_BRIEFS_DIR; "
                     "the default is ./briefs in the working directory)"}


def test_ask_explain_names_the_missing_word_and_the_nearest_briefs(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--explain", "Blinken trip to India"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["Question: Blinken trip to India", "Outcome: did-you-mean"]
    assert "Words no brief has: “India”" in lines  # as the reader typed it
    assert "  1. meeting-2022-washington (score 1.16)" in lines or \
        "  1. visit-2023-astana (score 1.16)" in lines
    assert "     keywords explain: “Blinken”, “trip”" in lines
    assert lines.count("     lacks: “India”") >= 2
    hint = lines[lines.index("What to try:") + 1]
    assert hint.startswith("  - No brief has “India”. If a brief covers this, add")


def test_ask_explain_a_choice_an_answer_and_a_greeting(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--explain", "sanctions ukraine"])
    out = capsys.readouterr().out
    assert "Outcome: did-you-mean" in out and "Words no brief has" not in out
    assert "Several briefs are close (“ukraine-war-response”, “sanctions-spillover”" in out
    main(["ask", "--explain", "is kazakhstan in the CSTO?"])
    out = capsys.readouterr().out
    assert "Outcome: answer\n  csto-sco\n" in out and "What to try" not in out
    # briefs that share only the subject's own words are not "near"
    assert "2. " not in out
    main(["ask", "--explain", "hello"])
    assert capsys.readouterr().out == "Question: hello\nOutcome: greeting (no brief)\n"
    main(["ask", "--explain", "beshbarmak recipe"])
    out = capsys.readouterr().out
    assert "Nearest briefs" not in out and "No brief has “beshbarmak”, “recipe”" in out


def test_ask_explain_json_adds_the_reasons(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Blinken trip to India\nhi\n"))
    assert main(["ask", "--json", "--explain"]) == 0
    india, hello = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert india["outcome"] == "suggest" and india["explain"]["unknown"] == ["India"]
    first = india["explain"]["nearest"][0]
    assert set(first) == {"id", "score", "keywords", "matched", "lacks", "notes"}
    assert first["keywords"] == ["Blinken", "trip"] and first["lacks"] == ["India"]
    assert india["explain"]["hints"][0].startswith("No brief has “India”")
    assert hello["explain"] == {"read_chars": 2, "unknown": [], "nearest": [], "hints": []}


def test_ask_explain_echoes_no_terminal_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--explain", "\x1b[31mred\x07 beshbarmak " + "x" * 500])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Question: ?[31mred? beshbarmak x") and first.endswith("x…")
    assert "\x1b" not in first and len(first) == len("Question: ") + 201


def test_ask_explain_a_word_only_other_briefs_have(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--explain", "csto sanctions"]) == 0
    hints = capsys.readouterr().out.split("What to try:\n")[1].splitlines()
    assert hints[0].startswith("  - “csto-sco” lacks “sanctions”, which other briefs have. If "
                               "it covers this, add this question to its examples")
    assert hints[1].startswith("  - Several briefs are close (“csto-sco”, “sanctions-spillover”)")


def test_a_missing_abbreviation_is_named_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "beshbarmak univ"])  # "univ" is read as "university", and named as typed
    assert capsys.readouterr().out.startswith("I have no brief on “beshbarmak” or “univ”")


def test_ask_explain_a_question_on_who_holds_an_office_now(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--explain", "Who is the current foreign minister of Kazakhstan?"])
    out = capsys.readouterr().out
    assert "(who holds an office now)" in out.splitlines()[1]
    assert out.split("What to try:\n")[1].startswith("  - It asks who holds an office now")
    assert "Several briefs" not in out and "No brief has" not in out


def test_ask_explain_names_words_as_typed_and_as_the_brief_has_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--explain", "Ресейге салынған санкциялар Қазақстанға қалай әсер етеді?"])
    out = capsys.readouterr().out
    assert "matched in the brief: етеді, ресейге, салынған, санкциялар" in out  # not a
    # transliteration ("sanktsiyalar") an editor cannot find in the brief
    main(["ask", "--explain", "univ sanctions"])
    out = capsys.readouterr().out
    assert "“univ”" in out and "“university”" not in out  # the abbreviation as typed
    main(["ask", "--explain", "O'Brien sanctions"])
    assert "No brief has “O'Brien”" in capsys.readouterr().out


def test_ask_explain_says_how_much_of_a_long_question_it_reads(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "--explain", "trade " * 2000])
    out = capsys.readouterr().out
    assert "Read: its first 4,092 of 11,999 characters; the rest is not read" in out
    assert "“trad”" not in out  # no word cut where reading stops


def test_ask_json_writes_valid_utf8_for_bytes_that_are_not(
        monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    raw = io.BytesIO(b"\xff\xfe trade\r\nsanctions\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8",
                                                       errors="surrogateescape"))
    assert main(["ask", "--json"]) == 0
    records = [json.loads(line) for line in capsysbinary.readouterr().out.decode("utf-8")
               .splitlines()]
    assert [r["query"] for r in records] == ["\ufffd\ufffd trade", "sanctions"]


@pytest.mark.parametrize("command", [["ask", "--json"], ["chat"]])
def test_bytes_that_are_no_utf8_on_a_strict_stdin_do_not_crash(command: list[str]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8",
           "BRIEFBOT_BRIEFS_DIR": str(FIXTURES / "briefs"), "BRIEFBOT_DB": os.devnull}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.run([sys.executable, "-m", "bot", *command],
                          input=b"sanctions \xff trade\n/quit\n", env=env, cwd=ROOT,
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "sanctions \ufffd trade" in proc.stdout.decode("utf-8")


@pytest.mark.parametrize("command", [["ask", "--json"], ["ask", "Казахстан санкции"], ["chat"]])
def test_a_terminal_that_takes_only_ascii_gets_every_answer(command: list[str]) -> None:
    """Stdout in ASCII (PYTHONIOENCODING=ascii, a C locale of old): no traceback; text comes
    out with '\\u' escapes, and JSON stays valid and parses to what a UTF-8 stdout gets."""
    env = {**os.environ, "BRIEFBOT_BRIEFS_DIR": str(FIXTURES / "briefs"),
           "BRIEFBOT_DB": os.devnull}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    outputs = {}
    for encoding in ("ascii", "utf-8"):
        proc = subprocess.run([sys.executable, "-m", "bot", *command],
                              input="Казахстан санкции\n/quit\n".encode(), cwd=ROOT,
                              env={**env, "PYTHONIOENCODING": encoding},
                              capture_output=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in proc.stderr
        outputs[encoding] = proc.stdout.decode(encoding)
    assert outputs["ascii"].isascii() and "\\u041a" in outputs["ascii"]  # К, escaped
    if command == ["ask", "--json"]:
        assert [json.loads(line) for line in outputs["ascii"].splitlines()] == \
               [json.loads(line) for line in outputs["utf-8"].splitlines()]
    else:
        assert outputs["ascii"] == outputs["utf-8"].encode(
            "ascii", "backslashreplace").decode("ascii")


def test_a_stream_that_already_writes_any_character_keeps_its_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A UTF-8 locale's stdout writes a path's stray bytes back as they were
    (`surrogateescape`): only a strict stream is told to escape what it cannot write."""
    kept = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape")
    strict = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", kept)
    monkeypatch.setattr(sys, "stderr", strict)
    write_what_the_terminal_can()
    assert (kept.errors, strict.errors) == ("surrogateescape", "backslashreplace")
    print("/tmp/caf\udce9 К", file=kept)
    print("/tmp/caf\udce9 К", file=strict)
    kept.flush()
    strict.flush()
    assert kept.buffer.getvalue() == "/tmp/caf\udce9 К\n".encode("utf-8", "surrogateescape")
    assert strict.buffer.getvalue() == b"/tmp/caf\\udce9 \\u041a\n"
