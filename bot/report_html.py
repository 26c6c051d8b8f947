"""The editors' report as one self-contained HTML page: inline SVG charts, no scripts, no links
to anything outside the file, so it opens offline in any browser."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

OUTCOMES = ("answer", "suggest", "none")
COLORS = {"answer": "#2e7d32", "suggest": "#f9a825", "none": "#9e9e9e"}
LABELS = {"answer": "answered", "suggest": "did-you-mean", "none": "unanswered"}
CHART_W, CHART_H, PAD = 720, 240, 40
MAX_DAYS = 400  # a longer range is cut to its last MAX_DAYS days


@dataclass(frozen=True)
class Day:
    """Questions asked on one day (UTC), by outcome."""

    day: dt.date
    answer: int = 0
    suggest: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        """Every question that day."""
        return self.answer + self.suggest + self.none

    def count(self, outcome: str) -> int:
        """Questions with this outcome."""
        return int(getattr(self, outcome))


def days_of(stamps: Iterable[tuple[float, str]]) -> list[Day]:
    """(unix time, outcome) pairs as one Day per calendar day, gaps included, oldest first."""
    counts: dict[dt.date, Counter[str]] = {}
    for at, outcome in stamps:
        day = dt.datetime.fromtimestamp(at, dt.UTC).date()
        counts.setdefault(day, Counter())[outcome] += 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    first = max(first, last - dt.timedelta(days=MAX_DAYS - 1))
    out = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        c = counts.get(day, Counter())
        out.append(Day(day, c["answer"], c["suggest"], c["none"]))
    return out


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def stacked_bars(days: Sequence[Day]) -> str:
    """Questions per day, one bar per day, stacked by outcome (an SVG element)."""
    if not days:
        return "<p>No questions yet.</p>"
    top = max(d.total for d in days) or 1
    step = (CHART_W - PAD) / len(days)
    width = max(step * 0.8, 1.0)
    parts = [f'<svg class="chart" id="per-day" viewBox="0 0 {CHART_W} {CHART_H + PAD}" '
             f'width="{CHART_W}" height="{CHART_H + PAD}" role="img" '
             'aria-label="Questions per day by outcome">',
             f'<text x="0" y="12" class="axis">{top}</text>',
             f'<line x1="{PAD}" y1="{CHART_H}" x2="{CHART_W}" y2="{CHART_H}" class="base"/>']
    label_every = max(1, len(days) // 8)
    for i, d in enumerate(days):
        x = PAD + i * step
        y = float(CHART_H)
        parts.append(f'<g class="day" data-day="{d.day.isoformat()}">')
        parts.append(f"<title>{d.day.isoformat()}: {d.answer} answered, {d.suggest} "
                     f"did-you-mean, {d.none} unanswered</title>")
        for outcome in OUTCOMES:
            h = d.count(outcome) / top * (CHART_H - 20)
            if h > 0:
                y -= h
                parts.append(f'<rect class="{outcome}" x="{x:.1f}" y="{y:.1f}" '
                             f'width="{width:.1f}" height="{h:.1f}" '
                             f'fill="{COLORS[outcome]}"/>')
        parts.append("</g>")
        if i % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{CHART_H + 16}" class="axis">'
                         f"{d.day.strftime('%d %b')}</text>")
    parts.append("</svg>")
    return "".join(parts)


def answer_rate(days: Sequence[Day]) -> str:
    """The share of questions answered, per day with questions (an SVG polyline)."""
    step = (CHART_W - PAD) / max(len(days) - 1, 1)
    asked = [(PAD + i * step, CHART_H - d.answer / d.total * (CHART_H - 20), d)
             for i, d in enumerate(days) if d.total]  # each at its own date
    if not asked:
        return "<p>No questions yet.</p>"
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in asked)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{d.day.isoformat()}: '
                   f"{d.answer}/{d.total} answered</title></circle>" for x, y, d in asked)
    return (f'<svg class="chart" id="answer-rate" viewBox="0 0 {CHART_W} {CHART_H + PAD}" '
            f'width="{CHART_W}" height="{CHART_H + PAD}" role="img" '
            'aria-label="Share of questions answered">'
            f'<text x="0" y="24" class="axis">100%</text>'
            f'<text x="0" y="{CHART_H}" class="axis">0%</text>'
            f'<line x1="{PAD}" y1="{CHART_H}" x2="{CHART_W}" y2="{CHART_H}" class="base"/>'
            f'<polyline points="{points}" fill="none" stroke="{COLORS["answer"]}" '
            f'stroke-width="2"/>{dots}</svg>')


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:760px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}h3{font-size:1em;margin-top:1.2em}
#fix-first{border-left:4px solid #c62828;padding-left:1em}
.chart{max-width:100%;height:auto}.axis{font-size:11px;fill:#555}.base{stroke:#999}
.legend span{display:inline-block;margin-right:1.2em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3em .5em;
border-bottom:1px solid #ddd;vertical-align:top}td:first-child{white-space:nowrap}
"""


def _list(report: dict[str, object], key: str) -> list[dict[str, Any]]:
    found = report.get(key)
    return found if isinstance(found, list) else []


def _pct(value: object) -> str:
    return f"{value} %" if value is not None else "–"


