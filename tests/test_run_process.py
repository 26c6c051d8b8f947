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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_checks_secret_token(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                     tmp_path: Path) -> None:
    import json
    import urllib.error
    import urllib.request

    port = _free_port()
    proc = start(bot_env, tmp_path, "--webhook-url", "https://bot.example.org/hook",
                 "--listen", "127.0.0.1", "--port", str(port))
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setWebhook")), 30)
        secret = fake_api.calls_to("setWebhook")[0].params["secret_token"]
        assert fake_api.calls_to("setWebhook")[0].params["url"] == "https://bot.example.org/hook"
        update = json.dumps({"update_id": 1, "message": text_message("csto")}).encode()

        def post(headers: dict[str, str]) -> int:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/hook", data=update,
                                         headers={"Content-Type": "application/json", **headers})
            try:
                with urllib.request.urlopen(req, timeout=10) as resp:
                    return int(resp.status)
            except urllib.error.HTTPError as exc:
                return exc.code
            except urllib.error.URLError:
                return 0  # not listening yet

        assert fake_api.wait_for(lambda: post({}) == 403, 20)
        assert post({"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
        assert not fake_api.texts(1001)
        assert post({"X-Telegram-Bot-Api-Secret-Token": secret}) == 200
        assert fake_api.wait_for(lambda: bool(fake_api.texts(1001)), 15)
        assert fake_api.texts(1001)[0].startswith("<b>Kazakhstan in the CSTO")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
