"""Re-indexing that yields: pauses between steps change nothing in the result, and the bot's
pause waits for updates in progress only up to its budget."""

from __future__ import annotations

from pathlib import Path

from bot.pacing import paced
from bot.reload import BriefWatcher
from bot.telegram.jobs import YIELD_STEP, yield_to_updates
from tests.conftest import brief_yaml


def test_paced_scan_builds_the_same_library(empty_briefs_dir: Path) -> None:
    for i in range(250):
        (empty_briefs_dir / f"b{i:03}.yaml").write_text(
            brief_yaml(f"b{i:03}", keywords=f"[alpha{i}, beta]"), encoding="utf-8")
    pauses: list[int] = []
    paused = BriefWatcher(empty_briefs_dir).scan(lambda: pauses.append(1))
    straight = BriefWatcher(empty_briefs_dir).scan()
    assert paused.library is not None and straight.library is not None
    assert paused.library.briefs == straight.library.briefs
    assert len(pauses) >= 250  # at least one pause per file read
    for question in ("alpha17", "beta", "alpha 249 beta"):
        assert paused.library.match(question) == straight.library.match(question)


def test_paced_calls_pause_every_n_items() -> None:
    calls: list[int] = []
    assert list(paced(range(7), lambda: calls.append(1), every=3)) == list(range(7))
    assert len(calls) == 2


def test_pause_waits_for_busy_updates_only_up_to_its_budget() -> None:
    checks: list[int] = []

    def busy() -> bool:
        checks.append(1)
        return True

    pause = yield_to_updates(busy, budget=9.5 * YIELD_STEP)
    for _ in range(20):
        pause()
    # waited 10 steps in all, then only the one check per pause that finds the budget spent
    assert len(checks) == 10


def test_pause_does_not_wait_when_idle() -> None:
    checks: list[int] = []
    pause = yield_to_updates(lambda: bool(checks.append(1)), budget=1.0)
    for _ in range(5):
        pause()
    assert len(checks) == 5
