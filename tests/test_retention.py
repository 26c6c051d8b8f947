"""Retention: every kind of usage record goes once it is older than the retention days."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SECONDS_PER_DAY
from bot.storage import CommandRecord, PickRecord, QuestionRecord, Store, VoteRecord

NOW = 2_000_000_000.0


def records(age_days: float, n: int) -> tuple[QuestionRecord, CommandRecord, VoteRecord,
                                               PickRecord]:
    at = NOW - age_days * SECONDS_PER_DAY
    return (QuestionRecord(at, "u", "private", "text", f"q{n}", "none", None, None, None),
            CommandRecord(at, "u", "private", "help"),
            VoteRecord(at, "u", f"ask{n}", "up"),
            PickRecord(at, "u", f"ask{n}", "b", "suggest"))


async def test_records_older_than_the_retention_go_the_rest_stay(store: Store) -> None:
    for n, age in enumerate((180.01, 179.99, 1)):
        question, command, vote, pick = records(age, n)
        await store.insert_usage([question], [command], feedback=[vote, pick])
    assert await store.purge_older_than(180, now=NOW) == 4  # one of each kind
    assert [q.text for q in await store.questions()] == ["q1", "q2"]
    assert await store.command_counts() == {"help": 2}
    assert [v.ask for v in await store.votes()] == ["ask1", "ask2"]
    assert [p.ask for p in await store.picks()] == ["ask1", "ask2"]
    assert await store.purge_older_than(180, now=NOW) == 0


async def test_a_database_from_a_newer_briefbot_is_refused_by_name(tmp_path: Path) -> None:
    import sqlite3

    from bot.storage import SCHEMA_VERSION, StoreError

    db = tmp_path / "newer.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1} is newer than "
                                         f"this briefbot \\({SCHEMA_VERSION}\\)"):
        await Store.open(db)
