"""What the topic file teaches the matcher about words: which mean the subject itself, which
English word of the briefs a Russian or Kazakh word (or an English paraphrase) stands for, and
which abbreviations to spell out. Built once per reading of the topic file."""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

from .text import fold_kazakh, kazakh_stem, same_root, skeleton, stems
from .topic import Topic

V = TypeVar("V")


class Glossary:
    """A topic's word knowledge, with per-word answers remembered."""

    def __init__(self, topic: Topic) -> None:
        self.topic = topic
        self.aliases = topic.abbreviations
        self.names = topic.names
        self.keep = topic.vocabulary  # never dropped as a stop word typed in Latin letters
        subject = topic.subject_words
        self._subject = subject
        self._folded_subject = frozenset(fold_kazakh(w) for w in subject)
        self._subject_stems = frozenset(s for w in subject for s in stems(w) if len(s) >= 4)
        found: dict[str, list[str]] = {}
        for english, forms in topic.terms.items():
            for form in forms:  # Kazakh also as typed with Russian letters (құрушы: курушы)
                for variant in {form, fold_kazakh(form)}:
                    for stem in stems(variant) | {skeleton(variant)}:
                        found.setdefault(stem, []).append(skeleton(english))
        self._by_stem = {stem: tuple(dict.fromkeys(ws)) for stem, ws in found.items()}
        self._english: dict[str, tuple[str, ...]] = {}
        self._is_subject: dict[str, bool] = {}

    def english_for(self, word: str) -> tuple[str, ...]:
        """The English words (skeletons) a Russian or Kazakh word, or an English paraphrase,
        stands for, if any."""
        known = self._english.get(word)
        if known is None:
            out: list[str] = []
            for stem in stems(word) | {skeleton(word)}:
                out.extend(self._by_stem.get(stem, ()))
            known = tuple(dict.fromkeys(out))
            _remember(self._english, word, known)
        return known

    def is_subject(self, token: str) -> bool:
        """A word that names the subject itself, in any inflection (ынтымақтасады:
        ынтымақтастық), or typed with Russian letters for Kazakh ones."""
        known = self._is_subject.get(token)
        if known is None:
            stem = kazakh_stem(token)
            known = (token in self._subject or stem in self._subject
                     or fold_kazakh(stem) in self._folded_subject
                     or any(same_root(a, b) for a in stems(token)
                            for b in self._subject_stems))
            _remember(self._is_subject, token, known)
        return known


MEMORY = 65_536  # question words remembered per glossary (questions are untrusted: a cap)


def _remember(memory: dict[str, V], key: str, value: V) -> None:
    if len(memory) >= MEMORY:
        memory.clear()
    memory[key] = value


@lru_cache(maxsize=4)
def glossary_of(topic: Topic) -> Glossary:
    """The glossary of a topic reading (a reload with a new topic builds a new one)."""
    return Glossary(topic)
