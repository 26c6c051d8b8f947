"""What a change to the briefs does to readers before it is published: questions (from the
usage log, the example questions, a file) replayed against two libraries, and every question
whose outcome changes, grouped by how it changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .library import Library
from .matching import MatchResult
from .text import normalize

ANSWER, SUGGEST, NONE = "answer", "suggest", "none"
# Replies with no brief that are not "I have no brief on that": what `ask --json` and impact
# call them, by the matcher's reading of the message (MatchResult.intent).
SMALL_TALK = {"hello": "greeting", "thanks": "thanks", "subject": "overview",
              "acknowledge": "clarify", "vague": "clarify"}
# The order groups are shown in: answers lost or moved first.
CHANGES = ("answer → other brief", "answer → did-you-mean", "answer → no answer",
           "did-you-mean → answer", "did-you-mean → other did-you-mean",
           "did-you-mean → no answer", "no answer → answer", "no answer → did-you-mean",
           "no answer → other reply without a brief")
_NAMES = {ANSWER: "answer", SUGGEST: "did-you-mean", NONE: "no answer",
          "greeting": "greeting", "thanks": "you're welcome", "overview": "overview",
          "clarify": "asks what about"}


def reply_outcome(result: MatchResult) -> str:
    """What a reader gets, as `ask --json` names it: answer, suggest, none, or a reply
    with no brief that is not a refusal: greeting, thanks, overview, clarify."""
    if result.outcome != NONE:
        return result.outcome
    return SMALL_TALK.get(result.intent, NONE)


@dataclass(frozen=True)
class Outcome:
    """What a reader gets: an answer (one brief), a did-you-mean (its briefs), or none."""

    kind: str
    briefs: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # the words the question hit in the first brief (why)

    def describe(self) -> str:
        """'answer: Title', 'did-you-mean: A | B', 'no answer', 'greeting'."""
        if self.kind not in (ANSWER, SUGGEST):
            return _NAMES.get(self.kind, self.kind)
        return f"{_NAMES[self.kind]}: {' | '.join(self.titles)}"


def outcome(library: Library, question: str) -> Outcome:
    """The outcome of one question, through the matcher's public result (as `ask --json`)."""
    result = library.match(question)
    if result.outcome == ANSWER and result.best is not None:
        chosen = result.matches[:1]
    elif result.outcome == SUGGEST:
        chosen = result.suggestions
    else:
        return Outcome(reply_outcome(result))
    return Outcome(result.outcome, tuple(m.brief.id for m in chosen),
                   tuple(m.brief.title for m in chosen), chosen[0].terms if chosen else ())


def _group(kind: str) -> str:
    return kind if kind in (ANSWER, SUGGEST) else NONE


def change(before: Outcome, after: Outcome) -> str | None:
    """How an outcome changed (one of CHANGES), or None when a reader gets the same."""
    if (before.kind, before.briefs) == (after.kind, after.briefs):
        return None
    was, now = _group(before.kind), _group(after.kind)
    if was == now:
        return {ANSWER: "answer → other brief", SUGGEST: "did-you-mean → other did-you-mean",
                NONE: "no answer → other reply without a brief"}[was]
    return f"{_NAMES[was]} → {_NAMES[now]}"


def why(c: Changed) -> str:
    """Why a question changed, where the matcher says so cheaply: the words it now hits in
    the brief it gets (or, when it lost its brief, the words it hit there)."""
    if c.after.terms and c.after.briefs:
        return f"now on {', '.join(c.after.terms)} ({c.after.briefs[0]})"
    if c.before.terms and c.before.briefs:
        return f"was on {', '.join(c.before.terms)} ({c.before.briefs[0]})"
    return ""


@dataclass
class Question:
    """A question to replay: as first written, how often readers asked it, where it came
    from (log, examples, file)."""

    text: str
    asked: int = 0
    sources: set[str] = field(default_factory=set)


class Questions:
    """Questions gathered from several places, one entry per normalized text."""

    def __init__(self) -> None:
        self.by_key: dict[str, Question] = {}

    def add(self, texts: Iterable[str], source: str, counts: Iterable[int] | None = None) -> int:
        """Add questions from one place (`counts`: how often readers asked each); returns how
        many were read."""
        n = 0
        for text, count in zip(texts, counts or _ones(), strict=False):
            text = text.strip()
            key = normalize(text)
            if not key:
                continue
            n += 1
            entry = self.by_key.setdefault(key, Question(text))
            entry.asked += count if source == "log" else 0
            entry.sources.add(source)
        return n

    def count(self, source: str) -> int:
        """Distinct questions that came from `source`."""
        return sum(source in q.sources for q in self.by_key.values())

    def ordered(self) -> list[Question]:
        """Most asked first, then as gathered."""
        return sorted(self.by_key.values(), key=lambda q: -q.asked)


def _ones() -> Iterable[int]:
    while True:
        yield 1


@dataclass(frozen=True)
class Changed:
    """A question whose outcome differs between the two libraries."""

    question: Question
    before: Outcome
    after: Outcome
    change: str


def replay(questions: Iterable[Question], before: Library, after: Library) -> list[Changed]:
    """Every question whose outcome differs, grouped in CHANGES order, most asked first."""
    found = []
    for q in questions:
        was, now = outcome(before, q.text), outcome(after, q.text)
        kind = change(was, now)
        if kind is not None:
            found.append(Changed(q, was, now, kind))
    return sorted(found, key=lambda c: (CHANGES.index(c.change), -c.question.asked))


def report_lines(changed: list[Changed], replayed: int, origins: str) -> list[str]:
    """The impact report: a head line, then one group per kind of change with its count."""
    lines = [f"{replayed} question(s) replayed ({origins}); {len(changed)} change outcome."]
    for kind in CHANGES:
        group = [c for c in changed if c.change == kind]
        if not group:
            continue
        asked = sum(c.question.asked for c in group)
        lines += ["", f"{kind}: {len(group)} question(s)"
                  + (f", asked {asked} time(s) by readers" if asked else "")]
        for c in group:
            times = f"{c.question.asked:>5}× " if c.question.asked else "       "
            reason = why(c)
            lines.append(f"{times}“{c.question.text}”  {c.before.describe()}  →  "
                         f"{c.after.describe()}" + (f"  [{reason}]" if reason else ""))
    if not changed:
        lines.append("No reader would get a different reply.")
    return lines


def as_json(changed: list[Changed]) -> list[dict[str, object]]:
    """The changes as JSON-ready records."""
    return [{"question": c.question.text, "asked": c.question.asked,
             "from": sorted(c.question.sources), "change": c.change,
             "before": {"outcome": c.before.kind, "briefs": list(c.before.briefs),
                        "words": list(c.before.terms)},
             "after": {"outcome": c.after.kind, "briefs": list(c.after.briefs),
                       "words": list(c.after.terms)}}
            for c in changed]
