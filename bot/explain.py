"""Why a question gets what it gets, for editors (`briefbot ask --explain`): the words no
brief has, the nearest briefs with the words each explains and lacks, and what an editor can
change. Read from the matcher's public result only; it decides nothing itself."""

from __future__ import annotations

import unicodedata

from .impact import reply_outcome
from .matching import Match, MatchResult
from .matching.analyze import read_part
from .render import shorten
from .replies import as_typed

NEAREST = 3  # briefs shown
MIN_SCORE = 0.01  # below this a brief shares only the subject's own words: not shown
ECHO_CHARS = 200  # the question is echoed up to this many characters
WORD_CHARS = 40  # a word is shown up to this many characters, as replies show it
# Replies that are right without a brief: nothing for an editor to change.
_NO_BRIEF_NEEDED = ("greeting", "thanks", "overview", "clarify")
_OUTCOMES = {"answer": "answer", "suggest": "did-you-mean", "none": "no brief",
             "greeting": "greeting (no brief)", "thanks": "thanks (no brief)",
             "overview": "overview of the subject (no brief)",
             "clarify": "asks what about (no brief)"}


def _echo(text: str) -> str:
    """The question as typed, safe for a terminal: control characters (escape sequences,
    bells) shown as '?', and cut at `ECHO_CHARS`."""
    safe = "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    return safe if len(safe) <= ECHO_CHARS else safe[:ECHO_CHARS] + "…"


def _quoted(words: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"“{shorten(w, WORD_CHARS)}”" for w in words)


def match_record(m: Match, query: str = "") -> dict[str, object]:
    """One ranked brief as `ask --explain --json` prints it; the question's words as the
    reader typed them in `query`, the part of the question read ("univ", not "university")."""
    return {"id": m.brief.id, "score": round(m.score, 3),
            "keywords": list(as_typed(query, m.keyed_words)), "matched": list(m.terms),
            "lacks": list(as_typed(query, m.missing)), "notes": _notes(m, query)}


def _notes(m: Match, query: str = "") -> list[str]:
    notes = []
    if m.in_passing:
        notes.append("it only mentions the question's names in passing")
    if m.one_name:
        notes.append("it explains one name of the question and not the rest")
    if m.fact_missing:
        notes.append("the question asks a figure or a life fact it does not state")
    if m.lacks:
        notes.append(f"another brief is the one that names {_quoted(as_typed(query, m.lacks))}")
    return notes


def nearest(result: MatchResult) -> tuple[Match, ...]:
    """The briefs nearest the question that score at all, best first."""
    return tuple(m for m in result.ranked[:NEAREST] if m.score >= MIN_SCORE)


def hints(result: MatchResult) -> list[str]:
    """What an editor can change, from what the result shows."""
    if reply_outcome(result) in _NO_BRIEF_NEEDED:
        return []
    if result.intent == "office":
        return ["It asks who holds an office now: the reply says the briefs are written as of "
                "their dates, whatever they say. Nothing to change."]
    found: list[str] = []
    query = read_part(result.query)
    if result.unknown:
        unknown = as_typed(query, result.unknown)
        found.append(f"No brief has {_quoted(unknown)}. If a brief covers this, add "
                     "the words readers use to its keywords or examples; if none does, no "
                     "answer is the right one.")
    ranked = nearest(result)
    if not ranked:
        return found
    top = ranked[0]
    if not result.unknown and top.missing:
        missing = as_typed(query, top.missing)
        found.append(f"“{top.brief.id}” lacks {_quoted(missing)}, which other briefs "
                     "have. If it covers this, add this question to its examples (or the "
                     "words to its keywords, if they name what it is about).")
    if result.outcome == "suggest" and len(result.suggestions) > 1 and not result.unknown:
        ids = ", ".join(f"“{m.brief.id}”" for m in result.suggestions)
        found.append(f"Several briefs are close ({ids}): give each the words that set it "
                     "apart (the year, the place, the people), or add this question to the "
                     "right brief's examples.")
    if (result.outcome == "suggest" and len(result.suggestions) == 1 and not result.unknown
            and not top.missing):
        found.append(f"“{top.brief.id}” has the question's words but not enough of them as "
                     "keywords, or another brief comes close: add this question to its "
                     "examples.")
    if result.outcome != "answer" and not top.keyed_words and top.terms:
        found.append(f"“{top.brief.id}” has these words only in its text, not its keywords, "
                     "title or examples.")
    return found


def explanation(result: MatchResult) -> list[str]:
    """The lines `briefbot ask --explain` prints for one question."""
    outcome = reply_outcome(result)
    told = " (who holds an office now)" if result.intent == "office" else ""
    lines = [f"Question: {_echo(result.query)}"]
    query = read_part(result.query)
    if len(query) < len(result.query):
        lines.append(f"Read: its first {len(query):,} of {len(result.query):,} characters; "
                     "the rest is not read")
    lines.append(f"Outcome: {_OUTCOMES.get(outcome, outcome)}{told}")
    shown = result.matches or result.suggestions
    if shown:
        lines.append("  " + ", ".join(m.brief.id for m in shown))
    if result.unknown:
        lines.append(f"Words no brief has: {_quoted(as_typed(query, result.unknown))}")
    shown_ranked = nearest(result)
    if shown_ranked:
        lines.append("Nearest briefs:")
    for no, m in enumerate(shown_ranked, 1):
        lines.append(f"  {no}. {m.brief.id} (score {m.score:.2f})")
        keyed = as_typed(query, m.keyed_words)
        lines.append(f"     keywords explain: {_quoted(keyed) or 'nothing'}")
        lines.append(f"     matched in the brief: {', '.join(m.terms) or 'nothing'}")
        if m.missing:
            lines.append(f"     lacks: {_quoted(as_typed(query, m.missing))}")
        lines += [f"     note: {n}" for n in _notes(m, query)]
    found = hints(result)
    if found:
        lines.append("What to try:")
        lines += [f"  - {h}" for h in found]
    return lines


def explanation_record(result: MatchResult) -> dict[str, object]:
    """The `explain` field of `ask --explain --json`."""
    query = read_part(result.query)
    return {"read_chars": len(query),
            "unknown": list(as_typed(query, result.unknown)),
            "nearest": [match_record(m, query) for m in nearest(result)],
            "hints": hints(result)}
