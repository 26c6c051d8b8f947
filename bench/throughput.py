"""Benchmark: replies per second against the local Bot API stand-in.

The stand-in runs in its own process (so its HTML checks do not share the bots' interpreter).
Side by side, on the same stand-in and the same messages (the 199 questions of the accuracy
set, from 50 users): the smallest PTB echo bot, the echo bot sending briefbot's replies
(worked out beforehand), briefbot as configured by default (usage
logging on, per-chat ordered concurrency), briefbot without logging, briefbot one update at a
time, and the echo bot with PTB's own concurrent_updates. Then the same when every Bot API call
takes 50 ms, as it does from a server far from Telegram's. Last, briefbot's p50/p99 reply
latency while its folder of 1,000 briefs is re-indexed, against the same without a reload.

Run: python -m bench.throughput [--messages N] [--rounds R] [--far-messages N]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
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

from telegram import LinkPreviewOptions, Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot import replies  # noqa: E402
from bot.config import settings_from_env  # noqa: E402
from bot.language import choose_language  # noqa: E402
from bot.library import load_library  # noqa: E402
from bot.memory import hold_mmap_threshold  # noqa: E402
from bot.telegram.app import build_application, initial_state  # noqa: E402
from bot.telegram.request import JSONRequest  # noqa: E402
from bot.telegram.send import markup_kwargs  # noqa: E402
from tests.fake_api import TOKEN, text_message  # noqa: E402


def load_questions() -> list[str]:
    """The accuracy set's 199 questions (on- and off-topic, typos, Russian, Kazakh), in a fixed
    shuffled order: varied traffic, not a handful of repeats."""
    data = yaml.safe_load((ROOT / "tests" / "data" / "dev" / "questions.yaml").read_text("utf-8"))
    questions = [item["q"] for item in data]
    random.Random(7).shuffle(questions)
    return questions


QUESTIONS = load_questions()
RELOAD_EVERY = 0.25  # seconds between the reload job's scans in the latency run
FAR_LATENCY = 0.05  # seconds per Bot API call in the "far from Telegram" runs


class RemoteAPI:
    """The stand-in (tests/fake_api.py) in a child process, driven over its control URLs."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fake_api"], cwd=ROOT,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        self.root = self.base_url.removesuffix("/bot")

    def _control(self, name: str, body: Any = None, timeout: float = 10) -> dict[str, Any]:
        data = json.dumps([] if body is None else body).encode()
        with urllib.request.urlopen(f"{self.root}/control/{name}", data=data,
                                    timeout=timeout) as r:
            return json.loads(r.read())  # type: ignore[no-any-return]

    def push(self, updates: list[tuple[str, dict[str, Any]]]) -> None:
        self._control("push", updates)

    def latency(self, seconds: float) -> None:
        """Make every call but getUpdates wait this long, like a server far away."""
        self._control("latency", seconds)

    def ask(self, update: dict[str, Any]) -> float:
        """Push a message and wait for its reply; the latency in ms, timed by the stand-in."""
        return float(self._control("ask", ["message", update])["latency_ms"])

    def sent(self) -> int:
        return self._control("stats")["sent"]

    async def wait_sent(self, target: int) -> None:
        """Until the stand-in has received `target` replies in all (it answers when they are
        in: no polling that would take the interpreter from the bot being measured)."""
        last = -1
        while (sent := (await asyncio.to_thread(self._control, "wait", target, 90))["sent"]) \
                < target:  # the stand-in waited a minute: again, while replies still come
            if sent == last:
                raise RuntimeError(f"no reply for a minute: {sent} of {target} sent")
            last = sent

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The smallest useful bot: reply with the same text."""
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def echo_app(api: RemoteAPI, concurrent: bool = False) -> Application:  # type: ignore[type-arg]
    """The echo bot: PTB's defaults (one update at a time, or PTB's own concurrency)."""
    app = (Application.builder().token(TOKEN).base_url(api.base_url)
           .concurrent_updates(concurrent).build())
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


def payload_echo_app(api: RemoteAPI) -> Application:  # type: ignore[type-arg]
    """The echo bot sending briefbot's reply to each question (worked out beforehand, in the
    question's language, with 👍/👎) the way briefbot sends it: what the reply itself costs,
    without matching or logging."""
    library, _ = load_library(ROOT / "briefs")
    canned = {q: replies.answer(library, library.match(q), replies.new_ask_id(),
                                choose_language(text=q)) for q in QUESTIONS}
    preview_off = LinkPreviewOptions(is_disabled=True)

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message and message.text:
            answer = canned[message.text]
            await message.reply_text(answer.messages[0], parse_mode="HTML", do_quote=False,
                                     link_preview_options=preview_off,
                                     api_kwargs=markup_kwargs(answer) or None)

    app = (Application.builder().token(TOKEN).base_url(api.base_url)
           .request(JSONRequest()).build())
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, reply))
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
                  logging_on: bool = True) -> tuple[float, float]:
    """Queue n questions, start polling; replies per second until all are answered, and this
    process's CPU time per reply in ms (every thread: the usage writer's included)."""
    await started(app, logging_on)
    before = api.sent()
    api.push([("message", text_message(QUESTIONS[i % len(QUESTIONS)], uid=1000 + i % 50,
                                       message_id=i + 1)) for i in range(n)])
    t0, cpu0 = time.perf_counter(), time.process_time()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    await api.wait_sent(before + n)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    await stopped(app)
    return n / elapsed, cpu / n * 1000


async def reply_latencies(api: RemoteAPI, tmp: Path, briefs: Path, n: int,
                          reload_every: float | None) -> tuple[list[float], list[float]]:
    """Per-question latency (update available -> reply received, timed by the stand-in), one
    question at a time.

    With `reload_every`, the bot's own reload job runs at that interval while a brief is added
    to the folder as soon as the previous one is served, so the bot re-indexes all the time.
    Returns the latencies (ms) and, per added brief, the time until it was served (ms).
    """
    config = env(api, tmp, briefs) | {"BRIEFBOT_RELOAD_SECONDS": str(reload_every or 3600)}
    settings = settings_from_env(config, tmp)
    app = build_application(settings, initial_state(settings))
    await started(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0)
    template = (briefs / "copy-0.yaml").read_text("utf-8")
    served: list[float] = []
    done = asyncio.Event()

    async def keep_adding() -> None:
        for i in itertools.count():
            name = f"new-{i}"
            (briefs / f"{name}.yaml").write_text(template.replace("id: copy-0", f"id: {name}"),
                                                 encoding="utf-8")
            t0 = time.perf_counter()
            while app.bot_data.library.get(name) is None:
                if done.is_set():
                    return
                await asyncio.sleep(0.002)
            served.append((time.perf_counter() - t0) * 1000)

    adder = asyncio.get_running_loop().create_task(keep_adding()) if reload_every else None
    lat = [await asyncio.to_thread(api.ask, text_message(QUESTIONS[i % len(QUESTIONS)],
                                                           message_id=i + 1))
           for i in range(n)]
    done.set()
    if adder is not None:
        await adder
    await stopped(app)
    return lat, served


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def throughput(api: RemoteAPI, tmp: Path, messages: int, rounds: int,
                     only: set[str] | None = None,
                     ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Replies/s per variant per round; each round runs every variant once, in rotated order,
    so a noisy neighbour hits all of them alike."""
    briefs = tmp / "briefs"
    if not briefs.exists():
        shutil.copytree(ROOT / "briefs", briefs)
    settings = settings_from_env(env(api, tmp, briefs), tmp)

    def briefbot(limit: int | None = None, form: bool = False) -> Application:  # type: ignore[type-arg]
        request = HTTPXRequest(connection_pool_size=256) if form else None
        return build_application(settings, initial_state(settings), concurrent_updates=limit,
                                 request=request)

    variants: dict[str, tuple[Any, bool]] = {
        "echo": (lambda: echo_app(api), True),
        "echo-brief-payload": (lambda: payload_echo_app(api), True),
        "briefbot": (briefbot, True),
        "briefbot-form-bodies": (lambda: briefbot(form=True), True),
        "briefbot-nolog": (briefbot, False),
        "briefbot-1-at-a-time": (lambda: briefbot(1), True),
        "echo-ptb-concurrent": (lambda: echo_app(api, concurrent=True), True),
    }
    if only:
        variants = {k: v for k, v in variants.items() if k in only or k == "echo"}
    results: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            make, logging_on = variants[name]
            rate, cpu_ms = await measure(make(), api, messages, logging_on)
            results[name].append(rate)
            cpu[name].append(cpu_ms)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.0f}/s" for k, v in results.items()),
              flush=True)
    return results, cpu


