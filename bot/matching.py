"""Matcher: an IDF-weighted fuzzy token index over briefs; match(text) -> answer/suggest/none.

Design (see shared/matching.md §3): every brief's title, keywords and tags (full weight) and its
summary and body (low weight) are normalized, transliterated to Latin skeletons and indexed per
token. A question's tokens are compared with the vocabulary by plain edit similarity, with
stricter cutoffs for short tokens; each token adds (similarity² × idf × field weight) to the
briefs that own it, and multiword keywords matched whole add a bonus.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from .briefs import Brief
from .pacing import Pause, no_pause, paced
from .text import content_tokens, is_greeting, skeleton

Outcome = Literal["answer", "suggest", "none"]

WORD_WEIGHT = 1.0  # a keyword or tag that is a single word
PHRASE_WEIGHT = 0.7  # a word of a multiword keyword or of the title
TEXT_WEIGHT = 0.3  # a word of the summary or body
GENERIC_SHARE = 0.8  # a word in this share of all briefs is the topic itself ("kazakhstan")
GENERIC_FACTOR = 0.15
TOPIC_WORD_SIMILARITY = 90  # a near-exact hit on such a word can still earn a did-you-mean
HEADLINE_BONUS = 2.0
HEADLINE_BOOST = 2.0
COVERAGE_POWER = 0.7  # score × (share of question words that matched anything) ** power
HEADLINE_MIN_TOKENS = 4
PHRASE_BONUS = 0.6
MAX_PHRASE_BONUS = 1.2
FUZZY_FLOOR = 70  # cdist cutoff; per-length cutoffs below are stricter
DOMINANCE = 5  # keep vocabulary candidates within this many points of a token's best
SMALL_SCORING = 400  # (word, owner) entries up to which plain Python beats array set-up
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


class Vocabulary:
    """Every index word seen in this process, each with a stable id (append-only).

    Ids never change, so a brief's word ids are computed once per brief version and a reload
    only concatenates them. Appends take a lock (indexing may run in a worker thread)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def id_of(self, word: str) -> int:
        """The word's id, adding it when new."""
        found = self.ids.get(word)
        if found is not None:
            return found
        with self._lock:
            found = self.ids.get(word)
            if found is None:
                found = self.ids[word] = len(self.words)
                self.words.append(word)
            return found


VOCABULARY = Vocabulary()


@dataclass(frozen=True, eq=False)
class BriefIndex:
    """One brief's index entries: word ids, their field weights, multiword keywords as id sets,
    and the skeletons of its source headlines."""

    ids: np.ndarray
    weights: np.ndarray
    phrases: tuple[frozenset[int], ...]
    headlines: tuple[tuple[str, frozenset[str]], ...]  # (source url, headline skeletons)


@dataclass(frozen=True, eq=False)
class _Scores:
    """A question scored against every brief."""

    totals: np.ndarray  # per brief
    owners: np.ndarray  # brief of each (candidate word, owner) entry ...
    words: np.ndarray  # ... and its word id
    tokens: list[str]  # the question's distinct skeleton tokens
    coverage: float  # (share of tokens that matched anything) ** COVERAGE_POWER
    candidates: list[tuple[tuple[int, float], ...]]  # per token: (word id, similarity)
    by_brief: dict[int, set[int]] | None = None  # matched word ids, when already grouped

    def matched(self, brief_no: int) -> set[int]:
        """Word ids of the question that hit this brief."""
        if self.by_brief is not None:
            return self.by_brief.get(brief_no, set())
        return set(self.words[self.owners == brief_no].tolist())


def _skeletons(text: str) -> list[str]:
    return [s for s in (skeleton(t) for t in content_tokens(text)) if len(s) > 1]