def _comparison(report: dict[str, object]) -> str:
    """This period and the previous one side by side, then the answer rate per language."""
    previous = report.get("previous")
    before = previous if isinstance(previous, dict) else None
    rows = [(label, report.get(key, 0), before.get(key, 0) if before else "–")
            for label, key in (("questions", "questions"), ("answered", "answered"),
                               ("did-you-mean", "suggested"), ("unanswered", "unanswered"),
                               ("readers", "users"))]
    rows.append(("answer rate", _pct(report.get("answer_rate")),
                 _pct(before.get("answer_rate")) if before else "–"))
    out = "<h2>This period and the previous one</h2>" + _table(
        ("", "this period", "previous period"), rows)
    langs = report.get("languages")
    if isinstance(langs, dict) and langs:
        was = before.get("languages", {}) if before else {}
        out += "<h3>Answer rate by language</h3>" + _table(
            ("language", "questions", "answered", "answer rate", "previous period"),
            ((lang, f["asked"], f["answered"], _pct(f["answer_rate"]),
              _pct(was.get(lang, {}).get("answer_rate")) if before else "–")
             for lang, f in langs.items()))
    return out


def _fix_first(report: dict[str, object]) -> str:
    fix = report.get("fix_first")
    fix = fix if isinstance(fix, dict) else {}
    out = ['<section id="fix-first"><h2>Fix first</h2>',
           "<h3>Unanswered questions on the subject</h3>"
           "<p>Write a brief, or add keywords to the closest one.</p>"]
    gaps = _list(report, "unanswered_questions")
    out.append(_table(("times", "question", "closest brief"),
                      ((g["count"], g["text"], g.get("closest_title") or "") for g in gaps))
               if gaps else "<p>None.</p>")
    down = fix.get("not_helpful") or []
    out.append("<h3>👎 Not helpful, by brief</h3>")
    out.append(_table(("brief", "👎 not helpful", "answers", "questions marked not helpful"),
                      ((f.get("title") or f["id"], f["not_helpful"], f["answered"],
                        "; ".join(f"{q['text']} ({q['count']}×)"
                                  for q in f.get("not_helpful_questions", [])))
                       for f in down)) if down else "<p>None.</p>")
    keys = fix.get("missing_keywords") or []
    out.append("<h3>Did-you-mean picks that point at a missing keyword</h3>")
    out.append(_table(("times", "question", "brief chosen", "add a keyword for"),
                      ((k["count"], k["text"], k["title"], ", ".join(k["words"]))
                       for k in keys)) if keys else "<p>None.</p>")
    out.append("</section>")
    return "".join(out)


def render_report_html(report: dict[str, object], days: Sequence[Day],
                       generated: dt.datetime | None = None) -> str:
    """The whole page: the period, what to fix first, this period beside the previous one,
    questions per day, answer rate, top briefs, feedback, picks and chatter."""
    generated = generated or dt.datetime.now(dt.UTC)
    legend = "".join(f'<span><i style="background:{COLORS[o]}"></i>{LABELS[o]}</span>'
                     for o in OUTCOMES)
    period = report.get("period")
    span = (f" Period: {_e(period['start'])} to {_e(period['end'])} ({_e(period['days'])} days)."
            if isinstance(period, dict) else "")
    sections = [
        f"<h1>briefbot report</h1><p>Generated {_e(generated.strftime('%Y-%m-%d %H:%M UTC'))}."
        f"{span} Questions: {_e(report.get('questions', 0))} — answered "
        f"{_e(report.get('answered', 0))}, did-you-mean {_e(report.get('suggested', 0))}, "
        f"unanswered {_e(report.get('unanswered', 0))}; users: {_e(report.get('users', 0))}."
        + (f" Greetings, thanks and questions that got the overview (not counted): "
           f"{_e(report['overview'])}." if report.get("overview") else "") + "</p>",
        _fix_first(report),
        _comparison(report),
        f'<h2>Questions per day</h2><p class="legend">{legend}</p>{stacked_bars(days)}',
        f"<h2>Share answered, per day</h2>{answer_rate(days)}",
    ]
    sections.append("<h2>Top briefs</h2>" + _table(
        ("answers", "brief"), ((t["count"], t.get("title") or t["id"])
                               for t in _list(report, "top_briefs"))))
    feedback = _list(report, "feedback")
    if feedback:
        sections.append("<h2>Feedback on answers</h2>" + _table(
            ("brief", "answered", "👍 helpful", "👎 not helpful"),
            ((f.get("title") or f["id"], f.get("answered", 0), f.get("helpful", 0),
              f.get("not_helpful", 0)) for f in feedback)))
    picks = _list(report, "picks")
    if picks:
        sections.append("<h2>Did-you-mean picks</h2>" + _table(
            ("times", "question", "brief chosen"),
            ((p["count"], p["text"], p.get("title") or p["brief"]) for p in picks)))
    chatter = _list(report, "chatter")
    if chatter:
        sections.append("<h2>Unanswered chatter (off the subject)</h2>" + _table(
            ("times", "question"), ((g["count"], g["text"]) for g in chatter)))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>briefbot report</title><style>{CSS}</style></head><body>"
            + "".join(sections) + "</body></html>")
