"""Editor statistics from logged questions: totals, top briefs, unanswered questions grouped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from .learning import feedback_summary, is_noise, pick_summary
from .render import esc, shorten
from .report_html import Day, days_of
from .storage import PickRecord, QuestionRecord, Store, VoteRecord
from .text import content_tokens, normalize

QUESTION_KINDS = ("text", "inline")
GROUP_SIMILARITY = 85
CDIST_BLOCK = 256  # distinct keys compared per block (a block x keys-so-far byte matrix)
REPORT_TEXT = 120  # characters of a question shown in /stats (the CLI shows it whole)


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


def _exact_groups(records: Sequence[QuestionRecord]) -> dict[str, UnansweredGroup]:
    """Questions with the same key, in order of first appearance (one pass)."""
    groups: dict[str, UnansweredGroup] = {}
    for record in records:
        key = group_key(record.text)
        if not key:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = UnansweredGroup(record.text.strip())
        group.count += 1
        if record.brief_id:
            group.closest[record.brief_id] += 1
    return groups


def _merge(into: UnansweredGroup, other: UnansweredGroup) -> None:
    into.count += other.count
    into.closest.update(other.closest)


def group_unanswered(records: Sequence[QuestionRecord]) -> list[UnansweredGroup]:
    """Group unanswered questions by similarity (same words in any order, or near-identical).

    Identical keys are grouped in one pass; only distinct keys are compared, in blocks, by
    rapidfuzz's `cdist` (C, outside the GIL). A key joins the first earlier group whose key
    is at least GROUP_SIMILARITY alike. CPU-bound: call it off the event loop.
    """
    exact = _exact_groups(records)
    keys = list(exact)
    groups = [exact[k] for k in keys]
    founder = np.zeros(len(keys), dtype=bool)
    kept: list[UnansweredGroup] = []
    for start in range(0, len(keys), CDIST_BLOCK):
        stop = min(start + CDIST_BLOCK, len(keys))
        scores = process.cdist(keys[start:stop], keys[:stop], scorer=fuzz.ratio,
                               score_cutoff=GROUP_SIMILARITY, dtype=np.uint8, workers=1)
        for row, index in enumerate(range(start, stop)):
            similar = np.flatnonzero((scores[row, :index] > 0) & founder[:index])
            if similar.size:
                _merge(groups[int(similar[0])], groups[index])
            else:
                founder[index] = True
                kept.append(groups[index])
    return sorted(kept, key=lambda g: (-g.count, g.text.lower()))


def build_report(records: Sequence[QuestionRecord], commands: dict[str, int],
                 dropped: int = 0, limit: int = 20, votes: Sequence[VoteRecord] = (),
                 picks: Sequence[PickRecord] = ()) -> dict[str, object]:
    """The statistics as one JSON-ready object."""
    questions = [r for r in records if r.kind in QUESTION_KINDS]
    outcomes = Counter(r.outcome for r in questions)
    served = Counter(r.brief_id for r in records if r.brief_id and r.outcome == "answer")
    groups = group_unanswered([r for r in questions
                               if r.outcome == "none" and not is_noise(r.text)])
    times = sorted(r.elapsed_ms for r in questions if r.elapsed_ms is not None)
    return {
        "questions": len(questions),
        "answered": outcomes["answer"],
        "suggested": outcomes["suggest"],
        "unanswered": outcomes["none"],
        "users": len({r.user_key for r in records}),
        "opened_by_button_or_link": sum(1 for r in records if r.kind in ("button", "deeplink")),
        "median_reply_ms": round(times[len(times) // 2], 2) if times else None,
        "top_briefs": [{"id": b, "count": n} for b, n in served.most_common(limit)],
        "unanswered_questions": [
            {"text": g.text, "count": g.count, "closest_brief": g.closest_brief()}
            for g in groups[:limit]],
        "commands": commands,
        "dropped_records": dropped,
        "feedback": feedback_summary(questions, votes)[:limit],
        "picks": pick_summary(questions, picks)[:limit],
    }


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


def _feedback_lines(report: dict[str, object], e: Callable[[str], str],
                    b: Callable[[str], str], cut: Callable[[str], str]) -> list[str]:
    """Readers' votes per brief (with the questions that got 👎) and did-you-mean picks."""
    lines: list[str] = []
    feedback = report.get("feedback") or []
    if isinstance(feedback, list) and feedback:
        lines += ["", b("Answers: 👍 / 👎 per brief")]
        for f in feedback:
            lines.append(f"{f['answered']:>5}  {e(f['id'])}  👍 {f['helpful']}  👎 "
                         f"{f['not_helpful']}")
            lines += [f"       👎 {q['count']}× {e(cut(q['text']))}"
                      for q in f["not_helpful_questions"]]
    picks = report.get("picks") or []
    if isinstance(picks, list) and picks:
        lines += ["", b("Did-you-mean picks (briefbot stats --suggest-examples)")]
        lines += [f"{p['count']:>5}  {e(cut(p['text']))} → {e(p['brief'])}"
                  + ("  (after 👎)" if p["via"] == "down" else "") for p in picks]
    return lines


