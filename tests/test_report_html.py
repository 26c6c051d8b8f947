"""The editors' HTML report: self-contained, one bar per day, and rendered by a real browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.report_html import Day, days_of, render_report_html

DAY = 86_400.0
START = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC).timestamp()
REPORT: dict[str, object] = {
    "questions": 7, "answered": 4, "suggested": 1, "unanswered": 2, "users": 3,
    "top_briefs": [{"id": "csto-sco", "count": 3}, {"id": "trade-investment", "count": 1}],
    "unanswered_questions": [{"text": "<script>alert(1)</script> beshbarmak", "count": 2,
                              "closest_brief": None}],
    "feedback": [{"id": "csto-sco", "answered": 3, "helpful": 2, "not_helpful": 1,
                  "title": "Kazakhstan in the CSTO and the SCO"}],
    "picks": [{"text": "odkb & sco", "brief": "csto-sco", "count": 1}],
    "fix_first": {"not_helpful": [{"id": "csto-sco", "answered": 3, "helpful": 2,
                                   "not_helpful": 1, "title": "Kazakhstan in the CSTO and the SCO",
                                   "not_helpful_questions": [{"text": "csto?", "count": 1}]}],
                  "missing_keywords": []},
}


def stamps() -> list[tuple[float, str]]:
    """Questions on days 0, 1 and 4 (days 2 and 3 had none)."""
    return [(START, "answer"), (START + 60, "answer"), (START + 120, "none"),
            (START + DAY, "suggest"), (START + DAY + 5, "answer"),
            (START + 4 * DAY, "none"), (START + 4 * DAY + 1, "answer")]


def test_days_include_the_gaps() -> None:
    days = days_of(stamps())
    assert [d.day.day for d in days] == [1, 2, 3, 4, 5]
    assert [(d.answer, d.suggest, d.none) for d in days] == [
        (2, 0, 1), (1, 1, 0), (0, 0, 0), (0, 0, 0), (1, 0, 1)]
    assert days_of([]) == []


class _Refs(HTMLParser):
    """Every URL-bearing attribute and every script in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action")]


def test_the_page_is_self_contained_and_escaped() -> None:
    page = render_report_html(REPORT, days_of(stamps()))
    refs = _Refs()
    refs.feed(page)
    assert refs.scripts == 0 and refs.refs == []
    assert "url(" not in page and "@import" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; beshbarmak" in page
    assert "odkb &amp; sco" in page
    assert page.count('<g class="day"') == 5


def test_an_empty_report_still_renders() -> None:
    page = render_report_html({"questions": 0}, [])
    assert "No questions yet." in page and "<svg" not in page


def _chromium() -> str | None:
    return next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/bin/chromium") if p and Path(p).exists()), None)


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(_chromium() is None, reason="Debian's chromium is not installed "
                    "(.ci/run installs it with apt-get when it can)")
def test_a_real_browser_renders_one_bar_per_day(tmp_path: Path) -> None:
    days = [*days_of(stamps()), Day(dt.date(2026, 3, 6), 3, 1, 0)]
    page = tmp_path / "report.html"
    page.write_text(render_report_html(REPORT, days), "utf-8")
    chromium = _chromium()
    assert chromium is not None
    profile = tmp_path / "profile"
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                          "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert "briefbot report" in dom
    text = re.sub(r"<[^>]+>", " ", dom)
    assert text.index("Fix first") < text.index("Questions per day")  # the to-do list first
    assert "👍 helpful" in text and "👎 not helpful" in text  # words beside the emoji
    assert "Kazakhstan in the CSTO and the SCO" in text  # titles, not ids
    bars = re.findall(r'<g class="day" data-day="([\d-]+)"', dom)
    assert bars == [f"2026-03-0{n}" for n in range(1, 7)]
    shot = tmp_path / "report.png"
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=800,1000", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 5_000  # a blank page is a few hundred bytes
