"""The editors' report as one self-contained HTML page: inline SVG charts, no scripts, no links
to anything outside the file, so it opens offline in any browser."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
.chart{max-width:100%;height:auto}.axis{font-size:11px;fill:#555}.base{stroke:#999}
.legend span{display:inline-block;margin-right:1.2em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3em .5em;
border-bottom:1px solid #ddd;vertical-align:top}td:first-child{white-space:nowrap}
"""


def render_report_html(report: dict[str, object], days: Sequence[Day],
                       generated: dt.datetime | None = None) -> str:
    """The whole page: totals, questions per day, answer rate, top briefs, unanswered groups
    (and feedback and did-you-mean picks when the report has them)."""
    generated = generated or dt.datetime.now(dt.UTC)
    legend = "".join(f'<span><i style="background:{COLORS[o]}"></i>{LABELS[o]}</span>'
                     for o in OUTCOMES)
    sections = [
        f"<h1>briefbot report</h1><p>Generated {_e(generated.strftime('%Y-%m-%d %H:%M UTC'))}. "
        f"Questions: {_e(report.get('questions', 0))} — answered {_e(report.get('answered', 0))},"
        f" did-you-mean {_e(report.get('suggested', 0))}, unanswered "
        f"{_e(report.get('unanswered', 0))}; users: {_e(report.get('users', 0))}.</p>",
        f'<h2>Questions per day</h2><p class="legend">{legend}</p>{stacked_bars(days)}',
        f"<h2>Share answered, per day</h2>{answer_rate(days)}",
    ]
    top = report.get("top_briefs") or []
    top = top if isinstance(top, list) else []
    sections.append("<h2>Top briefs</h2>" + _table(
        ("answers", "brief"), ((t["count"], t["id"]) for t in top)))
    feedback = report.get("feedback") or []
    if isinstance(feedback, list) and feedback:
        sections.append("<h2>Feedback on answers</h2>" + _table(
            ("brief", "answered", "👍", "👎"),
            ((f["id"], f.get("answered", 0), f.get("helpful", 0), f.get("not_helpful", 0))
             for f in feedback)))
    picks = report.get("picks") or []
    if isinstance(picks, list) and picks:
        sections.append("<h2>Did-you-mean picks</h2>" + _table(
            ("times", "question", "brief chosen"),
            ((p["count"], p["text"], p["brief"]) for p in picks)))
    groups = report.get("unanswered_questions") or []
    groups = groups if isinstance(groups, list) else []
    sections.append("<h2>Unanswered questions — what to write next</h2>" + _table(
        ("times", "question", "closest brief"),
        ((g["count"], g["text"], g.get("closest_brief") or "") for g in groups)))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>briefbot report</title><style>{CSS}</style></head><body>"
            + "".join(sections) + "</body></html>")
