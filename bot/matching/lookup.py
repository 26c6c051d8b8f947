"""Finding a question word's index words: exactly, by stem, through the topic's
cross-language terms, as a rounded figure, or as a typo (RapidFuzz `ratio` over all index
words in one `cdist` call; short words need a closer match, and never across scripts)."""

from __future__ import annotations

from itertools import islice

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Hamming

from ..glossary import Glossary
from ..lexicon import in_dictionary, is_place_or_person
from ..text import same_root, stems
from .analyze import Word
from .decide import Candidates
from .index import CYRILLIC, LATIN, PREFIX, VOCABULARY

FUZZY_FLOOR = 70  # cdist cutoff: below it no length's cutoff (token_cutoff) could accept
# Similarities (0-100, squared in the score) for matches that are not letter-for-letter but
# mean the same word; each sits just under an exact 100 so a literal match still wins.
STEM_SIMILARITY = 95.0  # a shared Snowball/Kazakh stem: the same word, inflected
PREFIX_SIMILARITY = 88.0  # two long stems of one root: a derived form, less certain
GLOSSARY_SIMILARITY = 90.0  # a Russian/Kazakh word and the English word for it
ROUNDED_SIMILARITY = 90.0  # a whole number for a figure with decimals (37 for 37.2)
CROSS_SCRIPT_MIN = 6  # a Latin word may fuzzy-match a Cyrillic word's skeleton only from here
                      # (sankcii ~ санкции); shorter ones are other words (gaza / газ)
SHORT_WORD = 6  # a dictionary word this short, spelled right, is another word, not a typo
                # of an index word (tires / ties, orders / order's neighbours)
SAME_START = 3  # letters two spellings of one dictionary word share (see _other_word)
DOMINANCE = 5  # keep fuzzy candidates within 5 points (about one letter in 20) of the best
TOKEN_CACHE_SIZE = 20_000  # question words whose candidates a snapshot remembers:
                           # a few MB, and far more distinct words than a day brings


def max_edits(length: int) -> int:
    """Typos a word of this length may carry (edits, a swap of two letters counting one):
    one up to 5 letters, two up to 11, three beyond. "reaffirms" is three edits from
    "reforms" and "visitors" three from "visit": other words, not typos."""
    return 1 if length <= 5 else 2 if length <= 11 else 3


def _is_typo(typed: str, known: str, edits: int) -> bool:
    """Within `edits` edits; and for a short word not one changed letter, which makes another
    word more often than a typo (tanks/talks, gaza/gas)."""
    if OSA.distance(typed, known, score_cutoff=edits) > edits:
        return False
    return not (len(typed) <= 5 and len(typed) == len(known)
                and Hamming.distance(typed, known) == 1)


def _other_word(typed: str, known: str, original: str) -> bool:
    """Two dictionary words (skeletons `typed` and `known`, the latter's normalized word
    `original`) that differ in their first letters: another word (ranking / making, станции /
    санкции), not a typo or a spelling of it (organisation / organization, defence / defense
    differ at the end) nor the word with a prefix joined (reelected / elected)."""
    if typed.endswith(known) or known.endswith(typed):  # the word with a prefix: reelected
        return False
    return typed[:SAME_START] != known[:SAME_START] and in_dictionary(original)


def token_cutoff(length: int) -> int:
    """Minimum similarity for a question token of this length (≤3 chars: exact only)."""
    if length <= 3:
        return 101
    return 80 if length <= 5 else 75


