"""Benchmark: replies per second against the local Bot API stand-in.

The stand-in runs in its own process (so its HTML checks do not share the bots' interpreter).
Side by side in one run, on the same stand-in and the same messages: the smallest PTB echo bot,
briefbot with usage logging on, briefbot with logging off, and briefbot with
concurrent_updates. Also prints the p50/p99 reply latency of briefbot while its briefs folder
is re-indexed (1,000 briefs), against the same without a reload.

Run: python bench/throughput.py [--messages N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.config import settings_from_env  # noqa: E402
from bot.telegram.app import build_application, initial_state  # noqa: E402
from tests.fake_api import TOKEN, text_message  # noqa: E402


def load_questions() -> list[str]:
    """The accuracy set's 199 questions (on- and off-topic, typos, Russian, Kazakh), in a fixed
    shuffled order: varied traffic, not a handful of repeats."""
    data = yaml.safe_load((ROOT / "tests" / "data" / "questions.yaml").read_text("utf-8"))
    questions = [item["q"] for item in data]
    random.Random(7).shuffle(questions)
    return questions


QUESTIONS = load_questions()


class RemoteAPI:
    """The stand-in (tests/fake_api.py) in a child process, driven over its control URLs."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fake_api"], cwd=ROOT,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        self.root = self.base_url.removesuffix("/bot")

    def _control(self, name: str, body: Any = None) -> dict[str, int]:
        data = json.dumps(body or []).encode()
        with urllib.request.urlopen(f"{self.root}/control/{name}", data=data, timeout=10) as r:
            return json.loads(r.read())  # type: ignore[no-any-return]

    def push(self, updates: list[tuple[str, dict[str, Any]]]) -> None:
        self._control("push", updates)

    def sent(self) -> int:
        return self._control("stats")["sent"]

    async def wait_sent(self, target: int, poll: float = 0.005) -> None:
        while await asyncio.to_thread(self.sent) < target:  # noqa: ASYNC110 - another process
            await asyncio.sleep(poll)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The smallest useful bot: reply with the same text."""
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def echo_app(api: RemoteAPI) -> Application:  # type: ignore[type-arg]
    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


def env(api: RemoteAPI, tmp: Path, briefs: Path) -> dict[str, str]:
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
            "BRIEFBOT_BRIEFS_DIR": str(briefs), "BRIEFBOT_DB": str(tmp / "bench.db"),
            "BRIEFBOT_RELOAD_SECONDS": "3600"}


async def started(app: Application, logging_on: bool = True) -> None:  # type: ignore[type-arg]
    """Initialize and start as run_polling would (without polling yet)."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    state = app.bot_data
    if not logging_on and getattr(state, "usage", None) is not None:
        await state.usage.close()
        state.usage = None
    await app.start()


async def stopped(app: Application) -> None:  # type: ignore[type-arg]
    """Stop and shut down as run_polling would."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    if app.post_stop:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


async def measure(app: Application, api: RemoteAPI, n: int,  # type: ignore[type-arg]
                  logging_on: bool = True) -> float:
    """Queue n questions, start polling, return replies per second until all are answered."""
    await started(app, logging_on)
    before = api.sent()
    api.push([("message", text_message(QUESTIONS[i % len(QUESTIONS)], uid=1000 + i % 50,
                                       message_id=i + 1)) for i in range(n)])
    t0 = time.perf_counter()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    await api.wait_sent(before + n)
    elapsed = time.perf_counter() - t0
    await stopped(app)
    return n / elapsed


async def reply_latencies(api: RemoteAPI, tmp: Path, briefs: Path, n: int,
                          reload_during: bool) -> list[float]:
    """Per-question latency (push -> reply sent) while optionally re-indexing the folder."""
    from bot.telegram import jobs

    settings = settings_from_env(env(api, tmp, briefs), tmp)
    app = build_application(settings, initial_state(settings))
    await started(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    lat: list[float] = []
    reloads: list[asyncio.Task[None]] = []
    template = (briefs / "copy-0.yaml").read_text("utf-8")
    for i in range(n):
        if reload_during and i % 10 == 0:
            (briefs / f"new-{i}.yaml").write_text(template.replace("id: copy-0", f"id: new-{i}"),
                                                  encoding="utf-8")
            context = type("Ctx", (), {"bot_data": app.bot_data, "bot": app.bot})()
            reloads.append(asyncio.get_running_loop().create_task(
                jobs.reload_briefs(context)))  # type: ignore[arg-type]
        before = await asyncio.to_thread(api.sent)
        t0 = time.perf_counter()
        await asyncio.to_thread(api.push, [("message", text_message(
            QUESTIONS[i % len(QUESTIONS)], message_id=i + 1))])
        await api.wait_sent(before + 1, poll=0.0005)
        lat.append((time.perf_counter() - t0) * 1000)
    await asyncio.gather(*reloads)
    await stopped(app)
    return lat


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def main_async(messages: int, rounds: int) -> None:
    api = RemoteAPI()
    results: dict[str, list[float]] = {k: [] for k in
                                       ("echo", "briefbot", "briefbot-nolog", "briefbot-conc")}
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            briefs = tmp / "briefs"
            shutil.copytree(ROOT / "briefs", briefs)
            settings = settings_from_env(env(api, tmp, briefs), tmp)
            for r in range(rounds):
                results["echo"].append(await measure(echo_app(api), api, messages))
                results["briefbot"].append(await measure(
                    build_application(settings, initial_state(settings)), api, messages))
                results["briefbot-nolog"].append(await measure(
                    build_application(settings, initial_state(settings)), api, messages,
                    logging_on=False))
                results["briefbot-conc"].append(await measure(
                    build_application(settings, initial_state(settings),
                                      concurrent_updates=True), api, messages))
                print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.0f}/s"
                                                     for k, v in results.items()), flush=True)
            med = {k: statistics.median(v) for k, v in results.items()}
            print(f"\nreplies/s, median of {rounds} rounds x {messages} messages:")
            for k, v in med.items():
                print(f"  {k:<15} {v:8.0f}/s   {v / med['echo']:.2f}x echo")
            print(f"  logging cost: {100 * (1 - med['briefbot'] / med['briefbot-nolog']):.1f}% "
                  "(briefbot with logging vs without)")

            big = tmp / "big"
            big.mkdir()
            src = (ROOT / "briefs" / "trade-investment.yaml").read_text("utf-8")
            src = src.replace("related: [visit-2023-astana, tokayev-reforms, "
                              "energy-partnership]", "")
            for i in range(1000):
                (big / f"copy-{i}.yaml").write_text(
                    src.replace("id: trade-investment", f"id: copy-{i}"), encoding="utf-8")
            quiet = await reply_latencies(api, tmp, big, 200, reload_during=False)
            busy = await reply_latencies(api, tmp, big, 200, reload_during=True)
            print(f"\nreply latency with 1,000 briefs: p50 {pct(quiet, .5):.2f} ms, "
                  f"p99 {pct(quiet, .99):.2f} ms")
            print(f"while re-indexing (20 reloads): p50 {pct(busy, .5):.2f} ms, "
                  f"p99 {pct(busy, .99):.2f} ms ({pct(busy, .99) / pct(quiet, .99):.2f}x)")
    finally:
        api.stop()


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging_setup()
    asyncio.run(main_async(args.messages, args.rounds))
    return 0


def logging_setup() -> None:
    """Quiet: the benchmark prints figures, not logs."""
    import logging

    logging.basicConfig(level=logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
