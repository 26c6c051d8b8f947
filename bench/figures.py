"""Benchmark: reading figures from hostile text (validate reads briefs and seed records; the
editors' report reads readers' questions). Each input grows 4x; time that grows about 4x
with it is linear, 16x quadratic.

Run: python -m bench.figures
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.figures import extract_figures

HOSTILE = {
    "space-grouped numbers": "100 000 ",
    "a number, then spaces": " ",
    "day ranges joined by words": "Dec 2 to 3, ",
    "money and percent": "$5-6 billion 10-15% ",
    "month names": "May June July ",
}
SIZES = (5_000, 20_000, 80_000)


def timed(text: str, runs: int = 3) -> float:
    """Median seconds for one read of `text`."""
    times = []
    for run in range(runs):
        fresh = f"{'xyz'[run % 3] * (run // 3 + 1)} {text}"  # a new text: no cached reading
        gc.collect()  # the readings kept in the cache are not this read's garbage to collect
        start = time.perf_counter()
        extract_figures(fresh, 2023)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    argparse.ArgumentParser(prog="python -m bench.figures", description=__doc__).parse_args()
    print(f"python {sys.version.split()[0]}; median of 3 reads, ms")
    print(f"  {'input':30}" + "".join(f"{n:>10,}" for n in SIZES) + "   growth per 4x")
    for name, unit in HOSTILE.items():
        texts = [("5" + unit * n)[:n] if name == "a number, then spaces" else
                 (unit * (n // len(unit) + 1))[:n] for n in SIZES]
        ms = [timed(t) * 1000 for t in texts]
        growth = (ms[-1] / ms[-2]) if ms[-2] > 0 else 0.0
        print(f"  {name:30}" + "".join(f"{m:>10.1f}" for m in ms) + f"   {growth:.1f}x")


if __name__ == "__main__":
    main()