def report_lines(report: dict[str, object], html: bool = False) -> list[str]:
    """The report's lines; in HTML each one is escaped and closes its own tags."""
    e = esc if html else (lambda s: s)
    b = (lambda s: f"<b>{s}</b>") if html else (lambda s: s)
    cut = (lambda s: shorten(s, REPORT_TEXT)) if html else (lambda s: s)
    lines = [b("briefbot usage"),
             f"Questions: {report['questions']} (answered {report['answered']}, "
             f"suggested {report['suggested']}, unanswered {report['unanswered']}); "
             f"users: {report['users']}; briefs opened by button or link: "
             f"{report['opened_by_button_or_link']}"]
    if report.get("median_reply_ms") is not None:
        lines.append(f"Median time to answer: {report['median_reply_ms']} ms")
    if report.get("dropped_records"):
        lines.append(f"Usage records dropped (queue full): {report['dropped_records']}")
    top = report["top_briefs"]
    assert isinstance(top, list)
    lines += ["", b("Top briefs")] + ([f"{t['count']:>5}  {e(t['id'])}" for t in top]
                                       or ["  (none yet)"])
    unanswered = report["unanswered_questions"]
    assert isinstance(unanswered, list)
    lines += ["", b("Unanswered questions - what to write next")]
    lines += [f"{u['count']:>5}  {e(cut(u['text']))}"
              + (f"  (closest: {e(u['closest_brief'])})" if u["closest_brief"] else "")
              for u in unanswered] or ["  (none)"]
    lines += _feedback_lines(report, e, b, cut)
    commands = report["commands"]
    assert isinstance(commands, dict)
    if commands:
        lines += ["", b("Commands")] + [f"{n:>5}  /{e(c)}" for c, n in commands.items()]
    return lines


@dataclass(frozen=True)
class Usage:
    """Everything logged in a window, as read from the database."""

    questions: list[QuestionRecord]
    commands: dict[str, int]
    dropped: int
    votes: list[VoteRecord]
    picks: list[PickRecord]

    def report(self, limit: int = 20) -> dict[str, object]:
        """The statistics (CPU-bound: off the event loop in the bot)."""
        return build_report(self.questions, self.commands, self.dropped, limit, self.votes,
                            self.picks)

    def days(self) -> list[Day]:
        """Questions per day by outcome, for the HTML report's charts."""
        return days_of((q.at, q.outcome) for q in self.questions if q.kind in QUESTION_KINDS)


async def read_usage(store: Store, since: float) -> Usage:
    """Read a window of the usage log, with readers' votes and picks."""
    return Usage(await store.questions(since), await store.command_counts(since),
                 await store.dropped(), await store.votes(since), await store.picks(since))