class WordLookup:
    """One index snapshot's lookup of question words: the index words some brief owns
    (`live`, with `starts` the index's row starts by word id) and what each question word
    matches among them, remembered per word."""

    def __init__(self, live: np.ndarray, starts: np.ndarray, glossary: Glossary) -> None:
        self._live = live
        self._starts = starts
        self._size = len(starts) - 1
        self.glossary = glossary
        self._choices = [VOCABULARY.words[v] for v in live.tolist()]  # cdist's choices
        scripts = np.array(VOCABULARY.scripts[:self._size], dtype=np.int8)
        self._latin_only = (scripts == LATIN)[live]
        self._cyrillic_only = (scripts == CYRILLIC)[live]
        self._token_cache: dict[str, Candidates] = {}
        self._decimals: dict[str, list[int]] | None = None  # "37" -> ids of 37d2, on first use

    @property
    def size(self) -> int:
        """Distinct index words some brief owns."""
        return len(self._choices)

    def forget(self) -> None:
        """Forget remembered question words."""
        self._token_cache.clear()

    def owns(self, v: int) -> bool:
        """Some brief of this snapshot has the index word."""
        return v < self._size and bool(self._starts[v + 1] > self._starts[v])

    def candidates(self, words: list[Word]) -> list[Candidates]:
        """For each question word, the index words it matches and their similarity.

        Looked up once per word and snapshot: questions share most of their words, so a
        word's candidates are remembered (up to TOKEN_CACHE_SIZE words, oldest dropped first).
        """
        cache = self._token_cache
        found = {w.word: cache[w.word] for w in words if w.word in cache}
        missing = [w for w in words if w.word not in found]
        if missing:  # evicting may drop this question's own words: answer from `found`
            found.update(zip((w.word for w in missing), self._lookup(missing), strict=True))
            if len(cache) + len(missing) > TOKEN_CACHE_SIZE:
                for old in list(islice(cache, len(cache) + len(missing) - TOKEN_CACHE_SIZE)):
                    del cache[old]
            cache.update((w.word, found[w.word]) for w in missing)
        return [found[w.word] for w in words]

    def _lookup(self, words: list[Word]) -> list[Candidates]:
        """Index candidates for words not seen before: exact and stem hits from dicts, typos
        from one cdist call for all of them."""
        found: list[dict[int, float]] = []
        for w in words:
            hits: dict[int, float] = {}
            for stem in stems(w.word):
                for v in VOCABULARY.by_stem.get(stem, ()):
                    if self.owns(v):
                        hits[v] = STEM_SIMILARITY
                for longer in VOCABULARY.by_prefix.get(stem[:PREFIX], ()) if len(
                        stem) >= PREFIX else ():
                    if longer != stem and same_root(stem, longer, PREFIX):
                        for v in VOCABULARY.by_stem[longer]:
                            if self.owns(v) and v not in hits:
                                hits[v] = PREFIX_SIMILARITY
            for english in self.glossary.english_for(w.word):  # the word a brief's text uses
                if english != w.skel:
                    for v in self._english(english):
                        hits.setdefault(v, GLOSSARY_SIMILARITY)
            exact = VOCABULARY.ids.get(w.skel)
            if exact is not None and self.owns(exact):
                hits[exact] = 100.0
            elif w.skel.isdigit():  # a rounded figure: 37 for 37.2 (indexed as 37d2)
                for v in self._rounded(w.skel):
                    hits[v] = ROUNDED_SIMILARITY
            found.append(hits)
        fuzzy_rows = [i for i, w in enumerate(words)
                      if len(w.skel) > 3 and not any(ch.isdigit() for ch in w.skel)
                      and not (len(w.skel) <= SHORT_WORD and in_dictionary(w.word))]
        if fuzzy_rows and self._choices:
            scores = process.cdist(
                [words[i].skel for i in fuzzy_rows], self._choices, scorer=fuzz.ratio,
                score_cutoff=FUZZY_FLOOR, dtype=np.uint8,
            )
            for row, i in enumerate(fuzzy_rows):
                for v, sim in self._typos(words[i], scores[row]):
                    if sim > found[i].get(v, 0.0):
                        found[i][v] = sim
        # one order whatever the process (stems come from sets): a word's hits tie in gain
        # in a brief that has two forms of it, and the one kept must not vary by run
        return [tuple(sorted(hits.items(), key=lambda hit: (-hit[1], VOCABULARY.words[hit[0]])))
                for hits in found]

    def _rounded(self, number: str) -> list[int]:
        """Index numbers with a decimal part whose whole part is this number."""
        if self._decimals is None:
            found: dict[str, list[int]] = {}
            for v in self._live.tolist():
                word = VOCABULARY.words[v]
                whole, mark, rest = word.partition("d")
                if mark and whole.isdigit() and rest.isdigit():
                    found.setdefault(whole, []).append(v)
            self._decimals = found
        return self._decimals.get(number, [])

    def _english(self, english: str) -> list[int]:
        """Live index words that are this English word or share its stem."""
        found = [v for stem in stems(english) for v in VOCABULARY.by_stem.get(stem, ())
                 if self.owns(v)]
        exact = VOCABULARY.ids.get(english)
        if exact is not None and self.owns(exact):
            found.append(exact)
        return found

    def _typos(self, word: Word, scores: np.ndarray) -> list[tuple[int, float]]:
        """The index words a question word may be a typo of, from its row of raw ratios."""
        hits = np.nonzero(scores)[0]
        # Across scripts only for Russian typed in Latin letters (sanktsii: санкции): not for a
        # short word (gaza is not газ), a country's name (brazil is not выразил) or an English
        # word spelled right (holiday is not қолдай, reminder not кемінде).
        known = in_dictionary(word.word)
        if (len(word.skel) < CROSS_SCRIPT_MIN or is_place_or_person(word.word)
                or (known and not word.cyrillic)):
            other = self._latin_only if word.cyrillic else self._cyrillic_only
            hits = hits[~other[hits]]
        cutoff = token_cutoff(len(word.skel))
        edits = max_edits(len(word.skel))
        sims = [(int(v), float(scores[c]))
                for c, v in zip(hits.tolist(), self._live[hits].tolist(), strict=True)
                if scores[c] >= cutoff and _is_typo(word.skel, self._choices[c], edits)
                and not (known and _other_word(word.skel, self._choices[c],
                                               VOCABULARY.originals[v]))]
        if not sims:
            return []
        best = max(s for _, s in sims)
        return [(v, s) for v, s in sims if s >= best - DOMINANCE]
