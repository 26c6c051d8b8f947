"""Matcher accuracy on the labelled splits: `python -m bench.accuracy [--split dev|test|both]`.

The test split (tests/data/test/) was written blind and is never read while tuning: report it,
don't tune on it. `--misses` lists the questions that went wrong (use it on dev only).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.evaluation import evaluate, read_split, unrelated_briefs
from bot.library import load_library
from bot.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="list what went wrong")
    parser.add_argument("--briefs", type=Path, default=ROOT / "briefs")
    parser.add_argument("--unrelated", type=int, default=0, metavar="N",
                        help="add N generated briefs of made-up words (drift with library size)")
    args = parser.parse_args()
    library = load_library(args.briefs)[0]
    matcher = Matcher([*library.briefs, *unrelated_briefs(args.unrelated)], topic=library.topic)
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    for split in splits:
        questions = read_split(ROOT / "tests" / "data" / split)
        figures = evaluate(matcher, questions)
        print(f"== {split} ({len(questions)} questions)")
        print(figures.summary())
        if args.misses:
            for text, want, got in figures.misses:
                print(f"  {want:<24} <- {got:<40} {text}")


if __name__ == "__main__":
    main()
