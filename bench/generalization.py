"""How the matcher generalizes, measured four ways (figures for docs/matching.md):

  (a) the test split (tests/data/test/) on the shipped briefs;
  (b) the same split with a second library added (briefs/ + LIBRARY2/briefs); reported again
      with LIBRARY2/test_split_answered.yaml's labels: the split's off-topic questions that a
      brief of the second library answers (judged from the texts, not the bot's replies);
  (c) blind questions on the second library (LIBRARY2/questions.yaml, when it is there), asked
      of the shipped briefs plus the second library;
  (d) everyday assistant requests from the public CLINC150 intent data set (--clinc PATH to its
      data_full.json; not part of this repository), asked of (a)'s and (b)'s libraries: its
      test parts (test, oos_test: 5,500 requests) by default; its train and validation parts
      (--clinc-parts tuning: 18,200) are the ones to look at while improving the matcher;
  (e) validate's everyday chatter list (bot/lang/chatter/, en/ru/kk), asked of the same two.

    python -m bench.generalization [--library2 bench/library2] [--clinc data_full.json]

--library2 takes any editor-built library kept for measuring: bench/library2, or
bench/library4 (a fourth, built later the same way, never tuned on either).

Each labelled set is reported by language (en/ru/kk) as: answered right, reached in one tap
(the right brief answered or among the did-you-mean buttons), wrong brief answered, off-topic
answered with a brief, off-topic offered a did-you-mean. Only aggregates are printed: the test
split is never read to tune anything, and no question of it is shown.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.chatter import chatter
from bot.evaluation import Figures, Labelled, evaluate, read_labelled, read_split, relabelled
from bot.language import question_language
from bot.library import load_library
from bot.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent

LANGS = ("en", "ru", "kk")
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")  # letters of the Kazakh alphabet Russian lacks


def language(text: str) -> str:
    """The question's language by its script (a short or mixed one by any Cyrillic letter)."""
    found = question_language(text)
    if found in LANGS:
        return found
    if set(text) & KAZAKH_LETTERS:
        return "kk"
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "en"


def matcher_of(folders: Sequence[Path]) -> tuple[Matcher, int, int]:
    """The matcher the bot would build over these briefs folders together (copied into one
    folder, as an editor would add files), the number of briefs and of load problems."""
    with tempfile.TemporaryDirectory() as tmp:
        joined = Path(tmp) / "briefs"
        joined.mkdir()
        for folder in folders:
            for path in sorted(folder.glob("*.yaml")):
                shutil.copy2(path, joined / path.name)
        library, errors = load_library(joined)
        matcher = library.matcher
    return matcher, len(library.briefs), len(errors)


def row(name: str, f: Figures) -> str:
    on = (f"{f.on_topic:>4} {f.rate('answered_right'):>6.3f} {f.rate('right_offered'):>7.3f} "
          f"{f.rate('answered_wrong'):>6.3f}") if f.on_topic else f"{f.on_topic:>4} {'-':>6} " \
        f"{'-':>7} {'-':>6}"
    off = (f"{f.off_topic:>4} {f.rate('off_answered'):>8.3f} {f.rate('off_suggested'):>7.3f}"
           if f.off_topic else f"{f.off_topic:>4} {'-':>8} {'-':>7}")
    return f"  {name:<4} {on}  | {off}"


def report(title: str, matcher: Matcher, questions: Iterable[Labelled]) -> None:
    """One table: per language and in all, the on-topic and off-topic figures."""
    questions = list(questions)
    print(f"== {title}: {len(questions)} questions")
    print("  lang   on  right reached  wrong  |  off answered offered")
    for lang in LANGS:
        subset = [q for q in questions if language(q.text) == lang]
        if subset:
            print(row(lang, evaluate(matcher, subset)))
    print(row("all", evaluate(matcher, questions)))


CLINC_PARTS = {"test": ("test", "oos_test"),
               "tuning": ("train", "oos_train", "val", "oos_val")}


def clinc_utterances(path: Path, parts: Sequence[str] = CLINC_PARTS["test"]) -> list[str]:
    """The utterances of these parts of CLINC150's data_full.json (in- and out-of-scope)."""
    data = json.loads(path.read_text("utf-8"))
    return [str(item[0]) for part in parts for item in data[part]]


def report_requests(title: str, matcher: Matcher, utterances: Sequence[str]) -> None:
    started = time.perf_counter()
    answered = offered = 0
    for text in utterances:
        outcome = matcher.match(text).outcome
        answered += outcome == "answer"
        offered += outcome == "suggest"
    seconds = time.perf_counter() - started
    n = len(utterances)
    print(f"== {title}: {n} messages ({seconds:.0f} s): answered with a brief "
          f"{answered} ({answered / n:.2%}), offered a did-you-mean {offered} "
          f"({offered / n:.2%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--briefs", type=Path, default=ROOT / "briefs")
    parser.add_argument("--library2", type=Path, default=ROOT / "bench" / "library2",
                        help="a second library: briefs/ (and questions.yaml) inside")
    parser.add_argument("--clinc", type=Path, help="CLINC150's data/data_full.json")
    parser.add_argument("--clinc-parts", choices=sorted(CLINC_PARTS), default="test",
                        help="which of its parts: test (reported) or tuning (train and val)")
    args = parser.parse_args()
    test = read_split(ROOT / "tests" / "data" / "test")
    shipped, count, errors = matcher_of([args.briefs])
    print(f"shipped library: {count} briefs ({errors} load problems), {args.briefs}")
    report("(a) test split, shipped briefs", shipped, test)
    second = args.library2 / "briefs"
    both = None
    if second.is_dir():
        both, count, errors = matcher_of([args.briefs, second])
        print(f"with the second library: {count} briefs ({errors} load problems), + {second}")
        report("(b) test split, shipped briefs + second library", both, test)
        answered = args.library2 / "test_split_answered.yaml"
        if answered.is_file():
            report(f"(b) the same, with the test split's off-topic questions that a brief of "
                   f"the second library answers labelled so ({answered.name})", both,
                   relabelled(test, answered))
        blind = args.library2 / "questions.yaml"
        if blind.is_file():
            report("(c) blind questions on the second library, shipped + second library",
                   both, read_labelled(blind))
        else:
            print(f"(c) no blind questions yet ({blind})")
    else:
        print(f"(b), (c): no second library at {second}")
    libraries = [("shipped briefs", shipped)]
    if both is not None:
        libraries.append(("shipped briefs + second library", both))
    if args.clinc:
        utterances = clinc_utterances(args.clinc, CLINC_PARTS[args.clinc_parts])
        for name, matcher in libraries:
            report_requests(f"(d) CLINC150 {args.clinc_parts} parts, {name}", matcher,
                            utterances)
    small_talk = [text for _lang, text in chatter()]
    for name, matcher in libraries:
        report_requests(f"(e) chatter list, {name}", matcher, small_talk)


if __name__ == "__main__":
    main()
