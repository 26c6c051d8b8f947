"""Deciding: answer with one brief, offer a did-you-mean, or say there is none.

The decision asks whether a brief *explains* the question: every specific word of it (not a
stop word, generic question word or the subject itself) must be one the brief has. A word no
brief has ("India", "wife", "Gaza") rules out an answer unless it is a common word and one
brief leads clearly; when the best brief explains the question and the runner-up does not, the
best one is answered without asking. Its numbers are all in `Thresholds`, each with its
meaning; they were set on the labelled dev questions (tests/data/dev/) and scores are counted
among the briefs on the subject, so they mean the same as the library grows (docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..briefs import Brief
from ..lexicon import is_common_word, unreadable
from .analyze import Intent, Question, Word
from .index import TEXT_WEIGHT

Outcome = Literal["answer", "suggest", "none"]
Candidates = tuple[tuple[int, float], ...]  # (word id, similarity)


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, tuned on tests/data/dev/ (never on tests/data/test/)."""

    answer: float = 0.85  # the best score must reach this to answer
    suggest: float = 0.55  # ... and this to be offered as "did you mean"
    margin: float = 0.25  # two briefs that both explain the question: answer past this lead
    answer_share: float = 0.85  # share of the question's specific weight an answer explains
    strong_share: float = 0.6  # share of the question's weight an answer's keywords explain
    suggest_share: float = 0.3  # share of the question's weight a did-you-mean explains
    # A clear lead: the best brief scores `lead_answer` times `answer` and the runner-up at
    # most `lead` of the best. It answers a question of soft words only ("when did ties
    # start"), and one whose words the best brief has in its body text rather than keywords.
    lead_answer: float = 2.0
    lead: float = 0.6
    keyed_lead: float = 0.5  # ... or the runner-ups' keywords explain at most this of its own
    # A question with a common word no brief has ("cushion", "drive"; see bot/lexicon.py):
    # answered only by a brief that leads clearly (`lead`), scores `common_answer` and explains
    # `common_keyed` of the question by its keywords; at most `max_common` such word.
    common_answer: float = 2.5
    common_keyed: float = 0.3
    max_common: int = 1
    # A question about the reader's own affairs or the bot's ("what is my routing number",
    # "thanks for your response") is answered only when the brief's keywords explain this many
    # of its specific words, or the question names the subject: one shared word is a
    # coincidence.
    personal_evidence: int = 2
    # A clear leader with no rival that explains the question ("how did the country react when
    # its neighbour invaded in February 2022"): one whose keywords explain `evidence` specific
    # words of it is answered when it explains `evidence_share` of the question, though a
    # word of it that other briefs mention ("February") is not its own.
    evidence: int = 4
    evidence_share: float = 0.6
    evidence_unread: int = 2
    keyed_unread: float = 0.5
    max_suggestions: int = 3  # did-you-mean buttons at most
    suggest_floor: float = 0.5  # a did-you-mean offers briefs within this share of the best


