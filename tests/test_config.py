"""Settings are range-checked, and the briefs folder is the working directory's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, settings_from_env
from tests.conftest import FIXTURE_BRIEFS, ROOT


@pytest.mark.parametrize(("name", "value", "message"), [
    ("BRIEFBOT_LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("BRIEFBOT_RELOAD_SECONDS", "nan", "from 0.05 to 86400"),
    ("BRIEFBOT_RELOAD_SECONDS", "inf", "from 0.05 to 86400"),
    ("BRIEFBOT_RELOAD_SECONDS", "-inf", "from 0.05 to 86400"),
    ("BRIEFBOT_RELOAD_SECONDS", "1e308", "from 0.05 to 86400"),
    ("BRIEFBOT_RELOAD_SECONDS", "0", "from 0.05 to 86400"),
    ("BRIEFBOT_RELOAD_SECONDS", "soon", "must be a number"),
    ("BRIEFBOT_LOG_RETENTION_DAYS", "0", "from 1 to 36500"),
    ("BRIEFBOT_LOG_RETENTION_DAYS", "9" * 400, "from 1 to 36500"),
    ("BRIEFBOT_ALERTS_PER_SECOND", "31", "from 1 to 30"),
    ("BRIEFBOT_CONCURRENT_UPDATES", "0", "from 1 to 256"),
    ("BRIEFBOT_CONCURRENT_UPDATES", "2.5", "whole number"),
    ("TELEGRAM_API_BASE_URL", "ftp://example.org/bot", "http(s) URL"),
])
def test_out_of_range_settings_name_themselves(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_env({name: value}, Path("/srv"))
    text = str(info.value)
    assert text.startswith(name) and message in text and "\n" not in text and len(text) < 200


def test_sane_values_pass() -> None:
    settings = settings_from_env({"BRIEFBOT_LOG_LEVEL": "debug", "BRIEFBOT_RELOAD_SECONDS": "0.2",
                                  "BRIEFBOT_ALERTS_PER_SECOND": "30"}, Path("/srv"))
    assert (settings.log_level, settings.reload_seconds, settings.alerts_per_second) == \
        ("DEBUG", 0.2, 30)


def test_default_briefs_folder_is_the_working_directorys(tmp_path: Path) -> None:
    assert settings_from_env({}, tmp_path).briefs_dir == tmp_path / "briefs"


def test_installed_elsewhere_serves_the_working_directory(tmp_path: Path) -> None:
    """As after `pip install .`: the package lives in site-packages, not beside briefs/."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "bot", site / "bot")
    work = tmp_path / "work"
    shutil.copytree(FIXTURE_BRIEFS, work / "briefs")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(site)}
    listed = subprocess.run([sys.executable, "-m", "bot", "list"], env=env, cwd=work,
                            capture_output=True, text=True, timeout=60, check=False)
    assert listed.returncode == 0, listed.stderr
    assert f"brief(s) in {work / 'briefs'}" in listed.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = subprocess.run([sys.executable, "-m", "bot", "list"], env=env, cwd=empty,
                             capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 1
    assert missing.stderr == (f"briefbot: briefs folder not found: {empty / 'briefs'} "
                              "(set BRIEFBOT_BRIEFS_DIR; the default is ./briefs in the working "
                              "directory)\n")
