"""Editor statistics from logged questions: totals, top briefs, unanswered questions grouped."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from .editorial import (
    CHATTER,
    GAP,
    Editorial,
    missing_keywords,
    overview_texts,
    period_totals,
)
from .learning import feedback_summary, is_noise, pick_summary
from .render import esc, shorten
from .report_html import Day, days_of
from .storage import PickRecord, QuestionRecord, Store, VoteRecord
from .text import content_tokens, normalize

QUESTION_KINDS = ("text", "inline")
GROUP_SIMILARITY = 85
CDIST_BLOCK = 256  # distinct keys compared per block (a block x keys-so-far byte matrix)
# Distinct unanswered questions compared for grouping, most asked first: comparing is quadratic
# (2,000 take ~0.2 s); the rarer ones beyond are counted, not grouped (a report in bounded time
# however many distinct questions were logged).
MAX_GROUPED = 2000
TEXTS_PER_GROUPED = 5  # distinct texts read (normalized) per key compared: 10,000 (~0.3 s)
UNANSWERED_HEADER = "Unanswered questions on the subject (write a brief, or add keywords):"
REPORT_TEXT = 120  # characters of a question shown in /stats (the CLI shows it whole)


Stop = Callable[[], bool]  # asked between steps of a long report: True abandons it


class ReportCancelled(Exception):
    """A report was abandoned because its `stop` said so (the bot is shutting down)."""


def _never() -> bool:
    return False


@dataclass
class UnansweredGroup:
    """Unanswered questions that say the same thing, and the brief they came closest to."""

    text: str
    count: int = 0
    closest: Counter[str] = field(default_factory=Counter)

    def closest_brief(self) -> str | None:
        """The brief most often nearest to this group's questions."""
        return self.closest.most_common(1)[0][0] if self.closest else None


def group_key(text: str) -> str:
    """Sorted content words: "recipe for beshbarmak" and "Beshbarmak recipe?" share a key."""
    tokens = content_tokens(text) or normalize(text).split()
    return " ".join(sorted(set(tokens)))


def _exact_groups(records: Sequence[QuestionRecord], skip: Callable[[str], bool] | None,
                  cap: int, stop: Stop = _never) -> tuple[dict[str, UnansweredGroup], int]:
    """Questions with the same key, in order of first appearance, and how many distinct texts
    were left out: each distinct text is read once (the `cap` most asked, ties the latest
    first; the rest only counted), and texts `skip` rejects are dropped."""
    stripped = [record.text.strip() for record in records]
    counts = Counter(stripped)  # in order of first appearance
    kept = list(counts)
    left_out = max(0, len(kept) - cap)
    if left_out:
        last = {text: n for n, text in enumerate(stripped)}
        latest_first = sorted(kept, key=lambda t: -last[t])
        chosen = set(sorted(latest_first, key=lambda t: -counts[t])[:cap])
        kept = [t for t in kept if t in chosen]
    closest: dict[str, Counter[str]] = {}
    for text, record in zip(stripped, records, strict=True):
        if record.brief_id:
            closest.setdefault(text, Counter())[record.brief_id] += 1
    groups: dict[str, UnansweredGroup] = {}
    for n, text in enumerate(kept):
        if n % 1000 == 0 and stop():
            raise ReportCancelled
        if skip is not None and skip(text):
            continue
        key = group_key(text)
        if not key:
            continue
        group = UnansweredGroup(text, counts[text], closest.get(text, Counter()))
        found = groups.get(key)
        if found is None:
            groups[key] = group
        else:
            _merge(found, group)
    return groups, left_out


def _merge(into: UnansweredGroup, other: UnansweredGroup) -> None:
    into.count += other.count
    into.closest.update(other.closest)


def group_unanswered(records: Sequence[QuestionRecord],
                     cap: int = MAX_GROUPED) -> list[UnansweredGroup]:
    """The groups of `group_counted` (without the count of distinct questions left out)."""
    return group_counted(records, cap)[0]


