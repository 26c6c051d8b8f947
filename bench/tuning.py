"""The matcher's tuning view: every set it may be tuned on, with what went wrong listed.

    python -m bench.tuning [--library bench/library3] [--clinc data_full.json] [--misses]

  (t1) the dev split (tests/data/dev/) on the shipped briefs;
  (t2) the dev split with the tuning library (bench/library3/briefs) added, its off-topic
       questions that a brief of that library answers labelled so (dev_split_answered.yaml);
  (t3) the tuning library's blind questions, asked of the shipped briefs plus it;
  (t4) CLINC150's train and validation parts (--clinc; 18,200 everyday requests), asked of
       (t1)'s and (t2)'s libraries;
  (t5) validate's chatter list with the tuning library added.

It never reads the test split (tests/data/test/) or the measurement libraries (bench/library2,
bench/library4): those are what docs/matching.md reports (`python -m bench.generalization`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bench.generalization import CLINC_PARTS, clinc_utterances, language, matcher_of
from bench.generalization import report as table
from bot.chatter import chatter
from bot.evaluation import evaluate, read_labelled, read_split, relabelled
from bot.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent


def misses(title: str, matcher: Matcher, path_questions: list) -> None:  # type: ignore[type-arg]
    f = evaluate(matcher, path_questions)
    kinds = Counter("off-topic answered" if expect == "none" and not got.startswith("suggest")
                    else "off-topic offered" if expect == "none"
                    else "offered" if got.startswith("suggest") else
                    "none" if got == "none" else "wrong" for _q, expect, got in f.misses)
    print(f"-- misses of {title}: {dict(kinds)}")
    for q, expect, got in f.misses:
        print(f"   [{language(q)}] {q!r}: expected {expect}, got {got}")


def requests(title: str, matcher: Matcher, texts: list[str], show: bool) -> None:
    answered, offered = [], []
    for text in texts:
        result = matcher.match(text)
        if result.outcome == "answer" and result.best is not None:
            answered.append((text, result.best.brief.id))
        elif result.outcome == "suggest":
            offered.append((text, ",".join(m.brief.id for m in result.suggestions)))
    n = len(texts)
    print(f"== {title}: {n} messages: answered {len(answered)} ({len(answered) / n:.2%}), "
          f"offered {len(offered)} ({len(offered) / n:.2%})")
    if show:
        for text, got in answered:
            print(f"   answered {text!r}: {got}")
        for text, got in offered[:60]:
            print(f"   offered {text!r}: {got}")


MEASUREMENTS = ("library2", "library4")  # editor-built libraries kept for measuring only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--briefs", type=Path, default=ROOT / "briefs")
    parser.add_argument("--library", type=Path, default=ROOT / "bench" / "library3")
    parser.add_argument("--clinc", type=Path, help="CLINC150's data/data_full.json")
    parser.add_argument("--misses", action="store_true", help="list what went wrong")
    args = parser.parse_args()
    if args.library.resolve().name in MEASUREMENTS:
        parser.error(f"{args.library.name} is a measurement, not a tuning set")
    dev = read_split(ROOT / "tests" / "data" / "dev")
    shipped, _, _ = matcher_of([args.briefs])
    both, count, errors = matcher_of([args.briefs, args.library / "briefs"])
    print(f"tuning library: {count} briefs with the shipped ones ({errors} load problems)")
    table("(t1) dev split, shipped briefs", shipped, dev)
    dev_both = relabelled(dev, args.library / "dev_split_answered.yaml")
    table("(t2) dev split, shipped + tuning library (its off-topic questions a brief of the "
          "library answers labelled so)", both, dev_both)
    blind = read_labelled(args.library / "questions.yaml")
    table("(t3) tuning library's questions, shipped + tuning library", both, blind)
    if args.misses:
        misses("(t2)", both, dev_both)
        misses("(t3)", both, blind)
    if args.clinc:
        texts = clinc_utterances(args.clinc, CLINC_PARTS["tuning"])
        requests("(t4) CLINC150 tuning parts, shipped briefs", shipped, texts, False)
        requests("(t4) CLINC150 tuning parts, shipped + tuning library", both, texts,
                 args.misses)
    requests("(t5) chatter list, shipped + tuning library", both,
             [text for _lang, text in chatter()], args.misses)



if __name__ == "__main__":
    main()
