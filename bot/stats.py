"""Editor statistics from logged questions: totals, top briefs, unanswered questions grouped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .render import esc
from .storage import QuestionRecord
from .text import content_tokens, normalize

QUESTION_KINDS = ("text", "inline")
GROUP_SIMILARITY = 85


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


def group_unanswered(records: Sequence[QuestionRecord]) -> list[UnansweredGroup]:
    """Group unanswered questions by similarity (same words in any order, or near-identical)."""
    groups: dict[str, UnansweredGroup] = {}
    for record in records:
        key = group_key(record.text)
        if not key:
            continue
        if key not in groups:
            near = next((k for k in groups
                         if fuzz.ratio(k, key, score_cutoff=GROUP_SIMILARITY)), None)
            if near is None:
                groups[key] = UnansweredGroup(record.text.strip())
            else:
                key = near
        group = groups[key]
        group.count += 1
        if record.brief_id:
            group.closest[record.brief_id] += 1
    return sorted(groups.values(), key=lambda g: (-g.count, g.text.lower()))


def build_report(records: Sequence[QuestionRecord], commands: dict[str, int],
                 dropped: int = 0, limit: int = 20) -> dict[str, object]:
    """The statistics as one JSON-ready object."""
    questions = [r for r in records if r.kind in QUESTION_KINDS]
    outcomes = Counter(r.outcome for r in questions)
    served = Counter(r.brief_id for r in records if r.brief_id and r.outcome == "answer")
    groups = group_unanswered([r for r in questions if r.outcome == "none"])
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
    }


def report_text(report: dict[str, object], html: bool = False) -> str:
    """The report for people: plain text for the CLI, or escaped HTML for /stats."""
    e = esc if html else (lambda s: s)
    b = (lambda s: f"<b>{s}</b>") if html else (lambda s: s)
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
    lines += [f"{u['count']:>5}  {e(u['text'])}"
              + (f"  (closest: {e(u['closest_brief'])})" if u["closest_brief"] else "")
              for u in unanswered] or ["  (none)"]
    commands = report["commands"]
    assert isinstance(commands, dict)
    if commands:
        lines += ["", b("Commands")] + [f"{n:>5}  /{e(c)}" for c, n in commands.items()]
    return "\n".join(lines)
