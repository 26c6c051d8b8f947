"""The benchmarks run as the docs write them: `python -m bench.NAME` from the project root,
with any working directory's Python path, and `--help` prints usage without running them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "__init__")


def test_there_are_benchmarks() -> None:
    assert {"accuracy", "alerts", "match", "startup", "throughput"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_help_runs_as_the_docs_write_it(name: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-m", f"bench.{name}", "--help"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip(), "no usage printed"


def test_docs_name_every_benchmark_the_way_it_runs() -> None:
    """Every benchmark the docs mention is run with `python -m bench.NAME`."""
    docs = "\n".join(p.read_text("utf-8") for p in [ROOT / "README.md",
                                                   *sorted((ROOT / "docs").glob("*.md"))])
    assert "python bench/" not in docs and "python3 bench/" not in docs
    for name in ("match", "startup", "alerts", "throughput", "accuracy"):
        assert f"-m bench.{name}" in docs, name


@pytest.mark.parametrize("library", ["bench/library2", "bench/library4"])
def test_tuning_refuses_a_measurement_library(library: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-m", "bench.tuning", "--library", library],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 2 and "is a measurement, not a tuning set" in proc.stderr
