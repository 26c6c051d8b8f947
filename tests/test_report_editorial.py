"""The editors' report as a to-do list: fix first at the top (gaps on the subject, 👎 by
brief, picks that point at a missing keyword), chatter apart, the overview and thanks never
unanswered, titles not ids, text beside emoji, this period beside the previous one, the
answer rate per language, and examples proposed only once two readers took the same path."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from bot.editorial import CHATTER, GAP, OVERVIEW, editorial_for, language_of
from bot.learning import examples_yaml, suggested_examples
from bot.library import load_library
from bot.report_html import render_report_html
from bot.stats import build_report, read_usage, report_lines
from bot.storage import PickRecord, QuestionRecord, Store, VoteRecord

NOW = 1_800_000_000.0
DAY = 86_400.0


def asked(text: str, outcome: str, brief: str | None = None, user: str = "u1",
          at: float = NOW - DAY, ask: str | None = None) -> QuestionRecord:
    """A logged question; an answer's or did-you-mean's buttons offered its brief."""
    return QuestionRecord(at, user, "private", "text", text, outcome, brief, 0.5, 1.0, ask,
                          brief or "")


def test_unanswered_questions_are_told_apart(briefs_dir: Path) -> None:
    library, _ = load_library(briefs_dir)
    editorial = editorial_for(library)
    assert editorial.kind("Kazakhstan") == OVERVIEW
    assert editorial.kind("США и Казахстан") == OVERVIEW
    assert editorial.kind("thanks!") == OVERVIEW
    assert editorial.kind("plov recipe") == CHATTER
    assert editorial.kind("weather tomorrow") == CHATTER
    assert editorial.kind("рецепт плова") == CHATTER
    assert editorial.kind("does Kazakhstan sell uranium to America") == GAP
    assert editorial.kind("what happened in 2025") == GAP
    assert editorial.kind("Қазақстан уран экспорты") == GAP


def test_fix_first_comes_first_with_titles_and_chatter_apart(briefs_dir: Path) -> None:
    library, _ = load_library(briefs_dir)
    records = [
        asked("Kazakhstan", "none"), asked("thanks", "none"), asked("спасибо", "none"),
        asked("plov recipe", "none"), asked("plov recipe", "none", user="u2"),
        asked("does Kazakhstan sell uranium to America", "none", "trade-investment"),
        asked("is kazakhstan in the csto", "answer", "csto-sco", ask="a1"),
        asked("csto odkb", "answer", "csto-sco", user="u2", ask="a2"),
        asked("zhumbaktas csto", "suggest", "csto-sco", ask="a3"),
    ]
    votes = [VoteRecord(NOW, "u1", "a1", "down"), VoteRecord(NOW, "u2", "a2", "up")]
    picks = [PickRecord(NOW, "u1", "a3", "csto-sco", "suggest")]
    report = build_report(records, {}, votes=votes, picks=picks,
                          editorial=editorial_for(library))
    assert (report["questions"], report["answered"], report["suggested"],
            report["unanswered"], report["overview"]) == (6, 2, 1, 3, 3)
    assert [g["text"] for g in report["unanswered_questions"]] == [
        "does Kazakhstan sell uranium to America"]
    assert report["unanswered_questions"][0]["closest_title"] == \
        library.get("trade-investment").title  # type: ignore[union-attr]
    assert [(g["text"], g["count"]) for g in report["chatter"]] == [("plov recipe", 2)]
    fix = report["fix_first"]
    assert isinstance(fix, dict)
    title = library.get("csto-sco").title  # type: ignore[union-attr]
    assert [(f["title"], f["not_helpful"]) for f in fix["not_helpful"]] == [(title, 1)]
    assert [(k["text"], k["title"], k["words"]) for k in fix["missing_keywords"]] == [
        ("zhumbaktas csto", title, ["zhumbaktas"])]
    lines = report_lines(report)
    text = "\n".join(lines)
    assert lines.index("Fix first") < lines.index("Top briefs")
    assert "csto-sco" not in text and title in text
    assert "👍 helpful 1" in text and "👎 not helpful 1" in text
    assert "add a keyword for zhumbaktas" in text
    chatter = lines.index("Unanswered chatter (off the subject; nothing to write)")
    assert lines[chatter + 1].strip() == "2  plov recipe"
    page = render_report_html(report, [])
    assert page.index('id="fix-first"') < page.index("Questions per day")
    assert "<th>👍 helpful</th>" in page and "<th>👎 not helpful</th>" in page
    assert title in page and ">csto-sco<" not in page


async def test_the_period_sits_beside_the_previous_one(store: Store, briefs_dir: Path) -> None:
    library, _ = load_library(briefs_dir)
    now = time.time()
    this = [asked("Kazakhstan", "none", at=now - 2 * DAY),  # the overview: not counted
            asked("csto", "answer", "csto-sco", at=now - 2 * DAY),
            asked("санкции против России", "answer", "sanctions-spillover", at=now - 3 * DAY),
            asked("санкции", "suggest", "sanctions-spillover", at=now - 3 * DAY),
            asked("АҚШ пен Қазақстан сауда", "answer", "trade-investment", at=now - DAY)]
    before = [asked("csto", "none", at=now - 40 * DAY), asked("csto", "answer", "csto-sco",
                                                              at=now - 45 * DAY),
              asked("very old", "none", at=now - 90 * DAY)]
    await store.insert_usage(this + before, [])
    usage = await read_usage(store, now - 30 * DAY, now)
    report = usage.report(editorial=editorial_for(library))
    previous = report["previous"]
    assert isinstance(previous, dict)
    assert (report["questions"], report["answer_rate"]) == (4, 75.0)
    assert (previous["questions"], previous["answer_rate"]) == (2, 50.0)
    assert report["languages"] == {
        "en": {"asked": 1, "answered": 1, "answer_rate": 100.0},
        "ru": {"asked": 2, "answered": 1, "answer_rate": 50.0},
        "kk": {"asked": 1, "answered": 1, "answer_rate": 100.0}}
    assert report["period"] == {"start": usage_day(now - 30 * DAY), "end": usage_day(now),
                                "days": 30}
    text = "\n".join(report_lines(report))
    assert "Questions: 4 (answered 3, suggested 1, unanswered 0); answer rate 75.0 %" in text
    assert "Previous period: Questions: 2 (answered 1, suggested 0, unanswered 1); " \
           "answer rate 50.0 %" in text
    assert "Answer rate by language: en 100.0 % of 1 (before: 50.0 %), ru 50.0 % of 2 " \
           "(before: –), kk 100.0 % of 1 (before: –)" in text
    page = render_report_html(report, usage.days(editorial_for(library)))
    assert "<th>this period</th><th>previous period</th>" in page
    assert "<tr><td>answer rate</td><td>75.0 %</td><td>50.0 %</td></tr>" in page
    # the chart counts what the totals count: the overview is no unanswered question
    assert sum(d.total for d in usage.days(editorial_for(library))) == 4
    assert sum(d.total for d in usage.days()) == 5


def usage_day(at: float) -> str:
    import datetime as dt
    return dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()


def test_languages_by_the_letters_when_the_question_is_short() -> None:
    assert [language_of(t) for t in ("csto", "ОДКБ", "ұйым", "🙂", "what is the csto")] == [
        "en", "ru", "kk", "other", "en"]


def test_an_example_is_proposed_only_after_two_readers_took_the_same_path() -> None:
    questions = [asked("odkb kz", "suggest", "csto-sco", user="u1", ask="a1"),
                 asked("ODKB kz?", "suggest", "csto-sco", user="u2", ask="a2"),
                 asked("odkb kz", "suggest", "csto-sco", user="u1", ask="a3"),
                 asked("lone question", "suggest", "csto-sco", user="u1", ask="a4"),
                 asked("lone question", "suggest", "csto-sco", user="u1", ask="a5")]
    picks = [PickRecord(NOW, "u1", "a1", "csto-sco", "suggest"),
             PickRecord(NOW, "u2", "a2", "csto-sco", "suggest"),
             PickRecord(NOW, "u1", "a3", "csto-sco", "suggest"),
             PickRecord(NOW, "u1", "a4", "csto-sco", "suggest"),
             PickRecord(NOW, "u1", "a5", "csto-sco", "suggest")]
    report = build_report(questions, {}, picks=picks)
    chosen = report["picks"]
    assert isinstance(chosen, list)
    assert suggested_examples(chosen) == {"csto-sco": ["odkb kz"]}


def test_proposed_examples_read_back_as_asked_in_any_terminal() -> None:
    """As UTF-8 text, or (a terminal that cannot show Cyrillic) in quoted escapes: pasted into
    a brief, both read back as the readers' own question."""
    asked_ = {"sanctions-spillover": ["какие санкции против России?", "қазақ тілі"]}
    for unicode in (True, False):
        block = examples_yaml(asked_, unicode)
        body = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        assert body.isascii() is not unicode
        assert yaml.safe_load(body) == {"examples": asked_["sanctions-spillover"]}
