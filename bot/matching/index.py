"""The words of each brief, by stable id: what the matcher's index is built from.

A brief's title, keywords and tags are full-weight evidence, its example questions nearly so,
its summary and body weak evidence. Every word is kept as a Latin skeleton (so ОДКБ meets
ODKB), with the scripts it was written in (fuzzy matching never crosses scripts for short
words) and its stems (Snowball English/Russian, Kazakh endings), so inflected forms meet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..briefs import Brief
from ..glossary import Glossary, glossary_of
from ..text import content_tokens, is_cyrillic, is_soft, same_root, skeleton, stems
from ..topic import EMPTY_TOPIC, Topic

WORD_WEIGHT = 1.0  # a keyword or tag that is a single word: the editor chose it
PHRASE_WEIGHT = 0.7  # a word of a multiword keyword or of the title: part of a topic name
TAG_WEIGHT = 0.6  # a tag: the brief's category for /subscribe ("energy"), shared by many
EXAMPLE_WEIGHT = 0.6  # a word of an example question: the editor's, but wrapped in filler
FIGURE_WEIGHT = 0.7  # a number in the text ("58.8"): a fact only this brief may state
TEXT_WEIGHT = 0.3  # a word of the summary or body: mentioned, not necessarily the topic
LATIN, CYRILLIC = 1, 2  # script bits
# The topic itself: in nearly every brief on the subject, and a keyword of most, is damped.
GENERIC_SHARE = 0.8  # in this share of all briefs: 80% spares a name most briefs mention once
KEYED_SHARE = 0.5  # ... and a keyword of at least half of them (so not a passing mention)
GENERIC_FACTOR = 0.15  # ... weighs this much of its IDF: it still counts, but little
REFERENCE_BRIEFS = 11  # the library size the decision's thresholds were set at (the shipped one)
PREFIX = 7  # stems sharing this many first letters (and most of their length) share a root:
            # сотруднича-ют / сотрудничеств-о; fewer join unrelated words (secret/secretary)


def index_words(text: str, glossary: Glossary | None = None) -> tuple[tuple[str, str], ...]:
    """(skeleton, normalized word) for each content word of a text (skeletons of 2+ chars),
    the topic's abbreviations spelled out."""
    out = []
    words = (content_tokens(text) if glossary is None
             else content_tokens(text, glossary.aliases, glossary.keep))
    for word in words:
        skel = skeleton(word)
        if len(skel) > 1:
            out.append((skel, word))
    return tuple(out)


@lru_cache(maxsize=50_000)
def brief_text_words(text: str, topic: Topic = EMPTY_TOPIC) -> tuple[tuple[str, str], ...]:
    """`index_words` for a brief's own texts, cached: keywords, titles and example questions
    repeat across briefs and across reloads (never used for questions, which are untrusted)."""
    return index_words(text, glossary_of(topic))


