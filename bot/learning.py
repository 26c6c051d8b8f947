"""Learning from use: what readers said about answers, which did-you-mean briefs they chose,
and the real questions worth adding to a brief's `examples:`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import yaml

from .storage import PickRecord, QuestionRecord, VoteRecord
from .text import content_tokens, normalize, small_talk

MIN_READERS = 2  # distinct readers who took a path before it is proposed as an example


def is_noise(text: str) -> bool:
    """Greetings, thanks, emoji and punctuation: nothing an editor could write a brief on."""
    return small_talk(text) is not None or not content_tokens(text)


def _by_ask(questions: Iterable[QuestionRecord]) -> dict[str, QuestionRecord]:
    return {q.ask: q for q in questions if q.ask}


def _group(texts: Iterable[str]) -> list[tuple[str, int]]:
    """Questions counted by their normalized form (the first spelling shown), most first."""
    shown: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for text in texts:
        key = normalize(text)
        shown.setdefault(key, text.strip())
        counts[key] += 1
    return [(shown[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def feedback_summary(questions: Sequence[QuestionRecord], votes: Sequence[VoteRecord],
                     limit: int = 10) -> list[dict[str, object]]:
    """Per brief answered: how often, 👍 and 👎, and the questions that got 👎 (grouped)."""
    asks = _by_ask(questions)
    answered = Counter(q.brief_id for q in questions if q.outcome == "answer" and q.brief_id)
    helpful: Counter[str] = Counter()
    not_helpful: dict[str, list[str]] = {}
    for v in votes:
        q = asks.get(v.ask)
        if q is None or not q.brief_id:
            continue
        if v.vote == "up":
            helpful[q.brief_id] += 1
        elif v.vote == "down":
            not_helpful.setdefault(q.brief_id, []).append(q.text)
    ids = sorted(set(answered) | set(helpful) | set(not_helpful),
                 key=lambda b: (-len(not_helpful.get(b, [])), -answered[b], b))
    return [{"id": b, "answered": answered[b], "helpful": helpful[b],
             "not_helpful": len(not_helpful.get(b, [])),
             "not_helpful_questions": [{"text": t, "count": n}
                                       for t, n in _group(not_helpful.get(b, []))[:limit]]}
            for b in ids]


def pick_summary(questions: Sequence[QuestionRecord],
                 picks: Sequence[PickRecord]) -> list[dict[str, object]]:
    """Each (question, brief the reader chose) with how often, and how it was chosen
    ("suggest": from a did-you-mean; "down": after a 👎), most frequent first.

    A reader counts once per question and brief however often they press, and only a brief
    the question was offered counts (button data can be forged)."""
    asks = _by_ask(questions)
    found: Counter[tuple[str, str, str]] = Counter()
    shown: dict[tuple[str, str, str], str] = {}
    seen: set[tuple[str, str, str, str]] = set()
    readers: dict[tuple[str, str, str], set[str]] = {}
    for p in picks:
        q = asks.get(p.ask)
        if q is None or not p.brief_id or p.brief_id not in q.offered.split(","):
            continue
        key = (normalize(q.text), p.brief_id, p.via)
        if (*key, p.user_key) in seen:
            continue
        seen.add((*key, p.user_key))
        shown.setdefault(key, q.text.strip())
        found[key] += 1
        readers.setdefault(key, set()).add(p.user_key)
    return [{"text": shown[k], "brief": k[1], "via": k[2], "count": n,
             "readers": len(readers[k])}
            for k, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))]


def suggested_examples(picks: Sequence[dict[str, object]],
                       known: Mapping[str, Sequence[str]] | None = None) -> dict[str, list[str]]:
    """Per brief, the real questions readers reached it from (did-you-mean picks and
    👎-then-chosen), most frequent first, leaving out those already among its examples. A
    question is proposed only once MIN_READERS different readers took the same path (one
    reader's pick may be a slip)."""
    have = {b: {normalize(e) for e in examples} for b, examples in (known or {}).items()}
    readers: dict[tuple[str, str], int] = {}
    for p in picks:
        key = (str(p["brief"]), normalize(str(p["text"])))
        count = p.get("readers", 0)
        readers[key] = readers.get(key, 0) + (count if isinstance(count, int) else 0)
    out: dict[str, Counter[str]] = {}
    for p in picks:
        brief, text = str(p["brief"]), str(p["text"])
        if normalize(text) in have.get(brief, ()) or readers[brief, normalize(text)] < MIN_READERS:
            continue
        count = p["count"]
        out.setdefault(brief, Counter())[text] += count if isinstance(count, int) else 1
    return {b: [t for t, _ in c.most_common()] for b, c in sorted(out.items())}


def examples_yaml(suggestions: dict[str, list[str]], unicode: bool = True) -> str:
    """Ready to paste: a commented `examples:` block per brief file (nothing is changed);
    without `unicode` (a terminal that cannot show Cyrillic), in quoted '\\u' escapes, which
    read back as the same text."""
    if not suggestions:
        return ("# No questions to suggest yet: no did-you-mean brief has been picked for the "
                f"same question by {MIN_READERS} or more readers.\n")
    parts = []
    for brief, texts in suggestions.items():
        block = yaml.safe_dump({"examples": texts}, allow_unicode=unicode, sort_keys=False,
                               width=99)
        parts.append(f"# briefs/{brief}.yaml — add to its examples:\n{block}")
    return "\n".join(parts)