class Matcher:
    """Index built once from a set of briefs; `match` ranks them for a question.

    The index is stored by word id, compressed-row style: the owners of word v are
    `_owners[_starts[v]:_starts[v + 1]]` with weights `_weights[...]` in the same slice.
    Building it is a few numpy operations over per-brief arrays cached by brief version,
    so re-indexing 1,000 briefs after one file changes takes milliseconds.
    """

    def __init__(self, briefs: Sequence[Brief], thresholds: Thresholds | None = None,
                 pause: Pause = no_pause) -> None:
        self.briefs = tuple(briefs)
        self.thresholds = thresholds or Thresholds()
        parts = [brief_index(b) for b in paced(self.briefs, pause)]
        size = len(VOCABULARY.words)  # every id in `parts` is below this
        n = len(parts)
        words = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, np.int64)
        weights = np.concatenate([p.weights for p in parts]) if parts else np.zeros(0)
        owners = np.repeat(np.arange(n, dtype=np.int64), [len(p.ids) for p in parts])
        pause()
        order = np.argsort(words, kind="stable")
        words, self._weights, self._owners = words[order], weights[order], owners[order]
        counts = np.bincount(words, minlength=size)
        self._starts = np.concatenate(([0], np.cumsum(counts)))
        key_counts = np.bincount(words[self._weights > TEXT_WEIGHT], minlength=size)
        self._has_key = key_counts > 0
        self._idf = _idf(np.where(self._has_key, key_counts, counts), counts, n)
        self._generic = (counts >= GENERIC_SHARE * n) if n >= 5 else np.zeros(size, bool)
        self._live = np.nonzero(counts)[0]  # word ids some brief here owns
        pause()
        self._choices = [VOCABULARY.words[v] for v in self._live.tolist()]  # cdist's choices
        self._parts = parts
        self._first_sources = {b.sources[0].url for b in self.briefs if b.sources}
        self._headline_cache: dict[int, list[frozenset[str]]] = {}
        self._token_cache: dict[str, tuple[tuple[int, float], ...]] = {}

    @property
    def vocabulary_size(self) -> int:
        """Distinct index words across these briefs."""
        return len(self._choices)

    def clear_word_cache(self) -> None:
        """Forget remembered question words (benchmarks use it to time first-seen words)."""
        self._token_cache.clear()

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
            v = VOCABULARY.ids.get(tok)
            if i not in fuzzy_rows and v is not None and v < len(self._has_key) \
                    and self._starts[v + 1] > self._starts[v]:
                result[i] = ((v, 100.0),)
        if fuzzy_rows and self._choices:
            scores = process.cdist(
                [tokens[i] for i in fuzzy_rows], self._choices, scorer=fuzz.ratio,
                score_cutoff=FUZZY_FLOOR, dtype=np.uint8,
            )
            for row, i in enumerate(fuzzy_rows):
                result[i] = tuple(self._closest(tokens[i], scores[row]))
        return result

    def _closest(self, tok: str, scores: np.ndarray) -> list[tuple[int, float]]:
        """The vocabulary entries a fuzzy token stands for, from its row of raw ratios."""
        hits = np.nonzero(scores)[0]
        sims = [(int(v), similarity(tok, self._choices[c], float(scores[c])))
                for c, v in zip(hits.tolist(), self._live[hits].tolist(), strict=True)]
        sims = [(v, s) for v, s in sims if s >= token_cutoff(len(tok))]
        if not sims:
            return []
        best = max(s for _, s in sims)
        top = [(v, s) for v, s in sims if s >= best - DOMINANCE]
        if not any(self._has_key[v] for v, _ in top):
            # The closest words are only body text: let keyword forms of the
            # same stem in ("invest" -> "investment").
            top += [(v, s) for v, s in sims if s < best - DOMINANCE
                    and self._has_key[v] and shares_stem(tok, VOCABULARY.words[v])]
        return top

    def score(self, text: str) -> _Scores:
        """Score every brief: each question token adds, per brief, its best-matching word's
        similarity² × idf × field weight."""
        tokens = list(dict.fromkeys(_skeletons(text)))
        candidates = self._candidates(tokens)
        hit = sum(1 for c in candidates if c)
        coverage = (hit / len(tokens)) ** COVERAGE_POWER if tokens else 0.0
        n = len(self.briefs)
        flat = [(i, v, sim) for i, found in enumerate(candidates) for v, sim in found]
        entries = sum(int(self._starts[v + 1] - self._starts[v]) for _, v, _ in flat)
        if entries <= SMALL_SCORING:
            totals, by_brief = self._accumulate_small(flat, n)
            empty = np.zeros(0, np.int64)
            return _Scores(totals, empty, empty, tokens, coverage, candidates, by_brief)
        totals, owners, words = self._accumulate_arrays(flat, n)
        return _Scores(totals, owners, words, tokens, coverage, candidates)

    def _accumulate_small(self, flat: list[tuple[int, int, float]],
                          n: int) -> tuple[np.ndarray, dict[int, set[int]]]:
        """`_accumulate_arrays` in plain Python (faster for few (word, brief) entries); the
        matched word ids come grouped by brief."""
        best: dict[tuple[int, int], float] = {}
        by_brief: dict[int, set[int]] = {}
        for token_no, v, sim in flat:
            factor = (sim / 100.0) ** 2 * float(self._idf[v])
            start, stop = int(self._starts[v]), int(self._starts[v + 1])
            for b, weight in zip(self._owners[start:stop].tolist(),
                                 self._weights[start:stop].tolist(), strict=True):
                gain = weight * factor
                if gain > best.get((token_no, b), 0.0):
                    best[token_no, b] = gain
                by_brief.setdefault(b, set()).add(v)
        totals = [0.0] * n
        for (_, b), gain in best.items():
            totals[b] += gain
        return np.array(totals), by_brief

    def _accumulate_arrays(self, flat: list[tuple[int, int, float]],
                           n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per brief, the sum over question tokens of the token's best gain there (gain =
        similarity² × idf × field weight), plus every (owner, word) entry that was hit."""
        token_no = np.fromiter((f[0] for f in flat), np.int64, len(flat))
        words = np.fromiter((f[1] for f in flat), np.int64, len(flat))
        sims = np.fromiter((f[2] for f in flat), np.float64, len(flat))
        starts = self._starts[words]
        counts = self._starts[words + 1] - starts
        # Every (candidate word, owner) entry: positions into the compressed index.
        at = np.arange(int(counts.sum())) + np.repeat(starts - (np.cumsum(counts) - counts),
                                                      counts)
        owners = self._owners[at]
        gains = self._weights[at] * np.repeat((sims / 100.0) ** 2 * self._idf[words], counts)
        key = np.repeat(token_no, counts) * n + owners
        order = np.lexsort((gains, key))
        best = np.ones(len(order), dtype=bool)  # the last, largest gain of each (token, brief)
        best[:-1] = key[order][1:] != key[order][:-1]
        totals = np.bincount(owners[order][best], weights=gains[order][best], minlength=n)
        return totals, owners, np.repeat(words, counts)

    def _phrase_bonus(self, brief_no: int, matched: set[int]) -> float:
        if len(matched) < 2:  # every phrase has two words or more
            return 0.0
        bonus = PHRASE_BONUS * sum(1 for phrase in self._parts[brief_no].phrases
                                   if phrase <= matched)
        return min(bonus, MAX_PHRASE_BONUS)

    def _home_headlines(self, brief_no: int) -> list[frozenset[str]]:
        """The source headlines a brief is home to: its first source, plus any source no
        brief lists first (then every brief citing it is home). Worked out on first use."""
        found = self._headline_cache.get(brief_no)
        if found is None:
            found = self._headline_cache[brief_no] = [
                title for i, (url, title) in enumerate(self._parts[brief_no].headlines)
                if title and (i == 0 or url not in self._first_sources)]
        return found

    def _is_headline_of(self, brief_no: int, tokens: set[str]) -> bool:
        """True when the question is (most of) a headline whose home is this brief."""
        if len(tokens) < HEADLINE_MIN_TOKENS:
            return False
        for title in self._home_headlines(brief_no):
            shared = len(title & tokens)
            if shared / len(title) >= 0.5 and shared / len(tokens) >= 0.6:
                return True
        return False

    def rank(self, text: str, limit: int = 10) -> list[Match]:
        """Briefs with a positive score, best first (at most `limit`)."""
        if not self.briefs:
            return []
        return self._ranked(self.score(text), limit)

    def _ranked(self, scores: _Scores, limit: int) -> list[Match]:
        totals = scores.totals
        positive = np.nonzero(totals)[0]
        if len(positive) == 0:
            return []
        top = positive[np.argsort(-totals[positive], kind="stable")][: max(limit * 3, 10)]
        token_set = set(scores.tokens)
        scored = []
        for b in top.tolist():
            matched = scores.matched(b)
            score = (float(totals[b]) + self._phrase_bonus(b, matched)) * scores.coverage
            if self._is_headline_of(b, token_set):
                score = score * HEADLINE_BOOST + HEADLINE_BONUS
            scored.append((round(score, 3), b, matched))
        scored.sort(key=lambda item: -item[0])
        return [Match(self.briefs[b], score, tuple(sorted({VOCABULARY.words[v] for v in matched})))
                for score, b, matched in scored[:limit]]

    def _about_topic_word(self, scores: _Scores, ranked: tuple[Match, ...]) -> tuple[Match, ...]:
        """A did-you-mean for a question made only of words that nearly every brief mentions
        but only a few are about ("Blinken"): those few, when there are few enough."""
        if scores.coverage < 1.0 or not ranked:
            return ()
        about: set[int] = set()
        for found in scores.candidates:
            topical = [v for v, sim in found
                       if sim >= TOPIC_WORD_SIMILARITY and self._generic[v]]
            owners: set[int] = set()
            for v in topical:
                start, stop = self._starts[v], self._starts[v + 1]
                keyed = self._weights[start:stop] > TEXT_WEIGHT
                owners.update(self._owners[start:stop][keyed].tolist())
            if topical and not owners:
                return ()  # a word every brief uses and none is about ("united")
            about |= owners
        if not 1 <= len(about) <= self.thresholds.max_suggestions:
            return ()
        ids = {self.briefs[b].id for b in about}
        return tuple(m for m in ranked if m.brief.id in ids)

    def match(self, text: str, candidates: int = 0) -> MatchResult:
        """Decide: answer with one brief, suggest a few, or none.

        `candidates` asks for a longer ranking in `MatchResult.ranked` (inline mode lists up
        to 50) without ranking the question twice.
        """
        t = self.thresholds
        if is_greeting(text):
            return MatchResult(text, "none", greeting=True)
        if not self.briefs:
            return MatchResult(text, "none")
        scores = self.score(text)
        ranked = tuple(self._ranked(scores, max(t.max_suggestions, 2, candidates)))
        if not ranked or ranked[0].score < t.suggest:
            about = self._about_topic_word(scores, ranked)
            if about:
                return MatchResult(text, "suggest", suggestions=about, closest=ranked[0],
                                   ranked=ranked)
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


def brief_tokens(brief: Brief) -> tuple[dict[str, float], list[tuple[str, ...]]]:
    """A brief's index words with their best field weight, and its multiword phrases."""
    weighted: dict[str, float] = {}
    for tok in _skeletons(f"{brief.summary} {brief.body}"):
        weighted[tok] = TEXT_WEIGHT
    for text in (brief.title, *brief.keywords, *brief.tags):
        toks = _skeletons(text)
        weight = WORD_WEIGHT if len(toks) == 1 and text != brief.title else PHRASE_WEIGHT
        for tok in toks:
            weighted[tok] = max(weighted.get(tok, 0.0), weight)
    return weighted, _phrases((brief.title, *brief.keywords))


@lru_cache(maxsize=50_000)
def brief_index(brief: Brief) -> BriefIndex:
    """A brief's index entries by word id; cached per brief version, so a reload re-tokenizes
    only the files that changed."""
    weighted, phrases = brief_tokens(brief)
    ids = np.fromiter((VOCABULARY.id_of(w) for w in weighted), np.int64, len(weighted))
    weights = np.fromiter(weighted.values(), np.float64, len(weighted))
    return BriefIndex(
        ids, weights,
        tuple(frozenset(VOCABULARY.id_of(w) for w in phrase) for phrase in phrases),
        tuple((src.url, frozenset(_skeletons(src.title))) for src in brief.sources),
    )


def _idf(key_owners: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """Smoothed IDF over the briefs that own a word as a keyword (or, failing that, in text).

    A word found in nearly every brief (the topic itself: "kazakhstan") is damped further.
    """
    idf = np.log1p((n - key_owners + 0.5) / (key_owners + 0.5))
    if n >= 5:
        idf[owners >= GENERIC_SHARE * n] *= GENERIC_FACTOR
    return idf


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

