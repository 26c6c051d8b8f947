"""Ranking: the briefs scored for a read question, best first; `Matcher` ties the stages.

Each question word (bot/matching/analyze.py) is matched to the index words
(bot/matching/index.py: every brief's title, keywords, tags, examples and body, with a weight
per field) by bot/matching/lookup.py. Each hit adds similarity² × idf × field weight to the briefs
that own the word, so a rare keyword counts for more than a word every brief has. The
decision is bot/matching/decide.py's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz, process

from ..briefs import Brief
from ..glossary import glossary_of
from ..lexicon import ASKED_FACTS, in_dictionary, is_name, is_place_or_person
from ..lexicon import preload as preload_lexicons
from ..pacing import Pause, no_pause, paced
from ..text import NAME_JOINERS
from ..topic import EMPTY_TOPIC, Topic
from .analyze import Word, analyze, is_wrapping
from .decide import Candidates, Match, MatchResult, Thresholds, _Scores, decide
from .index import (
    GENERIC_SHARE,
    KEYED_SHARE,
    PHRASE_WEIGHT,
    TEXT_WEIGHT,
    VOCABULARY,
    brief_index,
    central_ids,
    fragments,
    group_counts,
    idf,
    stem_groups,
)
from .lookup import WordLookup

# The bot's own topic ("kazakhstan") is in nearly every brief and a keyword of most: it tells
# briefs apart poorly, so it is down-weighted rather than dropped.
TOPIC_WORD_SIMILARITY = 85  # within one typo of a topic word ("kazakstan"): still a did-you-mean
# A pasted headline or an editor's example question names its brief outright: doubling the
# score and adding 2 puts it past twice `Thresholds.answer` (a clear answer) on its own.
HEADLINE_BONUS = 2.0
HEADLINE_BOOST = 2.0  # also scales an example question's score (see EXAMPLE_BONUS)
HEADLINE_MIN_TOKENS = 3  # specific words; fewer make a question, not a headline
EXAMPLE_BONUS = 2.0  # the question is (nearly) one of the brief's example questions
# Every word of a multiword keyword matched ("customs union"): worth about one more rare word
# (0.6); capped at two phrases so a long keyword list cannot outweigh the question's words.
PHRASE_BONUS = 0.6
MAX_PHRASE_BONUS = 1.2
Gains = dict[int, tuple[float, float, int]]  # question word no -> gain, field weight, word id
STANDING_WINDOW = 10  # briefs, by score, whose own keywords say a word stands on its own
SHORT_STEM = 4  # letters up to which a matched word is compared by its start (see _any_form)
SMALL_SCORING = 400  # (word, owner) entries up to which plain Python beats numpy's set-up
                     # cost (measured with bench/match.py)


class Matcher:
    """Index built once from a set of briefs; `match` ranks them for a question.

    The index is stored by word id, compressed-row style: the owners of word v are
    `_owners[_starts[v]:_starts[v + 1]]` with weights `_weights[...]` in the same slice.
    Building it is a few numpy operations over per-brief arrays cached by brief version,
    so re-indexing 1,000 briefs after one file changes takes milliseconds.
    """

    def __init__(self, briefs: Sequence[Brief], thresholds: Thresholds | None = None,
                 pause: Pause = no_pause, topic: Topic = EMPTY_TOPIC) -> None:
        self.briefs = tuple(briefs)
        self.thresholds = thresholds or Thresholds()
        self.topic = topic
        self.glossary = glossary_of(topic)
        preload_lexicons()  # once a process: not inside the first reader's question
        parts = [brief_index(b, topic) for b in paced(self.briefs, pause)]
        size = len(VOCABULARY.words)  # every id in `parts` is below this
        n = len(parts)
        words = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, np.int32)
        weights = np.concatenate([p.weights for p in parts]) if parts else np.zeros(0)
        owners = np.repeat(np.arange(n, dtype=np.int32), [len(p.ids) for p in parts])
        pause()
        order = np.argsort(words, kind="stable")
        words, self._weights, self._owners = words[order], weights[order], owners[order]
        counts = np.bincount(words, minlength=size)
        self._starts = np.concatenate(([0], np.cumsum(counts)))
        key_counts = np.bincount(words[self._weights > TEXT_WEIGHT], minlength=size)
        self._has_key = key_counts > 0
        groups = self._groups = stem_groups(np.nonzero(counts)[0], size)
        self._central: dict[int, frozenset[int]] = {}
        self._fragments: dict[int, dict[int, frozenset[int]]] = {}  # worked out on first use
        group_owners = group_counts(groups, words, self._owners, n, None)
        group_keys = group_counts(groups, words, self._owners, n, self._weights > TEXT_WEIGHT)
        # Evidence is counted among the briefs on the subject (those that name it): a brief on
        # something else shares no word with a question on the subject, and adding it must not
        # change how much a question's words say (IDF and shares would grow with the library).
        m = sum(1 for p in parts if p.on_subject) or n
        group_owners, group_keys = np.minimum(group_owners, m), np.minimum(group_keys, m)
        # The topic itself: in nearly every brief, and a keyword of most ("kazakhstan"), not a
        # name every brief mentions in passing but one is about ("Tileuberdi").
        self._generic = ((group_owners >= GENERIC_SHARE * m) & (group_keys >= KEYED_SHARE * m)
                         if m >= 5 else np.zeros(size, bool))
        self._idf = idf(group_keys, group_owners, self._generic, m)
        self._unknown_idf = float(np.log1p((m + 0.5) / 0.5)) if n else 0.0
        pause()
        self._words = WordLookup(np.nonzero(counts)[0], self._starts, self.glossary)
        self._parts = parts
        self._first_sources = {b.sources[0].url for b in self.briefs if b.sources}
        self._headline_cache: dict[int, list[frozenset[str]]] = {}

    @property
    def vocabulary_size(self) -> int:
        """Distinct index words across these briefs."""
        return self._words.size

    def clear_word_cache(self) -> None:
        """Forget remembered question words (benchmarks use it to time first-seen words)."""
        self._words.forget()

    def __len__(self) -> int:
        return len(self.briefs)

    def score(self, text: str, words: list[Word] | None = None) -> _Scores:
        """Score every brief: each question word adds, per brief, its best-matching index
        word's similarity² × idf × field weight (`words`: the question's, if worked out)."""
        words = list(analyze(text, self.glossary).words) if words is None else words
        candidates = self._words.candidates(words)
        n = len(self.briefs)
        flat = [(i, v, sim) for i, found in enumerate(candidates) for v, sim in found]
        entries = sum(int(self._starts[v + 1] - self._starts[v]) for _, v, _ in flat)
        if entries <= SMALL_SCORING:
            totals, gains = self._accumulate_small(flat, n)
        else:
            totals, gains = self._accumulate_arrays(flat, n)
        mass = [0.0 if w.soft or (not found and is_wrapping(w.word)) else self._mass(found)
                for w, found in zip(words, candidates, strict=True)]
        return _Scores(totals, words, candidates, gains, mass)

    def _mass(self, found: Candidates) -> float:
        """A specific word's weight in the question: its best candidate's (similarity² × idf),
        or the IDF of a word no brief has, which is the highest there is."""
        if not found:
            return self._unknown_idf
        return max((sim / 100.0) ** 2 * float(self._idf[v])
                   * (1.0 if self._has_key[v] else TEXT_WEIGHT) for v, sim in found)

    def _accumulate_small(self, flat: list[tuple[int, int, float]], n: int,
                          ) -> tuple[np.ndarray, dict[int, dict[int, tuple[float, float, int]]]]:
        """Per brief, the sum over question words of the word's best gain there; and, per
        brief and word, that gain, its field weight and the index word that gave it."""
        gains: dict[int, dict[int, tuple[float, float, int]]] = {}
        for token_no, v, sim in flat:
            factor = (sim / 100.0) ** 2 * float(self._idf[v])
            start, stop = int(self._starts[v]), int(self._starts[v + 1])
            for b, weight in zip(self._owners[start:stop].tolist(),
                                 self._weights[start:stop].tolist(), strict=True):
                gain = weight * factor
                mine = gains.setdefault(b, {})
                if gain >= mine.get(token_no, (0.0, 0.0, 0))[0]:  # ties: the last, as numpy
                    mine[token_no] = (gain, weight, v)
        totals = np.zeros(n)
        for b, mine in gains.items():
            totals[b] = sum(g for g, _, _ in mine.values())
        return totals, gains

    def _accumulate_arrays(self, flat: list[tuple[int, int, float]], n: int,
                           ) -> tuple[np.ndarray, dict[int, dict[int, tuple[float, float, int]]]]:
        """`_accumulate_small` with numpy, for many (word, owner) entries; the per-word gains
        are kept only for the briefs that can rank."""
        token_no = np.fromiter((f[0] for f in flat), np.int64, len(flat))
        words = np.fromiter((f[1] for f in flat), np.int64, len(flat))
        sims = np.fromiter((f[2] for f in flat), np.float64, len(flat))
        starts = self._starts[words]
        counts = self._starts[words + 1] - starts
        # Every (candidate word, owner) entry: positions into the compressed index.
        at = np.arange(int(counts.sum())) + np.repeat(starts - (np.cumsum(counts) - counts),
                                                      counts)
        owners = self._owners[at]
        weights = self._weights[at]
        gains = weights * np.repeat((sims / 100.0) ** 2 * self._idf[words], counts)
        tokens = np.repeat(token_no, counts)
        key = tokens * n + owners
        order = np.lexsort((gains, key))
        best = np.ones(len(order), dtype=bool)  # the last, largest gain of each (token, brief)
        best[:-1] = key[order][1:] != key[order][:-1]
        keep = order[best]
        totals = np.bincount(owners[keep], weights=gains[keep], minlength=n)
        positive = np.nonzero(totals)[0]
        top = set(positive[np.argsort(-totals[positive], kind="stable")][:50].tolist())
        by_brief: dict[int, dict[int, tuple[float, float, int]]] = {}
        ids = np.repeat(words, counts)
        for t, b, g, w, v in zip(tokens[keep].tolist(), owners[keep].tolist(),
                                 gains[keep].tolist(), weights[keep].tolist(),
                                 ids[keep].tolist(), strict=True):
            if b in top:
                by_brief.setdefault(b, {})[t] = (g, w, v)
        return totals, by_brief

    def _fragment_parts(self, brief_no: int, scores: _Scores) -> tuple[list[int], list[int]]:
        """The question's specific words (by number) this brief is keyed on as words of their
        own, and those it is keyed on only as words of a multiword keyword ("card" of "green
        card") whose other words the question lacks in any form: asked alone, such a word is
        another sense ("a new card", "my visa card")."""
        have = scores.gains.get(brief_no, {})
        keyed = [i for i, (_, weight, _) in have.items()
                 if weight > TEXT_WEIGHT and scores.mass[i] > 0]
        if not keyed:
            return [], []
        partners = self._fragments.get(brief_no)
        if partners is None:
            partners = self._fragments[brief_no] = fragments(self.briefs[brief_no], self.topic)
        own = [i for i in keyed if have[i][2] not in partners]
        if len(own) == len(keyed):
            return own, []
        size = len(self._groups)
        matched = [v for _, _, v in have.values()]
        groups = {int(self._groups[v]) for v in matched if v < size}
        short = [VOCABULARY.words[v] for v in matched if len(VOCABULARY.words[v]) <= SHORT_STEM]
        return own, [i for i in keyed if i not in own and not _any_form(
            partners[have[i][2]], groups, short, self._groups)]

    def _phrase_bonus(self, brief_no: int, matched: set[int]) -> float:
        """Multiword keywords matched whole."""
        if len(matched) < 2:  # every phrase has two words or more
            return 0.0
        return min(MAX_PHRASE_BONUS, PHRASE_BONUS * sum(
            1 for p in self._parts[brief_no].phrases if matched.issuperset(p)))

    def _is_example_of(self, brief_no: int, skels: set[str]) -> bool:
        """True when the question has (nearly) the words of one of the brief's examples."""
        return len(skels) >= 2 and any(_close(e, skels) for e in self._parts[brief_no].examples)

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

    def _ranked(self, scores: _Scores, limit: int, names: frozenset[str] = frozenset(),
                tokens: tuple[str, ...] = ()) -> list[Match]:
        totals = scores.totals
        positive = np.nonzero(totals)[0]
        if len(positive) == 0:
            return []
        top = positive[np.argsort(-totals[positive], kind="stable")][: max(limit * 3, 10)]
        skels = {w.skel for w in scores.words}
        hard = {w.skel for w in scores.words if not w.soft}  # headlines compare these
        # this ranking's own gains: fragments asked alone count less here, and the question's
        # scores stay as they were (ranking it again gives the same)
        scores = replace(scores, gains=dict(scores.gains))
        ranked_briefs = top.tolist()
        parts = {b: self._fragment_parts(b, scores) for b in ranked_briefs}
        # fragments asked alone count as body text when they are all the brief is keyed on in
        # the question; beside words of its own they still score, but are no evidence of
        # their own (Match.specifics: "my visa card" is no question on the green card)
        alone = {b: found if not own and len(found) == _keyed_count(scores, b) else []
                 for b, (own, found) in parts.items()}
        # a word one of the first STANDING_WINDOW briefs is keyed on as a word of its own (a
        # keyword, title word, tag or example word, not a fragment) is no other sense ("aid"
        # beside "humanitarian aid"): asked alone it still counts in full everywhere. A fixed
        # window: the chat and inline mode (which ranks more briefs) read a question alike.
        standing = {i for b in ranked_briefs[:STANDING_WINDOW] for i in parts[b][0]}
        scored = []
        for b in ranked_briefs:
            have = scores.gains.get(b, {})
            matched = {v for _, _, v in have.values()}
            lost = 0.0
            if alone[b] and standing.isdisjoint(alone[b]):
                have, lost = _counted_as_text(have, alone[b])
                scores.gains[b] = have
            score = float(totals[b]) - lost + self._phrase_bonus(b, tied_forms(scores, have))
            keyed, cue = scores.explained(b, strong=True), ""
            if self._is_headline_of(b, hard):  # a pasted headline of its own source
                score, keyed, cue = score * HEADLINE_BOOST + HEADLINE_BONUS, 1.0, "headline"
            elif self._is_example_of(b, skels):  # one of the editor's example questions
                score, keyed, cue = score * HEADLINE_BOOST + EXAMPLE_BONUS, 1.0, "example"
            scored.append((round(score, 3), b, matched, round(keyed, 3), cue))
        scored.sort(key=lambda item: -item[0])
        passing = self._passing_names(scores)
        # what the question asks when it asks a life fact or a measure ("how old", "price"):
        # a brief that lacks such a word cannot answer (Match.fact_missing)
        asked = [i for i, w in enumerate(scores.words) if w.word in ASKED_FACTS]
        return [self._match(scores, b, score, matched, keyed, cue, passing, asked, names,
                            tokens, parts[b][1])
                for score, b, matched, keyed, cue in scored[:limit]]

    def _match(self, scores: _Scores, b: int, score: float, matched: set[int], keyed: float,
               cue: str, passing: list[int], asked: list[int], names: frozenset[str],
               tokens: tuple[str, ...], fragments_alone: list[int]) -> Match:
        """A ranked brief's Match, each field worked out from its gains (`passing`: names no
        brief is keyed on; `asked`: words asking a life fact or a measure; `fragments_alone`:
        words it is keyed on only inside a multiword keyword, asked alone; by number)."""
        have = scores.gains.get(b, {})
        words = scores.words
        said = [i for i in have if scores.mass[i] > 0]  # the specific words it explains
        missing = [i for i, m in enumerate(scores.mass) if m > 0 and i not in have]
        part = said if missing else []  # it explains some of the question, not all of it
        return Match(self.briefs[b], score,
                     tuple(sorted({VOCABULARY.originals[v] for v in matched})),
                     round(scores.explained(b), 3), keyed, cue,
                     tuple(words[i].word for i in passing if i not in have),
                     sum(have[i][1] > TEXT_WEIGHT and i not in fragments_alone
                         for i in said),
                     self._in_passing(scores, b, have, part, names),
                     any(i not in have for i in asked),
                     tuple(words[i].word for i in missing),
                     self._one_name(scores, have, part, names, tokens),
                     tuple(words[i].word for i in said if have[i][1] >= PHRASE_WEIGHT))

    def _in_passing(self, scores: _Scores, b: int, have: Gains, part: list[int],
                    names: frozenset[str]) -> bool:
        """True when the question's focus is a word this brief does not explain and what it
        does explain (`part`, by number; empty when it explains none or all of the question)
        are only names that its title and summary never give: a question about something
        the brief mentions in passing (a university's tuition, a company's CEO)."""
        if not part:
            return False
        central = self._central.get(b)
        if central is None:
            size = len(self._groups)
            central = self._central[b] = frozenset(
                int(self._groups[c]) for c in central_ids(self.briefs[b], self.topic)
                if c < size)
        for i in part:
            v = have[i][2]
            if int(self._groups[v]) in central or not is_name(scores.words[i].word, names):
                return False
        return True

    @staticmethod
    def _one_name(scores: _Scores, have: Gains, said: list[int], names: frozenset[str],
                  tokens: tuple[str, ...]) -> bool:
        """True when what a brief explains of the question (`said`, by number; empty when it
        explains none or all of it) is one name, word after word ("Nazarbayev University",
        "University of Wisconsin-Madison"), and the question says something more of it that
        the brief lacks ("tuition", "located")."""
        if not said:
            return False
        at = {w: n for n, w in reversed(list(enumerate(tokens)))}
        places = sorted(at.get(scores.words[i].word, -1) for i in said)
        if places[0] < 0:
            return False
        inside = {scores.words[i].word for i in said} | NAME_JOINERS | {
            w.word for w, m in zip(scores.words, scores.mass, strict=True) if m == 0}
        if any(w not in inside for w in tokens[places[0]:places[-1] + 1]):
            return False  # not one name: another word or an "and" stands between
        for i in said:
            word = scores.words[i].word
            if not is_name(word, names) or (  # a typo of a dictionary word ("ambasador")
                    word.isascii() and in_dictionary(VOCABULARY.words[have[i][2]])
                    and not in_dictionary(word)):
                return False
        return True

    def _passing_names(self, scores: _Scores) -> list[int]:
        """Question words (by number) that are names no brief is keyed on, only mentioned in
        some brief's text ("Kyrgyzstan" in a summit's list of guests): the brief that answers
        must have them itself."""
        return [i for i, (w, found, mass) in enumerate(
                    zip(scores.words, scores.candidates, scores.mass, strict=True))
                if found and mass > 0 and not any(self._has_key[v] for v, _ in found)
                and (is_place_or_person(w.word) or w.word in self.glossary.names)]

    def _about_topic_word(self, scores: _Scores, ranked: tuple[Match, ...]) -> tuple[Match, ...]:
        """A did-you-mean for a question made only of words that nearly every brief mentions
        but only a few are about ("Blinken"): those few, when there are few enough."""
        if scores.unknown or not ranked:
            return ()
        about: set[int] = set()
        for word, found in zip(scores.words, scores.candidates, strict=True):
            if word.soft:
                continue
            topical = [v for v, sim in found
                       if sim >= TOPIC_WORD_SIMILARITY and self._generic[v]]
            if not topical:
                return ()
            owners: set[int] = set()
            for v in topical:
                start, stop = self._starts[v], self._starts[v + 1]
                keyed = self._weights[start:stop] >= PHRASE_WEIGHT  # keywords and titles
                owners.update(self._owners[start:stop][keyed].tolist())
            if not owners:
                return ()  # a word every brief uses and none is about ("united")
            about |= owners
        if not 1 <= len(about) <= self.thresholds.max_suggestions:
            return ()
        ids = {self.briefs[b].id for b in about}
        return tuple(m for m in ranked if m.brief.id in ids)

    def match(self, text: str, candidates: int = 0) -> MatchResult:
        """Read the question once, rank the briefs, decide: answer with one brief, suggest a
        few, or none.

        `candidates` asks for a longer ranking in `MatchResult.ranked` (inline mode lists up
        to 50) without ranking the question twice.
        """
        question = analyze(text, self.glossary)
        if question.talk is not None:
            return MatchResult(text, "none", intent=question.talk)
        if question.only_subject:
            return MatchResult(text, "none", intent="subject")
        if not question.words:
            return MatchResult(text, "none", intent="vague" if text.strip() else "question")
        if not self.briefs:
            return MatchResult(text, "none")
        scores = self.score(text, list(question.words))
        if question.only_numbers and not any(scores.candidates):
            return MatchResult(text, "none", intent="vague")  # "12": a number no brief states
        ranked = tuple(self._ranked(scores, max(self.thresholds.max_suggestions, 2,
                                                candidates), question.names,
                                      question.tokens))
        return decide(question, scores, ranked, self.thresholds, self.glossary.names,
                      lambda: self._about_topic_word(scores, ranked))

    def _decide(self, text: str, scores: _Scores, ranked: tuple[Match, ...]) -> MatchResult:
        """`decide` for a question read from `text` (tests give made-up scores)."""
        return decide(analyze(text, self.glossary), scores, ranked, self.thresholds,
                      self.glossary.names, lambda: self._about_topic_word(scores, ranked))


def _keyed_count(scores: _Scores, brief_no: int) -> int:
    """How many specific words of the question the brief is keyed on (not body text)."""
    return sum(1 for i, (_, weight, _) in scores.gains.get(brief_no, {}).items()
               if weight > TEXT_WEIGHT and scores.mass[i] > 0)


def _any_form(partners: frozenset[int], groups: set[int], short: list[str],
              stem_group: np.ndarray) -> bool:
    """True when the question has one of `partners` in any form: a matched word of the same
    stem group (`groups`), or one of its short matched words (`short`, whose stems are too
    short to group) that starts the partner or that the partner starts («виз» of «виза»). A
    false match only leaves a fragment at its full weight."""
    size = len(stem_group)
    for p in partners:
        if p < size and int(stem_group[p]) in groups:
            return True
        word = VOCABULARY.words[p]
        if any(len(w) >= 3 and (word.startswith(w) or w.startswith(word)) for w in short):
            return True
    return False


def tied_forms(scores: _Scores, have: Gains) -> set[int]:
    """The index words a brief's gains came from, with every other form of each question word
    that matched it as closely («саммит» beside «саммиті» for «саммите»): a multiword keyword
    is matched whole whichever of two equal forms gave the gain."""
    forms: set[int] = set()
    for i, (_, _, kept) in have.items():
        found = dict(scores.candidates[i])  # the kept form is one of the word's candidates
        forms.update(v for v, sim in found.items() if sim >= found[kept])
    return forms


def _counted_as_text(have: Gains, words: list[int]) -> tuple[Gains, float]:
    """The gains with these words' hits at body-text weight, and what the score loses."""
    changed, lost = dict(have), 0.0
    for i in words:
        gain, weight, v = have[i]
        changed[i] = (gain * TEXT_WEIGHT / weight, TEXT_WEIGHT, v)
        lost += gain - changed[i][0]
    return changed, lost


def _close(example: tuple[str, ...], question: set[str]) -> bool:
    """True when a question has nearly the words of an example (Jaccard ≥ 0.75; the
    example's words are distinct)."""
    shared = len(question.intersection(example))
    return shared > 0 and shared / (len(example) + len(question) - shared) >= 0.75


def closest_ids(query: str, ids: Iterable[str], limit: int = 3) -> list[str]:
    """Brief ids closest to a mistyped id (for `/brief typo`)."""
    found = process.extract(query.lower(), list(ids), scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=50)
    return [choice for choice, _score, _idx in found]


__all__ = ["Matcher", "closest_ids"]
