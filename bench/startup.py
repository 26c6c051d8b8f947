"""Benchmark: load and index 1,000 briefs, and the peak memory of `briefbot run` serving them.

Run: python -m bench.startup
"""

from __future__ import annotations

import argparse
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
from tests.fake_api import TOKEN, FakeBotAPI  # noqa: E402


def make_folder(folder: Path, n: int) -> None:
    src = (ROOT / "briefs" / "trade-investment.yaml").read_text("utf-8")
    src = src.replace("related: [visit-2023-astana, tokayev-reforms, energy-partnership]", "")
    for i in range(n):
        (folder / f"copy-{i}.yaml").write_text(
            src.replace("id: trade-investment", f"id: copy-{i}")
            .replace("  - trade\n", f"  - trade\n  - topic{i}\n"), encoding="utf-8")


def peak_rss_mb(folder: Path, tmp: Path) -> float:
    api = FakeBotAPI().start()
    env = {"PATH": os.environ.get("PATH", ""), "TELEGRAM_BOT_TOKEN": TOKEN,
           "TELEGRAM_API_BASE_URL": api.base_url, "BRIEFBOT_BRIEFS_DIR": str(folder),
           "BRIEFBOT_DB": str(tmp / "rss.db")}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp,
                            stderr=subprocess.DEVNULL)
    try:
        api.wait_for(lambda: bool(api.calls_to("setMyCommands")), 60)
        time.sleep(1.0)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(hwm.split()[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(30)
        api.stop()


def main() -> int:
    """Print the figures."""
    argparse.ArgumentParser(description=__doc__).parse_args()
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
        rss = peak_rss_mb(folder, tmp)
        print(f"peak RSS of `briefbot run` serving 1,000 briefs: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