def group_counted(records: Sequence[QuestionRecord], cap: int = MAX_GROUPED,
                  skip: Callable[[str], bool] | None = None, stop: Stop = _never
                  ) -> tuple[list[UnansweredGroup], int]:
    """Group unanswered questions by similarity (same words in any order, or near-identical);
    also returns how many distinct questions were left ungrouped (beyond `cap`).

    Identical keys are grouped in one pass; only the `cap` most frequent distinct keys are
    compared, in blocks, by rapidfuzz's `cdist` (C, outside the GIL). A key joins the first
    earlier group whose key is at least GROUP_SIMILARITY alike. CPU-bound: call it off the
    event loop.
    """
    exact, left_out = _exact_groups(records, skip, cap * TEXTS_PER_GROUPED, stop)
    keys = list(exact)
    if len(keys) > cap:  # most asked first (ties: first asked first), the rest only counted
        left_out += len(keys) - cap
        keys = sorted(keys, key=lambda k: -exact[k].count)[:cap]
    groups = [exact[k] for k in keys]
    founder = np.zeros(len(keys), dtype=bool)
    kept: list[UnansweredGroup] = []
    for start in range(0, len(keys), CDIST_BLOCK):
        if stop():
            raise ReportCancelled
        end = min(start + CDIST_BLOCK, len(keys))
        scores = process.cdist(keys[start:end], keys[:end], scorer=fuzz.ratio,
                               score_cutoff=GROUP_SIMILARITY, dtype=np.uint8, workers=1)
        for row, index in enumerate(range(start, end)):
            similar = np.flatnonzero((scores[row, :index] > 0) & founder[:index])
            if similar.size:
                _merge(groups[int(similar[0])], groups[index])
            else:
                founder[index] = True
                kept.append(groups[index])
    return sorted(kept, key=lambda g: (-g.count, g.text.lower())), left_out


