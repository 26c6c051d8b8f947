"""Benchmark: what each step of answering a question costs in this process, per question, over
the throughput benchmark's 199 questions with the shipped briefs (best of --repeat passes, so a
busy machine shows less): matching, the reader's language, the reply (text and buttons), its
keyboard in Bot API form, the JSON body of the sendMessage call and the usage-log record.
Telegram itself (PTB's send, httpx) is what bench/throughput.py and bench/hotspots.py show.

Run: python -m bench.reply [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import QUESTIONS  # noqa: E402
from bot import replies  # noqa: E402
from bot.language import choose_language, question_language  # noqa: E402
from bot.library import load_library  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.telegram.send import keyboard  # noqa: E402
from bot.usage import UsageLog  # noqa: E402


def best_us(step: Callable[[int, str], object], repeat: int) -> float:
    """Microseconds a question, best of `repeat` passes over every question."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for i, q in enumerate(QUESTIONS):
            step(i, q)
        best = min(best, (time.perf_counter() - t0) / len(QUESTIONS))
    return best * 1e6


async def measure(repeat: int) -> None:
    library, _ = load_library(ROOT / "briefs")
    results = [library.match(q) for q in QUESTIONS]
    langs = [choose_language(text=q) for q in QUESTIONS]
    asks = [replies.new_ask_id() for _ in QUESTIONS]
    answers = [replies.answer(library, r, a, lang)
               for r, a, lang in zip(results, asks, langs, strict=True)]
    forms = [keyboard(a) for a in answers]
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        usage = UsageLog(store, 180, queue_size=len(QUESTIONS) * repeat * 2)

        def record(i: int, q: str) -> None:
            usage.record_question(user_id=1000 + i % 50, chat_type="private", kind="text",
                                  text=q, outcome=results[i].outcome, brief_id=None,
                                  score=None, elapsed_ms=0.1, ask=asks[i],
                                  offered=replies.offered_ids(results[i]))

        def body(i: int, q: str) -> bytes:
            params = {"chat_id": 1000 + i % 50, "text": answers[i].messages[0],
                      "parse_mode": "HTML", "reply_markup": forms[i]}
            return json.dumps(params, ensure_ascii=False).encode()  # as JSONRequest sends it

        steps: dict[str, Callable[[int, str], object]] = {
            "matching (library.match)": lambda i, q: library.match(q),
            "language of the question": lambda i, q: question_language(q),
            "reply text and buttons (replies.answer)":
                lambda i, q: replies.answer(library, results[i], replies.new_ask_id(),
                                            langs[i]),
            "keyboard, Bot API form (send.keyboard)": lambda i, q: keyboard(answers[i]),
            "sendMessage JSON body": body,
            "usage record (queued)": record,
        }
        print(f"per question, best of {repeat} passes over {len(QUESTIONS)} questions "
              f"({len(library.briefs)} briefs):")
        total = 0.0
        for name, step in steps.items():
            us = best_us(step, repeat)
            total += us
            print(f"  {name:<42} {us:8.1f} µs")
        print(f"  {'together':<42} {total:8.1f} µs")
        await usage.close()
        await store.close()


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
