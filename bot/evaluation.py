"""Accuracy of the matcher on labelled questions: what a user would have been told."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .briefs import Brief, Source
from .matching import Matcher, MatchResult

NONE = "none"


@dataclass(frozen=True)
class Labelled:
    """A question and the briefs a careful editor would accept as its answer (none: off-topic)."""

    text: str
    expect: str
    also: tuple[str, ...] = ()

    @property
    def accepted(self) -> frozenset[str]:
        """Every acceptable brief id."""
        return frozenset((self.expect, *self.also))

    @property
    def on_topic(self) -> bool:
        """True when some brief answers it."""
        return self.expect != NONE


@dataclass
class Figures:
    """Counts for one labelled set; the rates are shares of on- or off-topic questions."""

    on_topic: int = 0
    off_topic: int = 0
    answered_right: int = 0
    right_offered: int = 0  # answered right, or the right brief among the did-you-mean buttons
    answered_wrong: int = 0
    on_suggested: int = 0
    on_none: int = 0
    off_answered: int = 0
    off_suggested: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (question, want, got)

    def rate(self, name: str) -> float:
        """`answered_right`, `right_offered`, `answered_wrong` per on-topic question;
        `off_answered`, `off_suggested` per off-topic question."""
        total = self.off_topic if name.startswith("off_") else self.on_topic
        return getattr(self, name) / total if total else 0.0

    def summary(self) -> str:
        """One block of text with every figure."""
        return (
            f"on-topic {self.on_topic}: answered right {self.answered_right} "
            f"({self.rate('answered_right'):.3f}), right answered or offered "
            f"{self.right_offered} ({self.rate('right_offered'):.3f}), wrong brief answered "
            f"{self.answered_wrong} ({self.rate('answered_wrong'):.3f}), did-you-mean "
            f"{self.on_suggested}, none {self.on_none}\n"
            f"off-topic {self.off_topic}: answered with a brief {self.off_answered} "
            f"({self.rate('off_answered'):.3f}), did-you-mean {self.off_suggested} "
            f"({self.rate('off_suggested'):.3f})"
        )


def read_labelled(path: Path) -> list[Labelled]:
    """Questions from a YAML list of {q, expect, also?}."""
    items: Any = yaml.safe_load(path.read_text("utf-8")) or []
    return [Labelled(str(i["q"]), str(i["expect"]), tuple(map(str, i.get("also") or ())))
            for i in items]


def relabelled(questions: Iterable[Labelled], answered: Path) -> list[Labelled]:
    """`questions` with the labels of `answered` (a YAML list as `read_labelled` reads) put
    in place of theirs: off-topic questions that an added library's brief answers."""
    if not answered.is_file():
        return list(questions)
    better = {q.text: q for q in read_labelled(answered)}
    return [better.get(q.text, q) for q in questions]


def read_split(folder: Path) -> list[Labelled]:
    """Every labelled file of a split folder (`tests/data/dev`, `tests/data/test`)."""
    return [q for path in sorted(folder.glob("*.yaml")) for q in read_labelled(path)]


def _got(result: MatchResult) -> str:
    if result.outcome == "answer" and result.best is not None:
        return result.best.brief.id
    if result.outcome == "suggest":
        return "suggest:" + ",".join(m.brief.id for m in result.suggestions)
    return NONE


def evaluate(matcher: Matcher, questions: Iterable[Labelled]) -> Figures:
    """Match every question and count what the user would have been told."""
    f = Figures()
    for q in questions:
        result = matcher.match(q.text)
        answered = result.best.brief.id if result.outcome == "answer" and result.best else None
        offered = {m.brief.id for m in result.suggestions}
        if not q.on_topic:
            f.off_topic += 1
            f.off_answered += answered is not None
            f.off_suggested += result.outcome == "suggest"
            if result.outcome != "none":
                f.misses.append((q.text, NONE, _got(result)))
            continue
        f.on_topic += 1
        right = answered in q.accepted
        f.answered_right += right
        f.right_offered += right or bool(offered & q.accepted)
        f.answered_wrong += answered is not None and not right
        f.on_suggested += result.outcome == "suggest"
        f.on_none += result.outcome == "none"
        if not right:
            f.misses.append((q.text, q.expect, _got(result)))
    return f



# Letters rare in English and Russian words, so a made-up word is no typo of a real one either
# (a question's "погода" would read "богода" as its typo): unrelated content shares nothing.
_CONSONANTS, _VOWELS = "qxzjwvk", "aeiouy"
_CYR_CONSONANTS, _CYR_VOWELS = "жщцфшх", "эюяёы"


def made_up_word(rng: random.Random, cyrillic: bool = False) -> str:
    """A pronounceable word of no language ("qoxuzawi"), 3-4 syllables."""
    consonants, vowels = (_CYR_CONSONANTS, _CYR_VOWELS) if cyrillic else (_CONSONANTS, _VOWELS)
    return "".join(rng.choice(consonants) + rng.choice(vowels)
                   for _ in range(rng.randint(3, 4)))


def unrelated_briefs(count: int, seed: int = 0) -> list[Brief]:
    """`count` briefs of made-up words (keywords, title, body, examples in Latin and Cyrillic
    letters) that share no word with any real question: a library grown with content that
    has nothing to do with the questions asked."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        def words(n: int, cyrillic: bool = False) -> str:
            return " ".join(made_up_word(rng, cyrillic) for _ in range(n))

        keywords = (*(made_up_word(rng) for _ in range(6)), words(2), words(2, cyrillic=True),
                    *(made_up_word(rng, cyrillic=True) for _ in range(4)))
        out.append(Brief(
            id=f"unrelated-{seed}-{i}", title=words(4).capitalize(), date=dt.date(2024, 1, 1),
            tags=(), keywords=keywords, summary=words(20).capitalize() + ".",
            body=words(140).capitalize() + ".",
            sources=(Source(words(5).capitalize(), words(1).capitalize(),
                            f"https://example.org/unrelated/{seed}/{i}", "2024-01-01"),),
            examples=(f"{words(3)}?", f"{words(2, cyrillic=True)}?")))
    return out
