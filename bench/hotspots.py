"""Where a reply's time goes: briefbot (defaults, usage logging on) answering the throughput
benchmark's questions against the Bot API stand-in, sampled by py-spy while it answers.

py-spy attaches to this process only for the measured window (start-up and indexing are
left out) and records every thread's stacks; the tables count the event loop's thread, the
one that limits replies per second. Its samples spent waiting in the selector are idle time.
The collapsed stacks are kept (`--out`) for a flame graph: `flamegraph.pl`, inferno or
speedscope read them.

Needs py-spy: pip install -e ".[profile]" (py-spy attaches with ptrace: run as the same user,
and in a container allow ptrace).

Run: python -m bench.hotspots [--messages N] [--rate HZ] [--out FILE] [--top N]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import (  # noqa: E402
    QUESTIONS,
    RemoteAPI,
    env,
    logging_setup,
    started,
    stopped,
)
from bot.config import settings_from_env  # noqa: E402
from bot.memory import hold_mmap_threshold  # noqa: E402
from bot.telegram.app import build_application, initial_state  # noqa: E402
from tests.fake_api import text_message  # noqa: E402

IDLE = ("select (selectors.py", "EpollSelector.select")  # the loop waiting for the network
# What each sample is counted as: the first of these found in its stack, innermost first.
STAGES = (
    ("usage log (record)", "record (bot/telegram/handlers.py"),
    ("language of the reader", "reader_language (bot/telegram/reader.py"),
    ("matching", "match (bot/library.py"),
    ("reply text and buttons (core)", "answer (bot/replies.py"),
    ("keyboard to Telegram objects", "keyboard (bot/telegram/send.py"),
    ("send: PTB + aiohttp + socket", "send_reply (bot/telegram/send.py"),
    ("handler, the rest", "question (bot/telegram/handlers.py"),
    ("per-chat order and dispatch", "process_update (telegram/ext/_application.py"),
    ("getUpdates: unreadable-update check", "skip_poison (bot/telegram/request.py"),
    ("getUpdates: fetch + parse", "polling_action_cb (telegram/ext/_updater.py"),
    ("usage log (writer task)", "_run (bot/usage.py"),
    ("event loop", "_run_once (asyncio/base_events.py"),
)
LINE = re.compile(r":\d+\)$")


def frame_name(frame: str) -> str:
    """'func (path/to/file.py:12)' -> 'func (to/file.py)': site-packages and the checkout
    are cut from paths, and line numbers dropped, so a function is one row."""
    frame = LINE.sub(")", frame)
    for cut in ("site-packages/", str(ROOT) + "/"):
        frame = frame.replace(cut, "") if cut in frame else frame
    return re.sub(r"\(/[^()]*?/(python3\.\d+/)?", "(", frame)


def load(path: Path) -> list[tuple[list[str], int]]:
    """The main thread's samples from py-spy's collapsed stacks (recorded with --threads)."""
    samples = []
    for line in path.read_text("utf-8", "replace").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if len(frames) < 2 or "MainThread" not in frames[0]:
            continue  # another thread, or a sample with no Python frame
        samples.append(([frame_name(f) for f in frames[1:]], int(count)))
    return samples


def report(samples: list[tuple[list[str], int]], top: int, replies: int) -> None:
    """Busy share per stage, then the top functions (inclusive and self) of busy samples."""
    total = sum(n for _, n in samples)
    busy = [(s, n) for s, n in samples if not any(i in s[-1] for i in IDLE)]
    busy_n = sum(n for _, n in busy)
    print(f"\nevent-loop thread: {total} samples, {busy_n} busy "
          f"({100 * busy_n / max(1, total):.0f}%); {replies} replies\n")
    stages: collections.Counter[str] = collections.Counter()
    for stack, n in busy:
        joined = ";".join(stack)
        stage = next((name for name, marker in STAGES if marker in joined), "other")
        stages[stage] += n
    print("busy time by stage (innermost stage named in the stack):")
    for name, n in stages.most_common():
        print(f"  {100 * n / busy_n:5.1f}%  {name}")
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for stack, n in busy:
        for name in set(stack):
            inclusive[name] += n
        own[stack[-1]] += n
    for title, table in (("inclusive", inclusive), ("self", own)):
        print(f"\ntop {top} functions by {title} share of busy time:")
        for name, n in table.most_common(top):
            print(f"  {100 * n / busy_n:5.1f}%  {name}")


def attach(spy: str, rate: int, out: Path) -> subprocess.Popen[str]:
    """py-spy recording this process (every thread) until it gets SIGINT."""
    recorder = subprocess.Popen(
        [spy, "record", "--pid", str(os.getpid()), "--rate", str(rate), "--threads", "--gil",
         "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # attached by now, or failed
    if recorder.poll() is not None:
        problem = recorder.stderr.read().strip() if recorder.stderr else ""
        raise SystemExit(f"py-spy could not attach: {problem}")
    return recorder


async def run(messages: int, rate: int, out: Path, spy: str) -> int:
    """Answer `messages` questions with py-spy attached; return how many were answered."""
    api = RemoteAPI()
    try:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            briefs = tmp / "briefs"
            shutil.copytree(ROOT / "briefs", briefs)
            settings = settings_from_env(env(api, tmp, briefs), tmp)
            app = build_application(settings, initial_state(settings))
            await started(app)
            before = api.sent()
            users = max(50, messages // 10)  # few updates a chat: none dropped as a flood
            api.push([("message", text_message(QUESTIONS[i % len(QUESTIONS)],
                                               uid=1000 + i % users, message_id=i + 1))
                      for i in range(messages)])
            recorder = attach(spy, rate, out)
            try:
                t0 = time.perf_counter()
                assert app.updater is not None
                await app.updater.start_polling(timeout=1, poll_interval=0)
                await api.wait_sent(before + messages)
                elapsed = time.perf_counter() - t0
            finally:
                recorder.send_signal(signal.SIGINT)
                recorder.wait(60)
                await stopped(app)
            print(f"{messages} replies in {elapsed:.2f} s ({messages / elapsed:.0f}/s while "
                  f"sampled at {rate} Hz)")
            return messages
    finally:
        api.stop()


def main() -> int:
    """Print the profile's top."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) /
                        "briefbot-replies.collapsed", help="collapsed stacks (a flame graph's "
                        "input)")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print('py-spy is not installed: pip install -e ".[profile]"', file=sys.stderr)
        return 2
    logging_setup()
    hold_mmap_threshold()  # as `briefbot run` does at start
    replies = asyncio.run(run(args.messages, args.rate, args.out, spy))
    report(load(args.out), args.top, replies)
    print(f"\ncollapsed stacks: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
