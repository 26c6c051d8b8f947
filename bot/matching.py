"""Matcher: an IDF-weighted fuzzy token index over briefs; match(text) -> answer/suggest/none.

Design (see shared/matching.md §3): every brief's title, keywords and tags (full weight) and its
summary and body (low weight) are normalized, transliterated to Latin skeletons and indexed per
token. A question's tokens are compared with the vocabulary by plain edit similarity, with
stricter cutoffs for short tokens; each token adds (similarity² × idf × field weight) to the
briefs that own it, and multiword keywords matched whole add a bonus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from .briefs import Brief
from .text import content_tokens, is_greeting, skeleton

Outcome = Literal["answer", "suggest", "none"]

WORD_WEIGHT = 1.0  # a keyword or tag that is a single word
PHRASE_WEIGHT = 0.7  # a word of a multiword keyword or of the title
TEXT_WEIGHT = 0.3  # a word of the summary or body
GENERIC_SHARE = 0.8  # a word in this share of all briefs is the topic itself ("kazakhstan")
GENERIC_FACTOR = 0.15
HEADLINE_BONUS = 2.0
HEADLINE_BOOST = 2.0
COVERAGE_POWER = 0.7  # score × (share of question words that matched anything) ** power
HEADLINE_MIN_TOKENS = 4
PHRASE_BONUS = 0.6
MAX_PHRASE_BONUS = 1.2
FUZZY_FLOOR = 70  # cdist cutoff; per-length cutoffs below are stricter
DOMINANCE = 5  # keep vocabulary candidates within this many points of a token's best
TOKEN_CACHE_SIZE = 20_000  # question words whose candidates a snapshot remembers


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, tuned on tests/data/questions.yaml."""

    answer: float = 1.0  # the best score must reach this to answer
    suggest: float = 0.55  # ... and this to be offered as "did you mean"
    margin: float = 0.25  # answer only when (best - second) / best is at least this
    max_suggestions: int = 3


