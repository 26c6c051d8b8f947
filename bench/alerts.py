"""Benchmark: alert fan-out to 1,000 subscribers against a stand-in that answers 429 whenever
more than 30 sends fall in one second. Prints delivered, 429s and the sustained rate.

Run: python -m bench.alerts [--subscribers N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Bot  # noqa: E402

from bot.alerts import AlertSender, detect_new  # noqa: E402
from bot.briefs import Brief, Source  # noqa: E402
from bot.library import Library  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.telegram.jobs import make_sender  # noqa: E402
from tests.fake_api import TOKEN, FakeBotAPI  # noqa: E402

BRIEF = Brief("bench-news", "Benchmark news", dt.date(2026, 1, 1), ("energy",), ("k",),
              "A summary.", "body", (Source("t", "p", "https://example.org", "2026-01-01"),))


async def run(subscribers: int, rate: float) -> None:
    api = FakeBotAPI().start()
    api.rate_limit = 30
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "alerts.db")
        await detect_new(store, Library(()))
        for chat in range(1, subscribers + 1):
            await store.add_subscription(chat, "")
        library = Library((BRIEF,))
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            sender = AlertSender(store, make_sender(bot), lambda: library, rate=rate)
            t0 = time.perf_counter()
            await detect_new(store, library)
            sender.start()
            while await store.due_deliveries(limit=1):  # noqa: ASYNC110 - polling the db
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - t0
            await sender.close()
        results = await store.alert_results()
        await store.close()
    api.stop()
    sent = [c for c in api.calls if c.method == "sendMessage" and c.status == 200]
    throttled = [c for c in api.calls if c.method == "sendMessage" and c.status == 429]
    starts = sorted(c.at for c in sent)
    window = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    print(f"subscribers {subscribers}, pacing {rate}/s")
    print(f"delivered {results.get('sent', 0)}/{subscribers}, "
          f"429 answers {len(throttled)}, most sends in any 1 s window {window}")
    print(f"sustained {len(sent) / elapsed:.1f} alerts/s over {elapsed:.1f} s")


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=28.0)
    args = parser.parse_args()
    asyncio.run(run(args.subscribers, args.rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
