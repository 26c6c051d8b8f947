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
# Distinct unanswered questions compared for grouping, most asked first: comparing is quadratic
# (2,000 take ~0.2 s); the rarer ones beyond are counted, not grouped (a report in bounded time
# however many distinct questions were logged).
MAX_GROUPED = 2000
TEXTS_PER_GROUPED = 5  # distinct texts read (normalized) per key compared: 10,000 (~0.3 s)
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
                 picks: Sequence[PickRecord] = (), stop: Stop = _never) -> dict[str, object]:
    """The statistics as one JSON-ready object (ReportCancelled once `stop()` is true)."""
    questions = [r for r in records if r.kind in QUESTION_KINDS]
    outcomes = Counter(r.outcome for r in questions)
    served = Counter(r.brief_id for r in records if r.brief_id and r.outcome == "answer")
    groups, ungrouped = group_counted([r for r in questions if r.outcome == "none"],
                                      skip=is_noise, stop=stop)
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
        "unanswered_not_grouped": ungrouped,
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
    top = top if isinstance(top, list) else []
    lines += ["", b("Top briefs")] + ([f"{t['count']:>5}  {e(t['id'])}" for t in top]
                                       or ["  (none yet)"])
    unanswered = report["unanswered_questions"]
    unanswered = unanswered if isinstance(unanswered, list) else []
    lines += ["", b("Unanswered questions - what to write next")]
    lines += [f"{u['count']:>5}  {e(cut(u['text']))}"
              + (f"  (closest: {e(u['closest_brief'])})" if u["closest_brief"] else "")
              for u in unanswered] or ["  (none)"]
    if report.get("unanswered_not_grouped"):
        lines.append(f"  … and {report['unanswered_not_grouped']} rarer distinct questions, "
                     "not grouped")
    lines += _feedback_lines(report, e, b, cut)
    commands = report["commands"]
    commands = commands if isinstance(commands, dict) else {}
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

    def report(self, limit: int = 20, stop: Stop = _never) -> dict[str, object]:
        """The statistics (CPU-bound: off the event loop in the bot)."""
        return build_report(self.questions, self.commands, self.dropped, limit, self.votes,
                            self.picks, stop)

    def days(self) -> list[Day]:
        """Questions per day by outcome, for the HTML report's charts."""
        return days_of((q.at, q.outcome) for q in self.questions if q.kind in QUESTION_KINDS)


async def read_usage(store: Store, since: float) -> Usage:
    """Read a window of the usage log, with readers' votes and picks."""
    return Usage(await store.questions(since), await store.command_counts(since),
                 await store.dropped(), await store.votes(since), await store.picks(since))