def build_report(records: Sequence[QuestionRecord], commands: dict[str, int],
                 dropped: int = 0, limit: int = 20, votes: Sequence[VoteRecord] = (),
                 picks: Sequence[PickRecord] = (), stop: Stop = _never,
                 editorial: Editorial | None = None,
                 previous: Sequence[QuestionRecord] | None = None,
                 period: tuple[float, float] | None = None) -> dict[str, object]:
    """The statistics as one JSON-ready object. With `editorial` (the library's view) briefs
    carry their titles and unanswered questions are told apart: on the subject (to write),
    chatter, or the overview (never unanswered); `previous` is the period before `period`
    (start, end), shown beside it. ReportCancelled once `stop()` is true."""
    editorial = editorial or Editorial()
    questions = [r for r in records if r.kind in QUESTION_KINDS]
    totals = period_totals(questions, editorial)
    served = Counter(r.brief_id for r in records if r.brief_id and r.outcome == "answer")
    groups, ungrouped = group_counted([r for r in questions if r.outcome == "none"],
                                      skip=is_noise, stop=stop)
    kinds = [editorial.kind(g.text) for g in groups if not stop()]
    if len(kinds) < len(groups) or stop():  # each step above may take a second
        raise ReportCancelled
    gaps = [_group_json(g, editorial) for g, k in zip(groups, kinds, strict=True) if k == GAP]
    chatter = [_group_json(g, editorial) for g, k in zip(groups, kinds, strict=True)
               if k == CHATTER]
    times = sorted(r.elapsed_ms for r in questions if r.elapsed_ms is not None)
    feedback = [{**f, "title": editorial.title(str(f["id"]))}
                for f in feedback_summary(questions, votes)]
    chosen = [{**p, "title": editorial.title(str(p["brief"]))}
              for p in pick_summary(questions, picks)]
    report: dict[str, object] = {
        **{k: totals[k] for k in ("questions", "answered", "suggested", "unanswered", "users",
                                  "overview", "answer_rate", "languages")},
        "opened_by_button_or_link": sum(1 for r in records if r.kind in ("button", "deeplink")),
        "median_reply_ms": round(times[len(times) // 2], 2) if times else None,
        "top_briefs": [{"id": b, "title": editorial.title(b), "count": n}
                       for b, n in served.most_common(limit)],
        "unanswered_questions": gaps[:limit],
        "unanswered_not_grouped": ungrouped,
        "chatter": chatter[:limit],
        "commands": commands,
        "dropped_records": dropped,
        "feedback": feedback[:limit],
        "picks": chosen[:limit],
        "fix_first": {
            "unanswered": gaps[:limit],
            "not_helpful": [f for f in feedback if f["not_helpful"]][:limit],
            "missing_keywords": missing_keywords(chosen, editorial, limit),
        },
    }
    if period is not None:
        report["period"] = {"start": _day(period[0]), "end": _day(period[1]),
                            "days": max(1, round((period[1] - period[0]) / 86_400))}
    if previous is not None:
        if stop():
            raise ReportCancelled
        report["previous"] = period_totals(previous, editorial)
    return report


def _day(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()


def _group_json(group: UnansweredGroup, editorial: Editorial) -> dict[str, object]:
    closest = group.closest_brief()
    return {"text": group.text, "count": group.count, "closest_brief": closest,
            "closest_title": editorial.title(closest) if closest else None}


def report_text(report: dict[str, object], html: bool = False, limit: int | None = None) -> str:
    """The report for people: plain text for the CLI, or escaped HTML for /stats.

    With `limit`, whole lines are kept while they fit (each line closes every tag it opens,
    so nothing is ever cut inside a tag or entity) and a last line says how many were left out.
    """
    lines = report_lines(report, html)
    if limit is None:
        return "\n".join(lines)
    kept: list[str] = []
    size = 0
    for n, line in enumerate(lines):
        rest = len(lines) - n
        reserve = 0 if rest == 1 else len(f"\n… {rest} more lines (briefbot stats shows all)")
        if size + len(line) + 1 + reserve > limit:
            kept.append(f"… {rest} more lines (briefbot stats shows all)")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def _pct(value: object) -> str:
    return f"{value} %" if value is not None else "–"


def _items(report: dict[str, object], key: str) -> list[dict[str, Any]]:
    found = report.get(key)
    return found if isinstance(found, list) else []


def _totals_line(totals: dict[str, Any]) -> str:
    return (f"Questions: {totals.get('questions', 0)} (answered {totals.get('answered', 0)}, "
            f"suggested {totals.get('suggested', 0)}, unanswered {totals.get('unanswered', 0)})"
            f"; answer rate {_pct(totals.get('answer_rate'))}")


def _period_lines(report: dict[str, object]) -> list[str]:
    """This period and the one before it, side by side, and the answer rate per language."""
    lines = []
    period = report.get("period")
    if isinstance(period, dict):
        lines.append(f"Period: {period['start']} to {period['end']} ({period['days']} days)")
    lines.append(_totals_line(report) + f"; users: {report.get('users', 0)}; briefs opened "
                 f"by button or link: {report.get('opened_by_button_or_link', 0)}")
    previous = report.get("previous")
    if isinstance(previous, dict):
        lines.append("Previous period: " + _totals_line(previous)
                     + f"; users: {previous.get('users', 0)}")
    if report.get("overview"):
        lines.append(f"Greetings, thanks and questions that got the overview (not counted "
                     f"above): {report['overview']}")
    langs = report.get("languages")
    if isinstance(langs, dict) and langs:
        before = previous.get("languages", {}) if isinstance(previous, dict) else {}
        parts = []
        for lang, figures in langs.items():
            was = before.get(lang, {}).get("answer_rate") if isinstance(before, dict) else None
            parts.append(f"{lang} {_pct(figures['answer_rate'])} of {figures['asked']}"
                         + (f" (before: {_pct(was)})" if isinstance(previous, dict) else ""))
        lines.append("Answer rate by language: " + ", ".join(parts))
    return lines


def _fix_first_lines(report: dict[str, object], e: Callable[[str], str],
                     b: Callable[[str], str], cut: Callable[[str], str]) -> list[str]:
    """What to fix first: unanswered questions on the subject, briefs readers marked not
    helpful, did-you-mean picks that point at a missing keyword."""
    fix = report.get("fix_first")
    fix = fix if isinstance(fix, dict) else {}
    lines = ["", b("Fix first")]
    gaps = _items(report, "unanswered_questions")
    lines.append(UNANSWERED_HEADER)
    lines += [f"{g['count']:>5}  {e(cut(g['text']))}"
              + (f"  (closest: {e(g.get('closest_title') or g['closest_brief'])})"
                 if g.get("closest_brief") else "") for g in gaps] or ["  (none)"]
    if report.get("unanswered_not_grouped"):
        lines.append(f"  … and {report['unanswered_not_grouped']} rarer distinct questions, "
                     "not grouped")
    down = fix.get("not_helpful") or []
    lines += ["", "👎 Not helpful, by brief:"]
    for f in down:
        lines.append(f"{f['not_helpful']:>5}  {e(f.get('title') or f['id'])} (👎 not helpful "
                     f"{f['not_helpful']} of {f['answered']} answers)")
        lines += [f"       👎 {q['count']}× {e(cut(q['text']))}"
                  for q in f.get("not_helpful_questions", [])]
    if not down:
        lines.append("  (none)")
    keys = fix.get("missing_keywords") or []
    lines += ["", "Did-you-mean picks that point at a missing keyword:"]
    lines += [f"{k['count']:>5}  {e(cut(k['text']))} → {e(k['title'])}: add a keyword for "
              f"{e(', '.join(k['words']))}" for k in keys] or ["  (none)"]
    return lines


def _feedback_lines(report: dict[str, object], e: Callable[[str], str],
                    b: Callable[[str], str], cut: Callable[[str], str]) -> list[str]:
    """Readers' votes per brief and did-you-mean picks."""
    lines: list[str] = []
    feedback = _items(report, "feedback")
    if feedback:
        lines += ["", b("Answers: 👍 helpful / 👎 not helpful, per brief")]
        lines += [f"{f['answered']:>5}  {e(f.get('title') or f['id'])}  👍 helpful "
                  f"{f['helpful']}  👎 not helpful {f['not_helpful']}" for f in feedback]
    picks = _items(report, "picks")
    if picks:
        lines += ["", b("Did-you-mean picks (briefbot stats --suggest-examples)")]
        lines += [f"{p['count']:>5}  {e(cut(p['text']))} → {e(p.get('title') or p['brief'])}"
                  + ("  (after 👎 not helpful)" if p["via"] == "down" else "") for p in picks]
    return lines


def report_lines(report: dict[str, object], html: bool = False) -> list[str]:
    """The report's lines; in HTML each one is escaped and closes its own tags."""
    e = esc if html else (lambda s: s)
    b = (lambda s: f"<b>{s}</b>") if html else (lambda s: s)
    cut = (lambda s: shorten(s, REPORT_TEXT)) if html else (lambda s: s)
    lines = [b("briefbot usage"), *map(e, _period_lines(report))]
    if report.get("median_reply_ms") is not None:
        lines.append(f"Median time to answer: {report['median_reply_ms']} ms")
    if report.get("dropped_records"):
        lines.append(f"Usage records dropped (queue full, or the database could not be "
                     f"written): {report['dropped_records']}")
    lines += _fix_first_lines(report, e, b, cut)
    lines += ["", b("Top briefs")] + ([f"{t['count']:>5}  {e(t.get('title') or t['id'])}"
                                       for t in _items(report, "top_briefs")]
                                      or ["  (none yet)"])
    chatter = _items(report, "chatter")
    if chatter:
        lines += ["", b("Unanswered chatter (off the subject; nothing to write)")]
        lines += [f"{u['count']:>5}  {e(cut(u['text']))}" for u in chatter]
    lines += _feedback_lines(report, e, b, cut)
    commands = report["commands"]
    commands = commands if isinstance(commands, dict) else {}
    if commands:
        lines += ["", b("Commands")] + [f"{n:>5}  /{e(c)}" for c, n in commands.items()]
    return lines


@dataclass(frozen=True)
class Usage:
    """Everything logged in a window (`start` to `end`, unix time; start 0: from the first
    record), as read from the database, and the questions of the window just before it."""

    questions: list[QuestionRecord]
    commands: dict[str, int]
    dropped: int
    votes: list[VoteRecord]
    picks: list[PickRecord]
    start: float = 0.0
    end: float = 0.0
    earlier: list[QuestionRecord] | None = None

    def report(self, limit: int = 20, stop: Stop = _never,
               editorial: Editorial | None = None) -> dict[str, object]:
        """The statistics (CPU-bound: off the event loop in the bot)."""
        period = (self.start or min((q.at for q in self.questions), default=self.end),
                  self.end) if self.end else None
        return build_report(self.questions, self.commands, self.dropped, limit, self.votes,
                            self.picks, stop, editorial, self.earlier, period)

    def days(self, editorial: Editorial | None = None) -> list[Day]:
        """Questions per day by outcome, for the HTML report's charts (with `editorial`, those
        that got the overview, a greeting or thanks left out, as in the report's totals)."""
        skip = overview_texts(self.questions, editorial) if editorial else set()
        return days_of((q.at, q.outcome) for q in self.questions if q.kind in QUESTION_KINDS
                       and not (q.outcome == "none" and q.text in skip))


async def read_usage(store: Store, since: float, now: float | None = None) -> Usage:
    """Read a window of the usage log (from `since` to now), with readers' votes and picks,
    and, when the window has a start, the questions of the window of the same length before."""
    now = time.time() if now is None else now
    earlier: list[QuestionRecord] | None = None
    if since > 0:
        both = await store.questions(max(0.0, since - (now - since)))
        questions = [q for q in both if q.at >= since]
        earlier = [q for q in both if q.at < since]
    else:
        questions = await store.questions(since)
    return Usage(questions, await store.command_counts(since), await store.dropped(),
                 await store.votes(since), await store.picks(since), since, now, earlier)
