"""The usage log's records, as the store writes and reads them (already pseudonymized)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionRecord:
    """One logged question (already pseudonymized)."""

    at: float
    user_key: str
    chat_type: str
    kind: str
    text: str
    outcome: str
    brief_id: str | None
    score: float | None
    elapsed_ms: float | None
    ask: str | None = None  # the id its answer's buttons carry (feedback, picks)
    offered: str = ""  # comma-separated: the did-you-mean briefs, or an answer's runners-up


@dataclass(frozen=True)
class VoteRecord:
    """A reader's 👍 ("up") or 👎 ("down") on an answer; a later vote replaces it."""

    at: float
    user_key: str
    ask: str
    vote: str


@dataclass(frozen=True)
class PickRecord:
    """A brief a reader chose: from a did-you-mean ("suggest"), after a 👎 ("down"), or
    "none of these" (`brief_id` empty, via "none")."""

    at: float
    user_key: str
    ask: str
    brief_id: str
    via: str


@dataclass(frozen=True)
class CommandRecord:
    """One logged command."""

    at: float
    user_key: str
    chat_type: str
    command: str