def report(measured: tuple[dict[str, list[float]], dict[str, list[float]]],
           title: str) -> None:
    """Median rate per variant, the median of each round's ratio to the echo bot, and the
    median CPU time per reply (this process, all threads)."""
    results, cpu = measured
    print(f"\n{title}")
    for name, rates in results.items():
        ratios = [rate / echo for rate, echo in zip(rates, results["echo"], strict=True)]
        print(f"  {name:<22} {statistics.median(rates):8.0f}/s   "
              f"{statistics.median(ratios):.2f}x echo (rounds: "
              f"{min(ratios):.2f}-{max(ratios):.2f})   "
              f"CPU {statistics.median(cpu[name]):.2f} ms/reply")
    if "briefbot-nolog" in results and "briefbot" in results:
        cost = [1 - on / off for on, off in zip(results["briefbot"], results["briefbot-nolog"],
                                                strict=True)]
        print(f"  logging cost: median {100 * statistics.median(cost):.1f}% of the rate "
              "(briefbot with usage logging vs without)")
    if "briefbot-form-bodies" in results and "briefbot" in results:
        gain = [json / form - 1 for json, form in zip(results["briefbot"],
                                                      results["briefbot-form-bodies"],
                                                      strict=True)]
        print(f"  JSON bodies vs PTB's form bodies: median {100 * statistics.median(gain):+.1f}%"
              f" of the rate (rounds: {100 * min(gain):+.1f}% to {100 * max(gain):+.1f}%)")