@dataclass(frozen=True)
class Match:
    """A brief and how well a question fits it."""

    brief: Brief
    score: float
    terms: tuple[str, ...] = ()  # the brief's words the question hit (normalized, as first seen)
    explained: float = 0.0  # share of the question's specific weight this brief accounts for
    keyed: float = 0.0  # ... by its keywords, title, tags or examples (not body text)
    cue: str = ""  # "headline" or "example" when the question is one of the brief's own
    # names in the question that no brief is keyed on and this brief does not have: another
    # brief mentions them in passing, but this one cannot explain the question
    lacks: tuple[str, ...] = ()
    specifics: int = 0  # specific question words (not soft) its keywords explain (not body text)
    in_passing: bool = False  # it explains only names of the question that it mentions in passing
    fact_missing: bool = False  # the question asks a life fact or a measure this brief lacks
    missing: tuple[str, ...] = ()  # specific question words this brief does not explain
    one_name: bool = False  # it explains only one name of the question, and not the rest
    keyed_words: tuple[str, ...] = ()  # specific question words its keywords or title explain


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one question."""

    query: str
    outcome: Outcome
    matches: tuple[Match, ...] = ()  # the answer first (answer only)
    suggestions: tuple[Match, ...] = ()  # did-you-mean candidates (suggest only)
    intent: Intent = "question"
    closest: Match | None = None  # the nearest brief, even when the outcome is none
    ranked: tuple[Match, ...] = ()  # every candidate considered, best first
    unknown: tuple[str, ...] = ()  # question words that no brief has

    @property
    def best(self) -> Match | None:
        """The brief to show for an answer."""
        return self.matches[0] if self.matches else None

    @property
    def greeting(self) -> bool:
        """A hello or a thanks rather than a question."""
        return self.intent in ("hello", "thanks")


@dataclass(frozen=True, eq=False)
class _Scores:
    """A question scored against every brief."""

    totals: np.ndarray  # per brief
    words: list[Word]
    candidates: list[Candidates]
    gains: dict[int, dict[int, tuple[float, float, int]]]  # brief -> word no -> gain, weight, id
    mass: list[float]  # per word: its weight in the question (0 for soft words)

    @property
    def unknown(self) -> list[Word]:
        """Specific words that no brief has."""
        return [w for w, c, m in zip(self.words, self.candidates, self.mass, strict=True)
                if not c and m > 0]

    def explained(self, brief_no: int, strong: bool = False) -> float:
        """Share of the question's specific weight this brief accounts for (with `strong`,
        by its keywords, title, tags or examples only)."""
        total = sum(self.mass)
        if total == 0:
            return 1.0
        have = self.gains.get(brief_no, {})
        return sum(self.mass[i] for i, (_, weight, _) in have.items()
                   if not strong or weight > TEXT_WEIGHT) / total


def forgivable(question: Question, unknown: tuple[str, ...], leader: Match, t: Thresholds,
               names: frozenset[str]) -> bool:
    """True when the question's unknown words are a few common words (not names: neither
    capitalized by the reader nor listed in `names`, the topic's) and the leading brief
    accounts for enough of the rest by its keywords. Never for a question after a figure
    ("how many warheads did it inherit"): the figure is what no brief has."""
    if (len(unknown) > t.max_common or leader.score < t.common_answer or question.how_many
            or leader.keyed < t.common_keyed or leader.in_passing or leader.one_name
            or any(w in question.names or w in names for w in unknown)):
        return False
    if all(is_common_word(w, question.in_latin) for w in unknown):
        return True
    # A word no dictionary here can read (Kazakh, a Cyrillic word Russian lacks): forgiven
    # when the brief's keywords explain `evidence_unread` specific words and it is no name.
    return (leader.specifics >= t.evidence_unread and leader.keyed >= t.keyed_unread
            and all(unreadable(w) for w in unknown))


def well_evidenced(leader: Match, t: Thresholds) -> bool:
    """True when the clear leader's keywords explain `evidence` specific words of the
    question and it explains `evidence_share` of it, and names nothing it lacks: the one
    credible brief, though a word of the question is not its own."""
    return (leader.specifics >= t.evidence and not leader.lacks
            and leader.explained >= t.evidence_share and leader.keyed >= t.evidence_share)


def decide(question: Question, scores: _Scores, ranked: tuple[Match, ...], t: Thresholds,
           names: frozenset[str] = frozenset(),
           about: Callable[[], tuple[Match, ...]] = tuple) -> MatchResult:
    """The outcome for a ranked question. `names`: the topic's names (never forgiven);
    `about`: the briefs about a name nearly every brief mentions, worked out only if asked."""
    text = question.text
    unknown = tuple(w.word for w in scores.unknown)
    closest = ranked[0] if ranked else None
    # "who is the current …": never answered, whatever the scores (see asks_who_holds_office)
    office = question.office
    intent: Intent = "office" if office else "question"
    none = MatchResult(text, "none", intent=intent, closest=closest, ranked=ranked,
                       unknown=unknown)
    if not ranked:
        return none
    # Candidates for an answer: briefs that explain the question, by their keywords, or by
    # their body text when they lead the rest clearly ("top US diplomat lands in Astana").
    # A question of soft words only is about one brief only when it is one's example, or
    # that brief leads clearly ("free to choose its own future").
    specific = sum(scores.mass) > 0
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    # ... or the rest score by their body text: their keywords explain at most `keyed_lead`
    # of what the leader's do ("how did relations between Kazakhstan and Russia change in
    # 2022": a brief that mentions Russia and 2022 in passing is no rival)
    runner_keyed = max((m.keyed for m in ranked[1:]), default=0.0)
    clear = (ranked[0].score >= t.lead_answer * t.answer
             and (runner_up <= ranked[0].score * t.lead
                  or (specific and runner_up < ranked[0].score and ranked[0].keyed > 0
                      and runner_keyed <= ranked[0].keyed * t.keyed_lead)))
    leader = ranked[0] if clear else None
    if unknown:
        able = ([leader] if leader is not None
                and forgivable(question, unknown, leader, t, names) else [])
    else:
        able = [m for m in ranked if m.explained >= t.answer_share and not m.lacks
                and (m.keyed >= t.strong_share or m is leader)
                and m.score >= t.answer and (specific or m.cue or m is leader)]
        if not able and leader is not None and well_evidenced(leader, t):
            able = [leader]
        # the clear leader lacks a word that only other briefs' text has ("grow", "rate"):
        # forgiven as a word no brief has would be, so no other brief's prose decides it;
        # a word another brief is keyed on ("sanctions") makes it a choice
        if (not able and leader is not None and leader.missing
                and not any(w in m.keyed_words for m in ranked[1:t.max_suggestions]
                            for w in leader.missing)
                and forgivable(question, leader.missing, leader, t, names)):
            able = [leader]
    able = [m for m in able if m.cue or not (m.in_passing or m.fact_missing)]
    if question.personal and not any(question.subject):
        able = [m for m in able if m.specifics >= t.personal_evidence]
    if able and not office:
        best = able[0]
        rivals = [m for m in ranked if m is not best and (
            m.score > best.score
            or (m in able and (best.score - m.score) / best.score < t.margin))]
        if not rivals:
            return MatchResult(text, "answer", matches=(best,), closest=best,
                               ranked=ranked, unknown=unknown)
    top = ranked[0]
    if (not specific and not top.cue and not office  # "подробнее": nothing to choose on
            and not any(question.subject)):
        return MatchResult(text, "none", intent="vague", closest=closest, ranked=ranked)
    # Body text alone suggests only a brief that has every word of the question.
    keyed = [m for m in ranked if m.keyed > 0 or m.explained >= 1.0]
    if (top.score < t.suggest or not keyed
            or max(m.explained for m in keyed) < t.suggest_share):
        found = about()
        if found:
            return MatchResult(text, "suggest", suggestions=found, intent=intent,
                               closest=top, ranked=ranked, unknown=unknown)
        return none
    floor = max(t.suggest, top.score * t.suggest_floor)
    options = tuple(m for m in keyed if m.score >= floor)[: t.max_suggestions]
    return MatchResult(text, "suggest", suggestions=options, intent=intent, closest=top,
                       ranked=ranked, unknown=unknown)