@dataclass(frozen=True)
class Match:
    """A brief and how well a question fits it."""

    brief: Brief
    score: float
    terms: tuple[str, ...] = ()  # the question's words that hit this brief


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one question."""

    query: str
    outcome: Outcome
    matches: tuple[Match, ...] = ()  # briefs that clear the answer threshold (answer only)
    suggestions: tuple[Match, ...] = ()  # did-you-mean candidates (suggest only)
    greeting: bool = False
    closest: Match | None = None  # the nearest brief, even when the outcome is none
    ranked: tuple[Match, ...] = ()  # every candidate considered, best first

    @property
    def best(self) -> Match | None:
        """The brief to show for an answer."""
        return self.matches[0] if self.matches else None


def token_cutoff(length: int) -> int:
    """Minimum similarity for a question token of this length (≤3 chars: exact only)."""
    if length <= 3:
        return 101
    return 80 if length <= 5 else 75


def shares_stem(a: str, b: str) -> bool:
    """Inflected forms: a shared prefix of at least 5 letters and 60% of the longer word.

    Covers "invest"/"investment", "реформалары"/"реформалар" and "санкциях"/"санкции".
    """
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    return prefix >= 5 and prefix >= 0.6 * max(len(a), len(b))


def similarity(query_token: str, vocab_token: str, ratio: float) -> float:
    """Adjust a raw ratio: inflected forms of one stem count at least 85."""
    if ratio < 85 and shares_stem(query_token, vocab_token):
        return 85.0
    return ratio


@dataclass
class _Index:
    vocab: list[str] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)
    owners: list[dict[int, float]] = field(default_factory=list)

    def add(self, token: str, brief_no: int, weight: float) -> None:
        at = self.position.get(token)
        if at is None:
            at = self.position[token] = len(self.vocab)
            self.vocab.append(token)
            self.owners.append({})
        prev = self.owners[at].get(brief_no, 0.0)
        self.owners[at][brief_no] = max(prev, weight)


def _skeletons(text: str) -> list[str]:
    return [s for s in (skeleton(t) for t in content_tokens(text)) if len(s) > 1]


class Matcher:
    """Index built once from a set of briefs; `match` ranks them for a question."""

    def __init__(self, briefs: Sequence[Brief], thresholds: Thresholds | None = None) -> None:
        self.briefs = tuple(briefs)
        self.thresholds = thresholds or Thresholds()
        index = _Index()
        phrases: list[list[tuple[str, ...]]] = []
        for no, brief in enumerate(self.briefs):
            weighted, brief_phrases = brief_tokens(brief)
            for tok, weight in weighted.items():
                index.add(tok, no, weight)
            phrases.append(brief_phrases)
        self._vocab = index.vocab
        self._position = index.position
        self._has_key = [any(w > TEXT_WEIGHT for w in o.values()) for o in index.owners]
        self._idf = np.array([_idf(owners, len(self.briefs)) for owners in index.owners])
        self._headlines = _home_headlines(self.briefs)
        self._owner_ids = [np.fromiter(o.keys(), dtype=np.int64, count=len(o))
                           for o in index.owners]
        self._owner_weights = [np.fromiter(o.values(), dtype=np.float64, count=len(o))
                               for o in index.owners]
        # Each multiword keyword as the set of its vocabulary ids (its words are all indexed).
        self._phrases = [[frozenset(index.position[w] for w in phrase) for phrase in per_brief]
                         for per_brief in phrases]
        self._token_cache: dict[str, tuple[tuple[int, float], ...]] = {}

    def __len__(self) -> int:
        return len(self.briefs)

    def _candidates(self, tokens: list[str]) -> list[tuple[tuple[int, float], ...]]:
        """For each question token, the vocabulary entries it matches and their similarity.

        Looked up once per token and snapshot: questions share most of their words, so a
        word's candidates are remembered (up to TOKEN_CACHE_SIZE words, oldest dropped first).
        """
        cache = self._token_cache
        missing = [t for t in dict.fromkeys(tokens) if t not in cache]
        if missing:
            if len(cache) + len(missing) > TOKEN_CACHE_SIZE:
                for old in list(islice(cache, len(cache) + len(missing) - TOKEN_CACHE_SIZE)):
                    del cache[old]
            cache.update(zip(missing, self._lookup(missing), strict=True))
        return [cache[t] for t in tokens]

    def _lookup(self, tokens: list[str]) -> list[tuple[tuple[int, float], ...]]:
        """Vocabulary candidates for tokens not seen before (one cdist call for all of them)."""
        result: list[tuple[tuple[int, float], ...]] = [() for _ in tokens]
        fuzzy_rows = [i for i, t in enumerate(tokens)
                      if len(t) > 3 and not any(ch.isdigit() for ch in t)]
        for i, tok in enumerate(tokens):
            if i not in fuzzy_rows and tok in self._position:
                result[i] = ((self._position[tok], 100.0),)
        if fuzzy_rows and self._vocab:
            scores = process.cdist(
                [tokens[i] for i in fuzzy_rows], self._vocab, scorer=fuzz.ratio,
                score_cutoff=FUZZY_FLOOR, dtype=np.uint8,
            )
            for row, i in enumerate(fuzzy_rows):
                result[i] = tuple(self._closest(tokens[i], scores[row]))
        return result

    def _closest(self, tok: str, scores: np.ndarray) -> list[tuple[int, float]]:
        """The vocabulary entries a fuzzy token stands for, from its row of raw ratios."""
        sims = [(int(v), similarity(tok, self._vocab[v], float(scores[v])))
                for v in np.nonzero(scores)[0]]
        sims = [(v, s) for v, s in sims if s >= token_cutoff(len(tok))]
        if not sims:
            return []
        best = max(s for _, s in sims)
        top = [(v, s) for v, s in sims if s >= best - DOMINANCE]
        if not any(self._has_key[v] for v, _ in top):
            # The closest words are only body text: let keyword forms of the
            # same stem in ("invest" -> "investment").
            top += [(v, s) for v, s in sims if s < best - DOMINANCE
                    and self._has_key[v] and shares_stem(tok, self._vocab[v])]
        return top

    def score(self, text: str) -> tuple[np.ndarray, list[set[int]], list[str], float]:
        """Score every brief.

        Returns the scores, per-brief matched vocabulary ids, the question's tokens, and the
        coverage factor (the share of question tokens that matched anything, raised to a power).
        """
        tokens = list(dict.fromkeys(_skeletons(text)))
        totals = np.zeros(len(self.briefs))
        matched: list[set[int]] = [set() for _ in self.briefs]
        candidates = self._candidates(tokens)
        hit = sum(1 for c in candidates if c)
        coverage = (hit / len(tokens)) ** COVERAGE_POWER if tokens else 0.0
        for tok_candidates in candidates:
            per_brief = np.zeros(len(self.briefs))
            for v, sim in tok_candidates:
                owners = self._owner_ids[v]
                gain = self._owner_weights[v] * ((sim / 100.0) ** 2 * self._idf[v])
                per_brief[owners] = np.maximum(per_brief[owners], gain)
                for b in owners.tolist():
                    matched[b].add(v)
            totals += per_brief
        return totals, matched, tokens, coverage

    def _phrase_bonus(self, brief_no: int, matched: set[int]) -> float:
        bonus = PHRASE_BONUS * sum(1 for phrase in self._phrases[brief_no] if phrase <= matched)
        return min(bonus, MAX_PHRASE_BONUS)

    def _is_headline_of(self, brief_no: int, tokens: set[str]) -> bool:
        """True when the question is (most of) a headline whose home is this brief."""
        if len(tokens) < HEADLINE_MIN_TOKENS:
            return False
        for title in self._headlines[brief_no]:
            shared = len(title & tokens)
            if shared / len(title) >= 0.5 and shared / len(tokens) >= 0.6:
                return True
        return False

    def rank(self, text: str, limit: int = 10) -> list[Match]:
        """Briefs with a positive score, best first (at most `limit`)."""
        if not self.briefs:
            return []
        totals, matched, tokens, coverage = self.score(text)
        positive = np.nonzero(totals)[0]
        if len(positive) == 0:
            return []
        top = positive[np.argsort(-totals[positive], kind="stable")][: max(limit * 3, 10)]
        token_set = set(tokens)
        ranked = []
        for b in top.tolist():
            score = (float(totals[b]) + self._phrase_bonus(b, matched[b])) * coverage
            if self._is_headline_of(b, token_set):
                score = score * HEADLINE_BOOST + HEADLINE_BONUS
            terms = tuple(sorted({self._vocab[v] for v in matched[b]}))
            ranked.append(Match(self.briefs[b], round(score, 3), terms))
        ranked.sort(key=lambda m: -m.score)
        return ranked[:limit]

    def match(self, text: str, candidates: int = 0) -> MatchResult:
        """Decide: answer with one brief, suggest a few, or none.

        `candidates` asks for a longer ranking in `MatchResult.ranked` (inline mode lists up
        to 50) without ranking the question twice.
        """
        t = self.thresholds
        if is_greeting(text):
            return MatchResult(text, "none", greeting=True)
        ranked = tuple(self.rank(text, limit=max(t.max_suggestions, 2, candidates)))
        if not ranked or ranked[0].score < t.suggest:
            return MatchResult(text, "none", closest=ranked[0] if ranked else None,
                               ranked=ranked)
        best = ranked[0].score
        second = ranked[1].score if len(ranked) > 1 else 0.0
        if best >= t.answer and (best - second) / best >= t.margin:
            clearing = tuple(m for m in ranked if m.score >= t.answer)
            return MatchResult(text, "answer", matches=clearing, closest=ranked[0],
                               ranked=ranked)
        floor = max(t.suggest, best * 0.5)
        options = tuple(m for m in ranked if m.score >= floor)[: t.max_suggestions]
        return MatchResult(text, "suggest", suggestions=options, closest=ranked[0],
                           ranked=ranked)


@lru_cache(maxsize=50_000)
def brief_tokens(brief: Brief) -> tuple[dict[str, float], list[tuple[str, ...]]]:
    """A brief's index words with their best field weight, and its multiword phrases.

    Cached per brief version, so a reload re-tokenizes only the files that changed.
    """
    weighted: dict[str, float] = {}
    for tok in _skeletons(f"{brief.summary} {brief.body}"):
        weighted[tok] = TEXT_WEIGHT
    for text in (brief.title, *brief.keywords, *brief.tags):
        toks = _skeletons(text)
        weight = WORD_WEIGHT if len(toks) == 1 and text != brief.title else PHRASE_WEIGHT
        for tok in toks:
            weighted[tok] = max(weighted.get(tok, 0.0), weight)
    return weighted, _phrases((brief.title, *brief.keywords))


def _idf(owners: dict[int, float], n: int) -> float:
    """Smoothed IDF over the briefs that own a word as a keyword (or, failing that, in text).

    A word found in nearly every brief (the topic itself: "kazakhstan") is damped further.
    """
    key_owners = sum(1 for w in owners.values() if w > TEXT_WEIGHT) or len(owners)
    idf = math.log(1 + (n - key_owners + 0.5) / (key_owners + 0.5))
    if n >= 5 and len(owners) >= GENERIC_SHARE * n:
        idf *= GENERIC_FACTOR
    return idf


def _home_headlines(briefs: Sequence[Brief]) -> list[list[frozenset[str]]]:
    """Per brief, the source headlines it is home to: its first source, plus any source no
    brief lists first (then every brief citing it is home)."""
    first = {b.sources[0].url for b in briefs if b.sources}
    homes: list[list[frozenset[str]]] = []
    for brief in briefs:
        own = [src for i, src in enumerate(brief.sources) if i == 0 or src.url not in first]
        homes.append([t for t in (frozenset(_skeletons(src.title)) for src in own) if t])
    return homes


def _phrases(texts: Iterable[str]) -> list[tuple[str, ...]]:
    """Multiword keywords as skeleton token tuples (single words get no phrase bonus)."""
    out = []
    for text in texts:
        toks = tuple(dict.fromkeys(_skeletons(text)))
        if len(toks) >= 2:
            out.append(toks)
    return out


def closest_ids(query: str, ids: Iterable[str], limit: int = 3) -> list[str]:
    """Brief ids closest to a mistyped id (for `/brief typo`)."""
    found = process.extract(query.lower(), list(ids), scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=50)
    return [choice for choice, _score, _idx in found]


__all__ = ["Match", "MatchResult", "Matcher", "Outcome", "Thresholds", "closest_ids"]

