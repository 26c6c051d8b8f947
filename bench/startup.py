"""Benchmark: start-up and memory.

- 1,000 brief files loaded and indexed, in this process (median of 5);
- what each part of a running bot takes in memory and time, step by step in a fresh
  interpreter: the imports, the dictionaries (pymorphy3, lemminflect's words, pycountry; each
  also alone in its own interpreter, and lemminflect's own lemma table for comparison), the
  shipped briefs, 1,000 briefs, and a second load of the dictionaries and the shipped briefs
  (nothing is loaded twice);
- `briefbot run` as a whole process, with the shipped briefs and with 1,000: from its start to
  its answer to a question that was waiting for it (median of 3), and its peak RSS (VmHWM).

Run: python -m bench.startup [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.library import load_library  # noqa: E402
from tests.fake_api import TOKEN, FakeBotAPI, text_message  # noqa: E402

QUESTION = "What did Blinken say about sanctions?"

# Each step prints one JSON line: (step, RSS in MB after it, seconds it took).
STEPS = r"""
import json, re, sys, time
def rss():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
def step(name, run):
    t0 = time.perf_counter()
    run()
    print(json.dumps([name, rss(), time.perf_counter() - t0]), flush=True)
step("interpreter", lambda: None)
step("imports (bot, PTB, aiohttp, NumPy, RapidFuzz, ...)",
     lambda: __import__("bot.cli") and __import__("bot.telegram.app"))
from pathlib import Path
from bot import lexicon
from bot.library import load_library
step("dictionaries (lexicon.preload)", lexicon.preload)
step("shipped briefs, loaded and indexed", lambda: load_library(Path(sys.argv[1])))
step("1,000 briefs, loaded and indexed", lambda: load_library(Path(sys.argv[2])))
step("again: dictionaries", lexicon.preload)
step("again: shipped briefs", lambda: load_library(Path(sys.argv[1])))
"""

ALONE = {  # one dictionary in a fresh interpreter: (name, code that loads it)
    "pymorphy3 (Russian)": "import pymorphy3; pymorphy3.MorphAnalyzer()",
    "lemminflect's words (English, bot.lexicon's sets)":
        "from bot.lexicon import in_dictionary; in_dictionary('word')",
    "lemminflect's lemma table (not loaded by the bot)":
        "import lemminflect; lemminflect.getAllLemmas('word')",
    "pycountry (country names)": "import pycountry; list(pycountry.countries)",
}
ALONE_RUN = r"""
import re, sys, time, json
def rss():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
before = rss()
t0 = time.perf_counter()
exec(sys.argv[1])
print(json.dumps([rss() - before, time.perf_counter() - t0]))
"""


def make_folder(folder: Path, n: int) -> None:
    src = (ROOT / "briefs" / "trade-investment.yaml").read_text("utf-8")
    src = src.replace("related: [visit-2023-astana, tokayev-reforms, energy-partnership]", "")
    for i in range(n):
        (folder / f"copy-{i}.yaml").write_text(
            src.replace("id: trade-investment", f"id: copy-{i}")
            .replace("  - trade\n", f"  - trade\n  - topic{i}\n"), encoding="utf-8")


def memory_by_part(shipped: Path, big: Path) -> None:
    """RSS and time of each step in a fresh interpreter, and each dictionary alone."""
    out = subprocess.run([sys.executable, "-c", STEPS, str(shipped), str(big)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    print("\nmemory and time by part (fresh interpreter, RSS after each step):")
    last = 0.0
    for line in out.splitlines():
        name, rss, seconds = json.loads(line)
        print(f"  {name:<50} {rss:6.1f} MB ({rss - last:+6.1f})  {seconds * 1000:6.0f} ms")
        last = rss
    print("each dictionary alone (fresh interpreter):")
    for name, code in ALONE.items():
        out = subprocess.run([sys.executable, "-c", ALONE_RUN, code], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        mb, seconds = json.loads(out)
        print(f"  {name:<50} {mb:+6.1f} MB  {seconds * 1000:6.0f} ms")


def run_once(folder: Path, tmp: Path) -> tuple[float, float]:
    """Start `briefbot run` with a question already waiting: seconds from the process start
    to the answer, and the peak RSS (MB) a second after it."""
    api = FakeBotAPI().start()
    api.push("message", text_message(QUESTION))
    env = {"PATH": os.environ.get("PATH", ""), "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": api.base_url, "BRIEFBOT_BRIEFS_DIR": str(folder),
           "BRIEFBOT_DB": str(tmp / f"run-{time.monotonic_ns()}.db")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp,
                            stderr=subprocess.DEVNULL)
    try:
        if not api.wait_for(lambda: api.sent >= 1, 120):
            raise SystemExit("briefbot run did not answer within 120 s")
        elapsed = time.perf_counter() - t0
        time.sleep(1.0)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return elapsed, int(hwm.split()[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(30)
        api.stop()


def whole_process(label: str, folder: Path, tmp: Path, runs: int) -> None:
    results = [run_once(folder, tmp) for _ in range(runs)]
    starts = [s for s, _ in results]
    peaks = [p for _, p in results]
    print(f"  {label:<16} start to first answer: median {statistics.median(starts):.2f} s "
          f"({min(starts):.2f}-{max(starts):.2f}); peak RSS median "
          f"{statistics.median(peaks):.0f} MB ({min(peaks):.0f}-{max(peaks):.0f})")


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of `briefbot run` each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        folder = tmp / "briefs"
        folder.mkdir()
        make_folder(folder, 1000)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            library, errors = load_library(folder)
            times.append(time.perf_counter() - t0)
        print(f"load + index 1,000 briefs: median {statistics.median(times) * 1000:.0f} ms "
              f"over 5 runs ({len(library.briefs)} briefs, {len(errors)} problems)")
        del library
        memory_by_part(ROOT / "briefs", folder)
        print(f"\n`briefbot run` as a whole process, {args.runs} runs each:")
        whole_process("shipped briefs", ROOT / "briefs", tmp, args.runs)
        whole_process("1,000 briefs", folder, tmp, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
