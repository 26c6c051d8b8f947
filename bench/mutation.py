"""Mutation testing of the reliability core with mutmut (slow: not part of CI).

    pip install -e ".[dev,mutation]"
    python -m bench.mutation                 # every module below
    python -m bench.mutation alerts render   # some of them
    python -m bench.mutation --report        # the table from the last runs, without running

mutmut copies the project to `mutants/`, runs the suite once to learn which tests reach which
function, then runs only those tests against each mutant. Prints killed/total per module and
every survivor; `mutmut show NAME` shows a survivor's change.
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")

# module -> mutant name patterns (mutmut names: package.module.x_function__mutmut_N, and
# package.module.xǁClassǁmethod__mutmut_N for methods)
STORE = "bot.storage.xǁStoreǁ"
OUTBOX = "bot.outbox_store.xǁOutboxStoreǁ"
MODULES: dict[str, tuple[str, ...]] = {
    # the outbox: detection, pacing, states and attempts
    "alerts": ("bot.alerts.x_detect_new__*", "bot.alerts.xǁPacerǁ*", "bot.alerts.xǁAlertSenderǁ*"),
    # /forget, retention, migrations, and the outbox's rows
    "storage": (*(f"{STORE}{name}__mutmut_*" for name in ("forget_user", "purge_older_than")),
                *(f"{OUTBOX}{name}__mutmut_*" for name in (
                    "enqueue_alert", "due_deliveries", "mark_delivery", "_finish_delivery",
                    "drop_chat")), "bot.storage.x_migrate__mutmut_*"),
    # escaping and splitting
    "render": tuple(f"bot.render.x_{name}__mutmut_*" for name in (
        "esc", "esc_attr", "source_line", "brief_blocks", "render_alert", "visible_length",
        "_split_block", "pack_messages")),
    "ordering": ("bot.telegram.ordering.*",),
    "redact": ("bot.redact.*",),
    "reload": ("bot.reload.*",),
    "addressing": ("bot.telegram.handlers.x_addressed_text__mutmut_*",),
    "decide": ("bot.matching.xǁMatcherǁ_decide__mutmut_*",
               "bot.matching.xǁMatcherǁ_forgivable__mutmut_*"),
    # a word no brief has: a common word or a name
    "lexicon": tuple(f"bot.lexicon.x_{name}__mutmut_*" for name in (
        "is_common_word", "_english", "_russian", "_country_words")),
}
KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught too
# Survivors that change no behaviour, by name, with the reason (names shift when the function
# changes: rerun, read `mutmut show`, update). SQL's case-only changes are found by themselves.
_EXC_TEXT = ("the formatter prints exc_text, set just above from the real exception; what "
             "exc_info keeps is never printed")
_FINISHED_ERROR = ("the error text of a finished delivery: the row is deleted and only counted "
                   "(storage.mark_delivery), so the text is never kept")
EQUIVALENT: dict[str, str] = {
    **{f"bot.alerts.xǁAlertSenderǁ_deliver__mutmut_{n}": _FINISHED_ERROR for n in (7, 11, 14, 15)},
    **{f"bot.alerts.xǁAlertSenderǁ_deliver__mutmut_{n}": "a blocked chat's row marked "
       "otherwise (or not at all): drop_chat, next, deletes the chat's rows and counts them "
       "blocked all the same" for n in range(29, 40)},
    **{f"bot.alerts.xǁAlertSenderǁ_deliver__mutmut_{n}": "flood control's row marked "
       "otherwise: a row left 'sending' is due again like a 'pending' one, and its last_error "
       "is for operators' eyes only (nothing reads it)" for n in range(48, 59)},
    **{f"bot.alerts.xǁAlertSenderǁ_deliver__mutmut_{n}": _FINISHED_ERROR
       for n in (84, 88, 89, 93, 97, 100, 111, 115, 118)},
    **{f"bot.alerts.xǁAlertSenderǁ_deliver__mutmut_{n}": "the message id of a sent alert: the "
       "row is deleted and only counted, so it is never kept" for n in (124, 128)},
    f"{OUTBOX}enqueue_alert__mutmut_20": "no tags: `tag IN ()` is valid SQLite and matches "
        "nothing, the same as leaving it out",
    "bot.telegram.ordering.xǁPerChatOrderǁ__init____mutmut_6": "`limit` is kept for "
        "diagnostics; the semaphore built from the argument is what limits",
    "bot.render.x__split_block__mutmut_3": "links=None: falsy, as False",
    "bot.render.x_esc__mutmut_2": "quote=None: falsy, as False",
    "bot.render.x_esc_attr__mutmut_4": "quote=True is html.escape's default",
    "bot.render.x__split_block__mutmut_34": "lstrip() vs lstrip('\\n') of a word split on "
        "spaces: they differ only for a word starting with a tab, which YAML's folded text "
        "never gives",
    "bot.render.x__split_block__mutmut_35": "rstrip vs lstrip of '\\n': words hold a newline "
        "only as the bare '\\n' token",
    "bot.alerts.x_detect_new__mutmut_13": "the 'seeded' mark is read as truthy: any "
        "non-empty value",
    "bot.storage.x_migrate__mutmut_8": "PRAGMA user_version always returns a row",
    "bot.storage.x_migrate__mutmut_11": "PRAGMA user_version always returns a row",
    f"{OUTBOX}due_deliveries__mutmut_1": "the default batch size: the sender asks for 200, "
        "tests hold fewer than 100 rows",
    "bot.matching.xǁMatcherǁ_decide__mutmut_143": "a topic-word did-you-mean's unknown words "
        "left out: _about_topic_word offers nothing when there are any",
    "bot.alerts.xǁAlertSenderǁ__init____mutmut_10": "_stopping = None: it is only tested for "
        "truth, and None is falsy like False",
    "bot.alerts.xǁAlertSenderǁ_run__mutmut_22": "return instead of break at a row's first "
        "stop check: it can be true only for a batch's first row (nothing awaits between one "
        "row's second check and the next row's first), when nothing is in flight, so break "
        "skips the wait for sends in flight and ends the loop just as return does",
    "bot.redact.x_redact__mutmut_18": "partition vs rpartition of the token: the same for a "
        "token (one colon); a malformed one the bot refuses still has its tail hidden",
    "bot.redact.xǁRedactTokenǁfilter__mutmut_6": "args '' instead of None: getMessage formats "
        "only when args are truthy",
    "bot.redact.xǁRedactTokenǁfilter__mutmut_10": _EXC_TEXT,
    "bot.redact.xǁRedactTokenǁfilter__mutmut_11": _EXC_TEXT,
    "bot.redact.xǁRedactTokenǁfilter__mutmut_19": _EXC_TEXT,
    "bot.redact.xǁRedactTokenǁfilter__mutmut_20": _EXC_TEXT,
    "bot.redact.x_install_excepthooks__mutmut_5": "format_exception takes the type from the "
        "value when one is given (Python 3.10+)",
    "bot.redact.x_install_excepthooks__mutmut_17": "the same: the type passed is not used",
    "bot.telegram.handlers.x_addressed_text__mutmut_12": "a replied-to user without a username "
        "compared as '' or 'XXXX' to the bot's username, which Telegram never leaves empty",
}
CASE_ONLY_IS_EQUIVALENT = {"storage"}  # SQL keywords and identifiers ignore case
LINE = re.compile(r"^\s+(\S+): (.+)$")


def results() -> dict[str, str]:
    """Every mutant's status from mutmut's last runs."""
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return {m.group(1): m.group(2).strip() for m in map(LINE.match, out.splitlines()) if m}


def module_of(name: str) -> str | None:
    """Which of MODULES a mutant belongs to."""
    from fnmatch import fnmatchcase

    return next((module for module, patterns in MODULES.items()
                 if any(fnmatchcase(name, p) for p in patterns)), None)


def changed_lines(name: str) -> tuple[list[str], list[str]]:
    """The lines a mutant removes and adds (from `mutmut show`)."""
    out = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, check=False,
                         capture_output=True, text=True).stdout.splitlines()
    removed = [ln[1:] for ln in out if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in out if ln.startswith("+") and not ln.startswith("+++")]
    return removed, added


def equivalence(module: str, name: str) -> str | None:
    """Why a survivor changes no behaviour, if it does not."""
    if name in EQUIVALENT:
        return EQUIVALENT[name]
    if module in CASE_ONLY_IS_EQUIVALENT:
        removed, added = changed_lines(name)
        if removed and [ln.lower() for ln in removed] == [ln.lower() for ln in added]:
            return "case only, in SQL"
    return None


def main(argv: list[str]) -> int:
    """Run mutmut on the chosen modules (all by default) and print the table."""
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        print("modules:", ", ".join(MODULES))
        return 0
    report_only = "--report" in argv  # the last runs' results, without running again
    argv = [a for a in argv if a != "--report"]
    chosen = argv or list(MODULES)
    unknown = set(chosen) - MODULES.keys()
    if unknown:
        print(f"unknown module(s): {', '.join(sorted(unknown))}; one of {', '.join(MODULES)}")
        return 2
    patterns = [p for module in chosen for p in MODULES[module]]
    if not report_only:
        subprocess.run([str(MUTMUT), "run", *patterns], cwd=ROOT, check=False)
    by_module: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    survivors: list[str] = []
    equivalents: list[str] = []
    for name, status in sorted(results().items()):
        module = module_of(name)
        if module is None or module not in chosen:
            continue
        reason = equivalence(module, name) if status not in KILLED else None
        by_module[module]["equivalent" if reason else status] += 1
        if reason:
            equivalents.append(f"  {name}: {reason}")
        elif status not in KILLED:
            survivors.append(f"  {status:10} {name}")
    print("\n| module | killed / mutants | equivalent | kill rate of the rest |")
    print("|---|---|---|---|")
    for module in chosen:
        counts = by_module[module]
        killed = sum(counts[s] for s in KILLED)
        total = sum(counts.values())
        rest = total - counts["equivalent"]
        rate = f"{100 * killed / rest:.0f} %" if rest else "-"
        print(f"| {module} | {killed} / {total} | {counts['equivalent']} | {rate} |")
    print("\nequivalent:", *equivalents, sep="\n")
    print("\nnot killed:", *survivors, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
