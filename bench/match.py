"""Benchmark: median cost of one question at 10..10,000 synthetic briefs, and load time.

Run: python -m bench.match [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.briefs import Brief, Source, load_briefs
from bot.library import load_library
from bot.matching import Matcher

WORDS = """
    energy trade sanctions reform treaty alliance summit invest pipeline uranium grain
    wheat border customs visa student exchange nuclear security election parliament court
    media climate water railway port oil gas mining tariff loan bank currency tenge dollar
    agreement minister embassy consulate satellite space health vaccine tourism airline
    cargo corridor caspian steppe almaty astana aktau atyrau shymkent санкции реформа
    торговля энергия нефть газ договор граница выборы парламент суд тарих сауда мұнай
    келісім шекара сайлау
    """.split()
QUERIES = ("what did blinken say about sanktions", "odkb", "sanktions", "Тоқаевтың реформалары",
           "how much did american companies invest in kazakhstan", "hello", "uranium exports",
           "caspian pipeline corridor", "weather in almaty")


def synthetic_brief(i: int, rng: random.Random) -> Brief:
    """A brief with random keywords drawn from a shared vocabulary plus unique tokens."""
    picks = rng.sample(WORDS, 6)
    keywords = (*picks, f"{picks[0]} {picks[1]}", f"topic{i}", f"тема{i}",
                f"kw{i}x{rng.randint(0, 999)}")
    body = " ".join(rng.choice(WORDS) for _ in range(120))
    return Brief(
        id=f"synthetic-{i}", title=f"{picks[0].title()} and {picks[1]} brief {i}",
        date=dt.date(2023, 1, 1), tags=(picks[2],), keywords=keywords,
        summary=f"Summary of {picks[0]} {picks[3]}.", body=body,
        sources=(Source(f"Article {i}", "Publisher", f"https://example.org/{i}", "2023-01-01"),),
    )


def median_ms(matcher: Matcher, repeat: int, new_words: bool) -> float:
    """Median milliseconds per question over the query set; with `new_words`, every question
    is matched as if its words had never been seen (the per-word cache emptied first)."""
    samples = []
    for _ in range(repeat):
        for q in QUERIES:
            if new_words:
                matcher.clear_word_cache()
            t0 = time.perf_counter()
            matcher.match(q)
            samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    args = parser.parse_args()
    rng = random.Random(7)
    sizes = (10, 100, 1000) if args.quick else (10, 100, 1000, 10000)
    print(f"python {sys.version.split()[0]}; median of {len(QUERIES)} questions x repeats")
    print(f"{'briefs':>7} {'vocab':>7} {'build ms':>9} {'ms/question, new words':>23} "
          f"{'remembered words':>17}")
    base = None
    for n in sizes:
        briefs = [synthetic_brief(i, rng) for i in range(n)]
        t0 = time.perf_counter()
        matcher = Matcher(briefs)
        build = (time.perf_counter() - t0) * 1000
        ms = median_ms(matcher, 5 if n >= 10000 else 20, new_words=True)
        warm = median_ms(matcher, 5 if n >= 10000 else 20, new_words=False)
        base = base or ms
        print(f"{n:>7} {matcher.vocabulary_size:>7} {build:>9.1f} {ms:>15.3f} ({ms / base:4.1f}x) "
              f"{warm:>17.3f}")
    shipped = Path(__file__).resolve().parent.parent / "briefs"
    loads = []
    for _ in range(20):
        t0 = time.perf_counter()
        load_library(shipped)
        loads.append((time.perf_counter() - t0) * 1000)
    print(f"load+index shipped briefs/ ({len(load_briefs(shipped).briefs)} files): "
          f"median {statistics.median(loads):.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = (shipped / "trade-investment.yaml").read_text(encoding="utf-8")
        for i in range(1000):
            (folder / f"copy-{i}.yaml").write_text(
                src.replace("id: trade-investment", f"id: copy-{i}")
                .replace("related: [visit-2023-astana, tokayev-reforms, energy-partnership]", ""),
                encoding="utf-8")
        t0 = time.perf_counter()
        library, errors = load_library(folder)
        print(f"load+index 1,000 brief files: {(time.perf_counter() - t0) * 1000:.0f} ms "
              f"({len(library.briefs)} loaded, {len(errors)} problems)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
