"""Hostile brief files: caps hold before PyYAML can recurse, expand or allocate."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.briefs import load_briefs, parse_brief, read_brief_file
from bot.safeyaml import MAX_DEPTH, MAX_FILE_BYTES, UnsafeYAML, load_yaml
from tests.conftest import brief_yaml, write_seeds

DEPTH_BOMB = "[" * 30_000 + "]" * 30_000  # 60 KB: overflowed the C stack (SIGSEGV)
LAUGHS = "\n".join(  # 331 bytes: nine levels of nine aliases, 9**9 values when walked
    ['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]']
    + [f"{k}: &{k} [{','.join([f'*{p}'] * 9)}]"
       for p, k in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\nid: *i\n"  # the old validator spelled the bad id out: 41 s, 3 GB

# How long `briefbot validate` may take on a folder of bombs, start-up included (about 1.2 s on
# the 2-core test machine under load, 2026-12-07). Without the caps, the laughs took 41 s and
# 3 GB, and parsing the 50 MB brief takes about 40 s: 20 s tells the two apart on a loaded
# machine.
QUICK = 20.0


def validate(folder: Path, timeout: float = 30) -> tuple[subprocess.CompletedProcess[str], float]:
    """`briefbot validate FOLDER` in its own process (a crash is a return code, not ours)."""
    write_seeds(folder, *sorted(p.stem for p in folder.glob("*.yaml")))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "bot", "validate", str(folder)],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={"PATH": "/usr/bin:/bin"}, cwd=folder.parent)
    return proc, time.monotonic() - started


def test_depth_bomb_is_reported_not_fatal(empty_briefs_dir: Path) -> None:
    (empty_briefs_dir / "deep.yaml").write_text(DEPTH_BOMB)
    (empty_briefs_dir / "good.yaml").write_text(brief_yaml("good"))
    proc, seconds = validate(empty_briefs_dir)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert f"deep.yaml:1: nested over {MAX_DEPTH} levels deep" in proc.stdout
    assert "1 brief(s) are valid" in proc.stderr
    assert seconds < QUICK


def test_billion_laughs_is_refused_at_once(empty_briefs_dir: Path) -> None:
    assert len(LAUGHS) < 400
    (empty_briefs_dir / "laughs.yaml").write_text(LAUGHS)
    proc, seconds = validate(empty_briefs_dir)
    assert proc.returncode == 1, proc.stderr
    assert "laughs.yaml:" in proc.stdout and "too many values" in proc.stdout
    assert seconds < QUICK
    with pytest.raises(UnsafeYAML):  # and in process, without building anything
        load_yaml(LAUGHS)


def test_a_huge_brief_is_too_large_without_being_read(empty_briefs_dir: Path) -> None:
    keywords = ", ".join(f"keyword{i}" for i in range(3_600_000))  # ~50 MB
    (empty_briefs_dir / "huge.yaml").write_text(brief_yaml("huge", keywords=f"[{keywords}]"))
    proc, seconds = validate(empty_briefs_dir)
    assert proc.returncode == 1
    assert proc.stdout.strip() == "huge.yaml: too large: over 256 KB (a brief is a few KB)" \
        or proc.stdout.strip().endswith("huge.yaml: too large: over 256 KB (a brief is a few KB)")
    assert seconds < QUICK


def test_just_under_the_byte_cap_but_too_many_keywords(tmp_path: Path) -> None:
    keywords = ", ".join(f"k{i}" for i in range(20_000))
    path = tmp_path / "many.yaml"
    path.write_text(brief_yaml("many", keywords=f"[{keywords}]"))
    assert path.stat().st_size < MAX_FILE_BYTES
    brief, errors = read_brief_file(path)
    assert brief is None
    assert [str(e) for e in errors] == [
        f"{path}:5: a list or mapping with over 1,000 entries"]


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    text = brief_yaml("edge")
    path = tmp_path / "edge.yaml"
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode())))
    assert path.stat().st_size == MAX_FILE_BYTES
    brief, errors = read_brief_file(path)
    assert errors == [] and brief is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_500, 30_000])
def test_any_depth_over_the_cap_is_refused_in_our_words(depth: int) -> None:
    """Whether the pre-scan or libyaml's own scanner (PyYAML >= 6.0.4 stops at 1,000 levels)
    refuses it first, the reader gets the same line and cause."""
    with pytest.raises(UnsafeYAML) as refused:
        load_yaml("key:\n  " + "[" * depth + "]" * depth)
    assert refused.value.problems == [(2, f"nested over {MAX_DEPTH} levels deep")]


def test_depth_at_the_cap_is_read() -> None:
    data, _ = load_yaml("key: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    assert isinstance(data["key"], list)


def test_a_very_long_value_is_refused() -> None:
    text = brief_yaml("x-1").replace("summary: A summary.", "summary: " + "a" * 60_000)
    _, errors = parse_brief(Path("x-1.yaml"), text)
    assert [(e.line, e.reason) for e in errors] == [(6, "a value of 60,000 characters; at "
                                                     "most 50,000")]


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    text = brief_yaml("x-1").replace("summary: A summary.\n",
                                     "summary: A summary.\ntitle: Another title\n")
    text = text.replace("    published: 2023-03-01\n",
                        "    published: 2023-03-01\n    url: https://example.org/again\n")
    _, errors = parse_brief(Path("x-1.yaml"), text)
    assert [str(e) for e in errors] == [
        "x-1.yaml:7: title: duplicate key (first on line 2)",
        "x-1.yaml:14: url: duplicate key (first on line 12)",
    ]


def test_anchors_within_the_caps_still_work() -> None:
    data, _ = load_yaml("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_a_folder_of_bombs_loads_the_rest(empty_briefs_dir: Path) -> None:
    (empty_briefs_dir / "deep.yaml").write_text(DEPTH_BOMB)
    (empty_briefs_dir / "laughs.yaml").write_text(LAUGHS)
    (empty_briefs_dir / "deep-map.yaml").write_text(
        "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "v: 1\n")
    (empty_briefs_dir / "good.yaml").write_text(brief_yaml("good"))
    started = time.monotonic()
    result = load_briefs(empty_briefs_dir)
    assert time.monotonic() - started < 2
    assert [b.id for b in result.briefs] == ["good"]
    assert {e.path.name for e in result.errors} == {"deep.yaml", "laughs.yaml", "deep-map.yaml"}
