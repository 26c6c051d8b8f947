"""Benchmark: `briefbot validate` on a brief whose fields are padded with stray figures (a
pasted table, a runaway edit). The padding grows 4x; time that grows about 4x with it is
linear, 16x quadratic. Each run validates a copy of the test fixture library (11 briefs) with
one brief padded in its summary, body and both translations' bodies.

Run: python -m bench.validate
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import main as briefbot  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PADDED = "trade-investment.yaml"
FIELDS = ("summary", "body", "ru.body", "kk.body")
SIZES = (3_000, 12_000, 48_000)  # characters of padding in each field


def padded_library(folder: Path, chars: int) -> Path:
    """A copy of the fixture library with `chars` characters of '7 7 7 …' in each field."""
    shutil.copytree(FIXTURES / "briefs", folder / "briefs")
    shutil.copytree(FIXTURES / "seeds", folder / "seeds")
    path = folder / "briefs" / PADDED
    data = yaml.safe_load(path.read_text("utf-8"))
    padding = ("7 " * (chars // 2 + 1))[:chars]
    for field in FIELDS:
        *parents, name = field.split(".")
        node = data
        for parent in parents:
            node = node[parent]
        node[name] = f"{node[name]}\n{padding}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10**9), "utf-8")
    return folder / "briefs"


def timed(chars: int, runs: int) -> float:
    """Median seconds of one `briefbot validate` of the padded library."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            briefs = padded_library(Path(tmp), chars)
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                code = briefbot(["validate", str(briefs), "--seeds", str(briefs.parent / "seeds")])
            times.append(time.perf_counter() - start)
            if code != 1:
                raise SystemExit(f"expected validate to fail on the padded brief, got {code}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES,
                        help="characters of padding per field, each 4x the one before")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; median of {args.runs} runs, seconds")
    print("  padding per field" + "".join(f"{n:>10,}" for n in args.sizes) + "   growth per 4x")
    seconds = [timed(n, args.runs) for n in args.sizes]
    growth = seconds[-1] / seconds[-2] if len(seconds) > 1 and seconds[-2] > 0 else 0.0
    print("  validate         " + "".join(f"{s:>10.2f}" for s in seconds) + f"   {growth:.1f}x")


if __name__ == "__main__":
    main()
