"""Failing starts are one line naming the cause and the setting, never show the token, and an
unreachable Bot API is waited for, not fatal. Each start is a real `briefbot` process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.fake_api import TOKEN, FakeBotAPI, text_message
from tests.test_redaction import crash_uncaught
from tests.test_run_process import start

REVOKED = "654321:REVOKED-token_abcdefghijklmnopqrstuvw"  # well formed; the stand-in says 401


def run(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run([sys.executable, "-m", "bot", *args], env=full, cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def no_token(proc: subprocess.CompletedProcess[str], token: str) -> None:
    output = proc.stdout + proc.stderr
    assert token not in output and token.split(":")[1] not in output, output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_rejected_token_is_one_line_without_the_token(fake_api: FakeBotAPI,
                                                      bot_env: dict[str, str],
                                                      tmp_path: Path) -> None:
    env = {**bot_env, "TELEGRAM_BOT_TOKEN": REVOKED}
    proc = run(env, tmp_path, "run")
    assert proc.returncode == 1
    assert proc.stderr == ("briefbot: Telegram rejected TELEGRAM_BOT_TOKEN "
                           "(revoked or mistyped)\n")
    assert fake_api.calls_to("getMe", ok=False)[0].status == 401  # it was really asked
    loud = run({**env, "BRIEFBOT_LOG_LEVEL": "DEBUG"}, tmp_path, "run")  # everything logged
    assert loud.returncode == 1 and "DEBUG" in loud.stderr
    no_token(loud, REVOKED)
    assert "Traceback" not in loud.stderr


@pytest.mark.parametrize(("change", "args", "setting"), [
    ({"BRIEFBOT_LOG_LEVEL": "LOUD"}, (), "BRIEFBOT_LOG_LEVEL"),
    ({"BRIEFBOT_RELOAD_SECONDS": "nan"}, (), "BRIEFBOT_RELOAD_SECONDS"),
    ({"BRIEFBOT_RELOAD_SECONDS": "inf"}, (), "BRIEFBOT_RELOAD_SECONDS"),
    ({"BRIEFBOT_RELOAD_SECONDS": "1e308"}, (), "BRIEFBOT_RELOAD_SECONDS"),
    ({"BRIEFBOT_CONCURRENT_UPDATES": "100000"}, (), "BRIEFBOT_CONCURRENT_UPDATES"),
    ({"BRIEFBOT_ALERTS_PER_SECOND": "500"}, (), "BRIEFBOT_ALERTS_PER_SECOND"),
    ({"TELEGRAM_API_BASE_URL": "api.telegram.org"}, (), "TELEGRAM_API_BASE_URL"),
    ({"BRIEFBOT_BRIEFS_DIR": "/nonexistent/briefs"}, (), "BRIEFBOT_BRIEFS_DIR"),
    ({"BRIEFBOT_DB": "{tmp}"}, (), "BRIEFBOT_DB"),
    ({"BRIEFBOT_DB": "/proc/briefbot.db"}, (), "BRIEFBOT_DB"),
    ({}, ("--webhook-url", "https://bot.example.org/hook", "--port", "99999"), "--port"),
    ({}, ("--webhook-url", "http://bot.example.org/hook"), "--webhook-url"),
    ({"TELEGRAM_BOT_TOKEN": REVOKED}, (), "TELEGRAM_BOT_TOKEN"),
])
def test_each_failing_start_is_one_line(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                        tmp_path: Path, change: dict[str, str],
                                        args: tuple[str, ...], setting: str) -> None:
    env = {**bot_env, **{k: v.format(tmp=tmp_path) for k, v in change.items()}}
    proc = run(env, tmp_path, "run", *args)
    assert proc.returncode in (1, 2)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("briefbot: "), proc.stderr
    assert setting in proc.stderr
    no_token(proc, env["TELEGRAM_BOT_TOKEN"])


def test_webhook_port_in_use(fake_api: FakeBotAPI, bot_env: dict[str, str],
                             tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run(bot_env, tmp_path, "run", "--webhook-url", "https://bot.example.org/hook",
                   "--port", str(port))
    assert proc.returncode == 1
    assert proc.stderr == (f"briefbot: cannot listen on 127.0.0.1:{port}: Address already in "
                           "use (choose another --port or --listen)\n")
    assert not fake_api.calls_to("setWebhook")
    no_token(proc, TOKEN)


def test_stats_on_a_folder_is_one_line_every_time(tmp_path: Path) -> None:
    env = {"BRIEFBOT_DB": str(tmp_path), "BRIEFBOT_BRIEFS_DIR": str(tmp_path)}
    for _ in range(4):  # the old failure was a race: a traceback every other run
        proc = run(env, tmp_path, "stats")
        assert proc.returncode == 2
        assert proc.stderr == (f"briefbot: {tmp_path} is a folder, not a database "
                               "(set BRIEFBOT_DB, or run the bot first)\n")


def test_unreachable_api_at_start_is_retried(bot_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    env = {**bot_env, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"}
    proc = start(env, tmp_path)
    assert proc.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")),
                              daemon=True)  # type: ignore[union-attr]
    reader.start()
    api = FakeBotAPI(port)
    try:
        deadline = time.monotonic() + 60  # the bot retries within seconds; a deadline only
        while sum("Bot API unreachable at start" in line for line in lines) < 2:
            assert time.monotonic() < deadline and proc.poll() is None, lines
            time.sleep(0.05)
        api.start()  # Telegram is back
        assert api.wait_for(lambda: bool(api.calls_to("setMyCommands")), 30)
        api.push("message", text_message("csto"))
        assert api.wait_for(lambda: bool(api.texts(1001)), 15)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        reader.join(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        api.stop()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert proc.returncode == 0
    retries = [line for line in lines if "Bot API unreachable at start" in line]
    assert "retrying in 1 s" in retries[0] and "retrying in 2 s" in retries[1]
    assert "TELEGRAM_API_BASE_URL" in retries[0]
    assert not any("Traceback" in line or TOKEN in line for line in lines)


def test_stop_signal_while_waiting_for_the_api(bot_env: dict[str, str], tmp_path: Path) -> None:
    env = {**bot_env, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"}
    proc = start(env, tmp_path)
    assert proc.stderr is not None
    lines: list[str] = []
    for line in iter(proc.stderr.readline, ""):  # SIGTERM once it is waiting, however slow
        lines.append(line)                        # the machine is to get there
        if "Bot API unreachable at start" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    err = "".join(lines) + err
    assert proc.returncode == 0, err
    assert "Bot API unreachable at start" in err and "Traceback" not in err


def test_uncaught_exceptions_are_redacted(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.redact import install_excepthooks

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthooks(TOKEN)
    crash_uncaught(f"The token `{TOKEN}` was rejected by the server.")
    err = capsys.readouterr().err
    assert err.count("Traceback") == 2 and "<redacted>" in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
