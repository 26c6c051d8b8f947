"""The test fixtures themselves: a failing end-to-end test ends, and pytest exits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT

FAILING = textwrap.dedent('''\
    from pathlib import Path

    from tests.conftest import FIXTURE_BRIEFS, running_bot
    from tests.fake_api import TOKEN, FakeBotAPI


    async def test_fails_inside_the_running_bot(tmp_path: Path) -> None:
        api = FakeBotAPI().start()
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
               "BRIEFBOT_BRIEFS_DIR": str(FIXTURE_BRIEFS),
               "BRIEFBOT_DB": str(tmp_path / "bot.db")}
        try:
            async with running_bot(env, tmp_path):
                raise AssertionError("deliberate failure inside running_bot")
        finally:
            api.stop()
    ''')


def test_a_failing_end_to_end_test_fails_and_pytest_exits(tmp_path: Path) -> None:
    """Shutdown runs whatever happens in the block: the database thread must not keep the
    pytest process alive after the failure is reported."""
    test_file = tmp_path / "test_deliberate_failure.py"
    test_file.write_text(FAILING, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
         "-c", str(ROOT / "pyproject.toml"), str(test_file)],
        cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "deliberate failure inside running_bot" in done.stdout
    assert "1 failed" in done.stdout
