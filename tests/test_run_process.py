"""`briefbot run` as a real process: clean SIGTERM, token never logged, bad token refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fake_api import TOKEN, FakeBotAPI, text_message


def start(env: dict[str, str], cwd: Path, *args: str) -> subprocess.Popen[str]:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", *args], env=full, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigterm_stops_cleanly_and_token_never_logged(fake_api: FakeBotAPI,
                                                       bot_env: dict[str, str],
                                                       tmp_path: Path) -> None:
    proc = start({**bot_env, "BRIEFBOT_LOG_LEVEL": "DEBUG"}, tmp_path)
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setMyCommands")), 30)
        delay = {"done": False}

        def slow_first_send(method: str, params: dict) -> None:  # type: ignore[type-arg]
            if method == "sendMessage" and not delay["done"]:
                delay["done"] = True
                time.sleep(1.0)  # a reply still in flight when SIGTERM arrives

        fake_api.hook = slow_first_send
        fake_api.push("message", text_message("csto"))
        assert fake_api.wait_for(lambda: delay["done"], 15)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert fake_api.texts(1001) and fake_api.texts(1001)[0].startswith("<b>Kazakhstan in the CSTO")
    assert "serving 11 briefs from" in err
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in err and secret not in err
    assert "DEBUG" in err  # the debug firehose was on, and still nothing leaked


def test_missing_and_malformed_token(tmp_path: Path, briefs_dir: Path) -> None:
    for token in ("", "not-a-token"):
        env = {"BRIEFBOT_BRIEFS_DIR": str(briefs_dir), "TELEGRAM_BOT_TOKEN": token}
        proc = start(env, tmp_path)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 1
        assert err.count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in err
        assert "Traceback" not in err
