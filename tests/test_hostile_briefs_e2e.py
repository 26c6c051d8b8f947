"""A running bot fed hostile brief files: it stays up, keeps answering while it reads them,
keeps the last good version of a broken brief, and tells the admins."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.conftest import brief_yaml
from tests.fake_api import FakeBotAPI, text_message
from tests.test_run_process import start
from tests.test_safeyaml import DEPTH_BOMB, LAUGHS

ADMIN = 4242

# How long a reply may take while the hostile files are being read. A bot that read them on
# its event loop (or without caps) would hold every reply for the whole reading: the walked
# LAUGHS took 41 s and 3 GB in the old validator, and PyYAML's C loader needs about 45 s for
# huge.yaml's 57 MB on the 2-core test machine (a 5.3 MB slice took 4.4 s on 2026-12-07). A
# working bot answers in a fraction of a second when the machine is idle and has been seen
# at 1.3 s when it is heavily loaded. 10 s sits far above what load adds and far below what
# blocking would cost, so the check fails only when the bot really stops answering.
RESPONSIVE = 10.0


def reply_seconds(api: FakeBotAPI, question: str, uid: int) -> float:
    """Ask as a new user; seconds until the bot's reply reached the stand-in."""
    asked = time.monotonic()
    api.push("message", text_message(question, uid=uid, message_id=uid))
    assert api.wait_for(lambda: bool(api.calls_to("sendMessage", uid)), 60), question
    return api.calls_to("sendMessage", uid)[0].at - asked


def test_bombs_at_start_and_while_running(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                          tmp_path: Path) -> None:
    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    (folder / "deep-at-start.yaml").write_text(DEPTH_BOMB)
    proc = start(bot_env, tmp_path)
    try:
        assert fake_api.wait_for(lambda: bool(fake_api.calls_to("setMyCommands")), 30)
        assert reply_seconds(fake_api, "csto", 2001) < RESPONSIVE
        (folder / "laughs.yaml").write_text(LAUGHS)
        (folder / "deep.yaml").write_text(DEPTH_BOMB)
        (folder / "csto-sco.yaml").write_text(DEPTH_BOMB)  # a served brief turns hostile
        keywords = ", ".join(f"keyword{i}" for i in range(3_600_000))  # 57 MB, as reported
        (folder / "huge.yaml").write_text(brief_yaml("huge", keywords=f"[{keywords}]"))
        seen: list[float] = []
        for n in range(10):  # over several reloads (every 0.2 s)
            seen.append(reply_seconds(fake_api, "is kazakhstan in the csto", 2100 + n))
            time.sleep(0.1)
        assert max(seen) < RESPONSIVE, seen
        told = ("laughs.yaml:5: too many values", "deep.yaml:1: nested over 16 levels deep",
                "csto-sco.yaml:1: nested over 16 levels deep", "huge.yaml: too large")
        assert fake_api.wait_for(
            lambda: all(t in "\n".join(fake_api.texts(ADMIN)) for t in told), 30), \
            fake_api.texts(ADMIN)
        for text in fake_api.texts(ADMIN):  # named relative to the folder, whole lines only
            assert str(folder) not in text
            assert all(line.startswith(("⚠️", "<code>")) and line.endswith((":", "</code>"))
                       for line in text.splitlines()), text
        last = fake_api.texts(2109)[0]  # the last good version of csto-sco is still served
        assert last.startswith("<b>Kazakhstan in the CSTO")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "deep-at-start.yaml:1: nested over 16 levels deep" in err