async def main_async(messages: int, rounds: int, far_messages: int,
                     only: set[str] | None = None) -> None:
    api = RemoteAPI()
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            report(await throughput(api, tmp, messages, rounds, only),
                   f"replies/s, local stand-in, {rounds} rounds x {messages} messages "
                   "(50 users):")
            if only:
                return
            api.latency(FAR_LATENCY)
            report(await throughput(api, tmp, far_messages, max(1, rounds // 3)),
                   f"replies/s when each Bot API call takes {FAR_LATENCY * 1000:.0f} ms "
                   f"(as from a server far from Telegram's), {far_messages} messages:")
            api.latency(0.0)

            big = tmp / "big"
            big.mkdir()
            src = (ROOT / "briefs" / "trade-investment.yaml").read_text("utf-8")
            src = src.replace("related: [visit-2023-astana, tokayev-reforms, "
                              "energy-partnership]", "")
            for i in range(1000):
                (big / f"copy-{i}.yaml").write_text(
                    src.replace("id: trade-investment", f"id: copy-{i}"), encoding="utf-8")
            quiet, _ = await reply_latencies(api, tmp, big, 600, reload_every=None)
            busy, served = await reply_latencies(api, tmp, big, 600, reload_every=RELOAD_EVERY)
            print(f"\nreply latency with 1,000 briefs: p50 {pct(quiet, .5):.2f} ms, "
                  f"p99 {pct(quiet, .99):.2f} ms")
            print(f"while re-indexing ({len(served)} briefs added, reload job every "
                  f"{RELOAD_EVERY * 1000:.0f} ms): p50 {pct(busy, .5):.2f} ms, "
                  f"p99 {pct(busy, .99):.2f} ms ({pct(busy, .99) / pct(quiet, .99):.2f}x)")
            print(f"a brief added to the folder of 1,000 was served after: median "
                  f"{statistics.median(served):.0f} ms, max {max(served):.0f} ms "
                  f"(interval {RELOAD_EVERY * 1000:.0f} ms)")
    finally:
        api.stop()


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--far-messages", type=int, default=120)
    parser.add_argument("--only", help="comma-separated variants (with the echo bot); "
                        "skips the far-server and reload runs")
    args = parser.parse_args()
    logging_setup()
    hold_mmap_threshold()  # as `briefbot run` does at start (bot/memory.py); every bot alike
    only = set(args.only.split(",")) if args.only else None
    asyncio.run(main_async(args.messages, args.rounds, args.far_messages, only))
    return 0


def logging_setup() -> None:
    """Quiet: the benchmark prints figures, not logs."""
    import logging

    logging.basicConfig(level=logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