class Vocabulary:
    """Every index word seen in this process, each with a stable id (append-only), the
    scripts it was seen in and the ids that share each stem.

    Ids never change, so a brief's word ids are computed once per brief version and a reload
    only concatenates them. Appends take a lock (indexing may run in a worker thread)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.ids: dict[str, int] = {}
        self.scripts: list[int] = []
        self.by_stem: dict[str, list[int]] = {}
        self.stems: list[set[str]] = []  # every stem each word was seen with
        self.originals: list[str] = []  # the first normalized word seen with each skeleton
        self.by_prefix: dict[str, list[str]] = {}  # first PREFIX letters -> long stems
        self._seen: set[tuple[int, str]] = set()
        self._lock = threading.Lock()

    def id_of(self, skel: str, word: str | None = None) -> int:
        """The skeleton's id, adding it when new; `word` (its normalized original) records
        the script and stems."""
        found = self.ids.get(skel)
        if found is not None and (word is None or (found, word) in self._seen):
            return found
        with self._lock:
            found = self.ids.get(skel)
            if found is None:
                found = self.ids[skel] = len(self.words)
                self.words.append(skel)
                self.scripts.append(0)
                self.stems.append(set())
                self.originals.append(word or skel)
            if word is not None and (found, word) not in self._seen:
                self._seen.add((found, word))
                self.scripts[found] |= CYRILLIC if is_cyrillic(word) else LATIN
                for stem in stems(word):
                    self.stems[found].add(stem)
                    if len(stem) >= PREFIX and stem not in self.by_stem:
                        self.by_prefix.setdefault(stem[:PREFIX], []).append(stem)
                    ids = self.by_stem.setdefault(stem, [])
                    if found not in ids:
                        ids.append(found)
            return found


VOCABULARY = Vocabulary()


@dataclass(frozen=True, eq=False)
class BriefIndex:
    """One brief's index entries: word ids, their field weights, multiword keywords as id sets,
    example questions as id sets, and the skeletons of its source headlines."""

    ids: np.ndarray  # int32: the vocabulary's ids
    weights: np.ndarray
    phrases: tuple[tuple[int, ...], ...]  # tuples, not sets: a thousand briefs' worth of small
    examples: tuple[tuple[str, ...], ...]  # sets costs megabytes (sets are built when compared)
    headlines: tuple[tuple[str, frozenset[str]], ...]  # (source url, headline skeletons)
    on_subject: bool = True  # names the topic's subject somewhere (every brief, without one)


def brief_words(brief: Brief, topic: Topic = EMPTY_TOPIC,
                ) -> tuple[dict[tuple[str, str], float], list[tuple[str, ...]]]:
    """A brief's index words ((skeleton, word) -> best field weight) and its multiword
    phrases (keywords and title) as skeleton tuples."""
    weighted: dict[tuple[str, str], float] = {}

    def add(pairs: Iterable[tuple[str, str]], weight: float) -> None:
        for pair in pairs:
            weighted[pair] = max(weighted.get(pair, 0.0), weight)

    prose = brief_text_words(f"{brief.summary} {brief.body}", topic)
    add(prose, TEXT_WEIGHT)
    # (a word of letters only holds no digit: the test skips most words in one call)
    add(((s, w) for s, w in prose if not s.isalpha() and any(ch.isdigit() for ch in s)),
        FIGURE_WEIGHT)
    for _lang, translated in brief.translations:  # a Russian question meets the Russian text
        add(brief_text_words(f"{translated.summary} {translated.body}", topic), TEXT_WEIGHT)
        add(brief_text_words(translated.title, topic), TEXT_WEIGHT)
    for example in brief.examples:
        add(brief_text_words(example, topic), EXAMPLE_WEIGHT)
    for text in brief.tags:
        add(brief_text_words(text, topic), TAG_WEIGHT)
    for text in (brief.title, *brief.keywords):
        pairs = brief_text_words(text, topic)
        add(pairs, WORD_WEIGHT if len(pairs) == 1 and text != brief.title else PHRASE_WEIGHT)
    return weighted, _phrases((brief.title, *brief.keywords), topic)


@lru_cache(maxsize=50_000)
def brief_index(brief: Brief, topic: Topic = EMPTY_TOPIC) -> BriefIndex:
    """A brief's index entries by word id; cached per brief version, so a reload re-tokenizes
    only the files that changed."""
    weighted, phrases = brief_words(brief, topic)
    glossary = glossary_of(topic)
    by_id: dict[int, float] = {}
    for (skel, word), weight in weighted.items():
        v = VOCABULARY.id_of(skel, word)
        by_id[v] = max(by_id.get(v, 0.0), weight)
    return BriefIndex(
        np.fromiter(by_id, np.int32, len(by_id)),
        np.fromiter(by_id.values(), np.float64, len(by_id)),
        tuple(tuple(sorted({VOCABULARY.id_of(w) for w in phrase})) for phrase in phrases),
        tuple(tuple(sorted({s for s, _ in brief_text_words(e, topic)})) for e in brief.examples),
        tuple((src.url, frozenset(s for s, w in brief_text_words(src.title, topic)
                                  if not is_soft(w) and not glossary.is_subject(w)))
              for src in brief.sources),
        not glossary.topic.subject_words
        or any(glossary.is_subject(word) for _skel, word in weighted),
    )


def fragments(brief: Brief, topic: Topic = EMPTY_TOPIC) -> dict[int, frozenset[int]]:
    """The words of a brief's multiword keywords that are not keywords, tags or title words
    on their own ("card" of "green card"), each with the other words of those keywords (by
    word id): asked without any of them, such a word means something else. Worked out when a
    brief is first ranked, not at start-up. A word with a form that stands alone (the
    keyword «Ресей» beside «Ресеймен қарым-қатынас») is no fragment."""
    whole: set[tuple[str, str]] = set()
    for text in (brief.title, *brief.tags):
        whole.update(brief_text_words(text, topic))
    partners: dict[tuple[str, str], set[str]] = {}
    for keyword in brief.keywords:
        pairs = set(brief_text_words(keyword, topic))
        if len(pairs) == 1:
            whole.update(pairs)
        for pair in pairs if len(pairs) > 1 else ():
            partners.setdefault(pair, set()).update(s for s, _ in pairs - {pair})
    # skeletons and stems (Latin skeletons both) of the words that stand alone
    standing = {stem for _, w in whole for stem in stems(w)} | {s for s, _ in whole}
    return {VOCABULARY.id_of(skel): frozenset(VOCABULARY.id_of(s) for s in others)
            for (skel, word), others in partners.items()
            if others and skel not in standing and standing.isdisjoint(stems(word))}


def _phrases(texts: Iterable[str], topic: Topic) -> list[tuple[str, ...]]:
    """Multiword keywords as skeleton token tuples (single words get no phrase bonus)."""
    out = []
    for text in texts:
        toks = tuple(dict.fromkeys(s for s, _ in brief_text_words(text, topic)))
        if len(toks) >= 2:
            out.append(toks)
    return out


def stem_groups(live: np.ndarray, size: int) -> np.ndarray:
    """Per word id, a representative of the words it shares a stem with (union-find over
    stems of 4+ letters): Kazakhstan, Казахстана and Казахстаном count as one term."""
    parent = np.arange(size)

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = int(parent[v])
        return v

    def join(v: int, other: int) -> None:
        a, b = root(v), root(other)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first: dict[str, int] = {}
    for v in live.tolist():
        for stem in VOCABULARY.stems[v]:
            if len(stem) >= 4:
                join(v, first.setdefault(stem, v))
    for stem, v in list(first.items()):  # long stems of one root, as matching joins them
        if len(stem) >= PREFIX:
            for other in VOCABULARY.by_prefix.get(stem[:PREFIX], ()):
                if other in first and other != stem and same_root(stem, other, PREFIX):
                    join(v, first[other])
    return np.array([root(v) for v in range(size)], dtype=np.int64)


def group_counts(groups: np.ndarray, words: np.ndarray, owners: np.ndarray, n: int,
                  keyed: np.ndarray | None) -> np.ndarray:
    """Per word id, how many briefs own some word of its stem group (with `keyed`, as a
    keyword, title word, tag or example word)."""
    size = len(groups)
    if keyed is not None:
        words, owners = words[keyed], owners[keyed]
    pairs = np.sort(groups[words] * max(n, 1) + owners)  # sort + diff beats np.unique here
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    per_group = np.bincount(pairs // max(n, 1), minlength=size)
    return per_group[groups]


def idf(key_owners: np.ndarray, owners: np.ndarray, generic: np.ndarray,
         n: int) -> np.ndarray:
    """Smoothed IDF over the briefs that own a word's stem group as a keyword (or, failing
    that, in text). A word found in nearly every brief (the topic itself: "kazakhstan") is
    damped further.
    """
    key_owners = np.where(key_owners > 0, key_owners, owners)
    idf = np.log1p((n - key_owners + 0.5) / (key_owners + 0.5))
    idf[generic] *= GENERIC_FACTOR
    # On one scale at every library size: a word of one brief weighs what it weighs among
    # REFERENCE_BRIEFS (a raw IDF grows with the library, and the thresholds are absolute)
    return idf * (unique_idf(REFERENCE_BRIEFS) / unique_idf(max(n, 2)))


def unique_idf(n: int) -> float:
    """The IDF of a word that one brief of `n` has."""
    return float(np.log1p((n - 0.5) / 1.5))


@lru_cache(maxsize=50_000)
def central_ids(brief: Brief, topic: Topic = EMPTY_TOPIC) -> frozenset[int]:
    """Word ids of what a brief is about: its title and summary, in every language."""
    texts = [brief.title, brief.summary]
    for _lang, translated in brief.translations:
        texts += [translated.title, translated.summary]
    return frozenset(VOCABULARY.id_of(skel, word)
                     for text in texts for skel, word in brief_text_words(text, topic))
