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


def test_hard_kill_mid_fan_out_loses_no_alert(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                              tmp_path: Path) -> None:
    """SIGKILL while alerts go out: after a restart every subscriber has the alert, and only
    the one send in flight at the kill may have gone twice (Telegram has no idempotent send)."""
    from tests.test_alerts_e2e import alerts_to, new_brief

    env = {**bot_env, "BRIEFBOT_ALERTS_PER_SECOND": "10"}
    users = list(range(5001, 5031))
    proc = start(env, tmp_path)
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setMyCommands")), 30)
        for n, uid in enumerate(users):
            fake_api.push("message", text_message("/subscribe", uid=uid, message_id=n + 1))
        assert fake_api.wait_for(lambda: all(fake_api.texts(u) for u in users), 30)
        new_brief(Path(env["BRIEFBOT_BRIEFS_DIR"]), "killed-mid-way")
        assert fake_api.wait_for(
            lambda: sum(alerts_to(fake_api, u, "Fresh killed-mid-way") for u in users) >= 8, 30)
        proc.kill()
        proc.communicate(timeout=30)
        before_restart = sum(alerts_to(fake_api, u, "Fresh killed-mid-way") for u in users)
        assert before_restart < len(users)  # killed with alerts still to send
        proc = start(env, tmp_path)
        assert fake_api.wait_for(
            lambda: all(alerts_to(fake_api, u, "Fresh killed-mid-way") for u in users), 30)
        time.sleep(0.5)  # anything else the restarted bot would send
        counts = [alerts_to(fake_api, u, "Fresh killed-mid-way") for u in users]
        assert all(c >= 1 for c in counts)
        assert sum(counts) - len(users) <= 1, counts
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.communicate(timeout=30)
