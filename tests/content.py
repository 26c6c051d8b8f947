"""Content checks, for any library folder: what an editor must keep true, and nothing more.

`tests/test_content.py` runs them on the live `briefs/` and `seeds/`; the code tests run them on
the fixture library and on the fixture library with a generated second library added, so an
editor's new briefs can only fail them by breaking a rule `briefbot validate` states.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import yaml

from bot.briefs import load_briefs
from bot.cli import main
from bot.ownwords import brief_texts, copied_runs
from tests.conftest import FIXTURE_BRIEFS, FIXTURE_SEEDS, brief_yaml, seed_yaml


def validate_problems(briefs: Path, seeds: Path) -> list[str]:
    """Every line `briefbot validate` prints as a problem (empty: it passed)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(briefs), "--seeds", str(seeds)])
    if code == 0:
        return []
    return [*out.getvalue().splitlines(), *err.getvalue().splitlines()] or [f"exit {code}"]


def own_words_problems(briefs: Path, seeds: Path, articles: list[str]) -> dict[str, set[str]]:
    """Brief titles, summaries, bodies, translations and examples, and the seeds' facts, that
    copy a run of 8 words from any of the articles: the rule `briefbot validate` applies to
    each record's capture (bot/ownwords.py), here against a list of articles."""
    texts: dict[str, str] = {}
    for brief in load_briefs(briefs).briefs:
        for field, text in brief_texts(brief):
            texts[f"{brief.id}.{field}"] = text
    for path in sorted(seeds.glob("*.yaml")):
        record = yaml.safe_load(path.read_text("utf-8")) or {}
        for i, fact in enumerate(record.get("facts") or []):
            texts[f"{path.name}.facts[{i}]"] = str(fact)
    return {name: runs for name, text in sorted(texts.items())
            if (runs := copied_runs(text, articles))}


def missing_captures(seeds: Path, articles_dir: Path) -> list[str]:
    """Seed records whose `capture` names a file that is not among the captured articles
    (a record of an article nobody captured here names none)."""
    missing = []
    for path in sorted(seeds.glob("*.yaml")):
        capture = (yaml.safe_load(path.read_text("utf-8")) or {}).get("capture")
        if capture and not (articles_dir / str(capture)).is_file() \
                and not (articles_dir / Path(str(capture)).name).is_file():
            missing.append(f"{path.name}: capture {capture}")
    return missing


# --- a second library, as an editor would add one ---------------------------------------------

SECOND_WORDS = ("quarry", "lantern", "orchard", "glacier", "falcon", "saffron", "harbor", "tundra")


def write_second_library(briefs: Path, seeds: Path, reissue: bool = True) -> list[str]:
    """Add eight briefs and their seed records in the way an editor may: new ids and keywords,
    English only or with a translation, with and without examples and related briefs; and
    (`reissue`) a fixture brief re-issued under a new id citing a new record and one of the
    fixture's. Returns the new brief ids."""
    seeds.mkdir(parents=True, exist_ok=True)
    ids = []
    for n, word in enumerate(SECOND_WORDS):
        brief_id = f"second-{word}"
        related = "[second-quarry]" if n % 3 == 1 else "[]"
        text = brief_yaml(brief_id, title=f"The {word} programme",
                          keywords=f"[{word}, {word} deal]", tags="[economy]", related=related,
                          summary=f"The {word} programme was agreed.")
        if n % 2:
            text += (f"examples:\n  - What happened with the {word} programme?\n"
                     f"ru:\n  title: Программа {word}\n  summary: Программа согласована.\n"
                     f"  body: {' '.join(['слово'] * 90)}\n")
        (briefs / f"{brief_id}.yaml").write_text(text, encoding="utf-8")
        (seeds / f"{brief_id}.yaml").write_text(seed_yaml(brief_id), encoding="utf-8")
        ids.append(brief_id)
    if not reissue:
        return ids
    original = sorted(FIXTURE_SEEDS.glob("*.yaml"))[0]
    record = yaml.safe_load(original.read_text("utf-8"))
    new_url = "https://example.org/second-library/reissue"
    seed_text = original.read_text("utf-8").replace(record["url"], new_url)
    seed_text = seed_text.replace(f"id: {record['id']}", "id: second-reissue-record")
    (seeds / "second-reissue-record.yaml").write_text(
        re.sub(r"\ncapture: .*", "", seed_text), encoding="utf-8")
    for path in sorted(FIXTURE_BRIEFS.glob("*.yaml")):
        text = path.read_text("utf-8")
        if record["url"] in text:
            old_id = yaml.safe_load(text)["id"]
            text = text.replace(f"id: {old_id}\n", "id: second-reissue\n", 1)
            text = re.sub(r"\nrelated: .*", "\nrelated: []", text.replace(record["url"], new_url))
            text = re.sub(r"\nkeywords:(\n  - .*)+|\nkeywords: \[.*\]",
                          "\nkeywords: [beacon, beacon affairs, маяк]", text)
            text = re.sub(r"\nexamples:(\n  - .*)+", "", text)
            (briefs / "second-reissue.yaml").write_text(text, encoding="utf-8")
            ids.append("second-reissue")
            break
    return ids


def fixture_plus_second_library(folder: Path) -> tuple[Path, Path]:
    """The fixture library copied into `folder`, with the second library added."""
    briefs, seeds = folder / "briefs", folder / "seeds"
    shutil.copytree(FIXTURE_BRIEFS, briefs)
    shutil.copytree(FIXTURE_SEEDS, seeds)
    write_second_library(briefs, seeds)
    return briefs, seeds
