"""Hundreds of brief files breaking at once: the admins get a few messages, not one a file,
and the rest of the library (a new brief among them) is served without waiting for them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tests.conftest import brief_yaml, eventually, running_bot
from tests.fake_api import FakeBotAPI

ADMIN = 4242


async def test_300_broken_files_cost_few_messages_and_do_not_hold_the_reload(
        fake_api: FakeBotAPI, bot_env: dict[str, str], tmp_path: Path) -> None:
    gate = threading.Event()  # messages to the admin hang until the new brief is served

    def slow_admin(method: str, params: dict[str, Any]) -> None:
        if method == "sendMessage" and str(params.get("chat_id")) == str(ADMIN):
            gate.wait(120)  # longer than any wait below: the gate is what opens it

    folder = Path(bot_env["BRIEFBOT_BRIEFS_DIR"])
    async with running_bot(bot_env, tmp_path) as app:
        fake_api.hook = slow_admin
        try:
            for n in range(300):
                (folder / f"broken-{n:03}.yaml").write_text(f"id: broken-{n:03}\ntitle: [\n")
            (folder / "zanzibar-cloves.yaml").write_text(
                brief_yaml("zanzibar-cloves", keywords="[zanzibar, cloves]"))
            state = app.bot_data  # type: ignore[attr-defined]
            await eventually(lambda: state.library.get("zanzibar-cloves") is not None,
                             timeout=60)  # while the first notice still hangs
            assert fake_api.texts(ADMIN) == []
        finally:
            gate.set()
        await eventually(lambda: len(fake_api.calls_to("sendMessage", ADMIN, ok=False)) >= 3)
        await eventually(lambda: len(state.broken_files) == 300)
    notices = fake_api.texts(ADMIN)
    assert 1 <= len(notices) <= 3  # not one a file
    shown = "\n".join(notices)
    assert "broken-000.yaml" in shown and "more (see the log)" in notices[-1]
