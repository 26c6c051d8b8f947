"""Benchmark: the editors' report on 100,000 distinct unanswered questions (30 days of them).

Times `briefbot stats --html FILE` as a process (reading, grouping, rendering), and the steps
`/stats` takes in the bot (read the window, build the report, format it for one message).

Run: python -m bench.report [--questions N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.render import MAX_MESSAGE  # noqa: E402
from bot.report_html import render_report_html  # noqa: E402
from bot.stats import read_usage, report_text  # noqa: E402
from bot.storage import QuestionRecord, Store  # noqa: E402

WORDS = ("price", "weather", "football", "recipe", "history", "museum", "river", "mountain",
         "train", "ticket", "school", "music", "festival", "market", "airport", "hotel",
         "language", "holiday", "bank", "visa", "salary", "film", "book", "song", "garden")


def questions(n: int, seed: int = 1) -> list[QuestionRecord]:
    """`n` distinct questions over the last 30 days (random word triples and a number)."""
    rng = random.Random(seed)
    now = time.time()
    return [QuestionRecord(now - rng.random() * 29 * 86_400, f"user{i % 5000}", "private",
                           "text", f"{' '.join(rng.sample(WORDS, 3))} {i}", "none", None,
                           None, 3.0) for i in range(n)]


async def fill(db: Path, n: int) -> None:
    store = await Store.open(db)
    try:
        records = questions(n)
        for start in range(0, n, 5000):
            await store.insert_usage(records[start:start + 5000], [])
    finally:
        await store.close()


async def in_bot(db: Path) -> dict[str, float]:
    """What /stats does, step by step (seconds)."""
    store = await Store.open(db)
    try:
        started = time.perf_counter()
        usage = await read_usage(store, time.time() - 30 * 86_400)
        read = time.perf_counter()
        report = usage.report(10)
        report_text(report, html=True, limit=MAX_MESSAGE)
        text = time.perf_counter()
        render_report_html(usage.report(), usage.days())
        html = time.perf_counter()
    finally:
        await store.close()
    return {"read": read - started, "/stats": text - started,
            "/stats html": (html - text) + (read - started)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        asyncio.run(fill(db, args.questions))
        env = {**os.environ, "BRIEFBOT_DB": str(db), "BRIEFBOT_BRIEFS_DIR": str(ROOT / "briefs")}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "stats", "--html", str(Path(tmp) / "r.html")],
                       env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        cli = time.perf_counter() - started
        steps = asyncio.run(in_bot(db))
    print(f"{args.questions:,} distinct unanswered questions")
    print(f"  briefbot stats --html (whole process): {cli:.2f} s")
    for name, seconds in steps.items():
        print(f"  {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
