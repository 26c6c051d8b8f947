"""Every kind of button reaches its handler by its callback data, through the real bot."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.conftest import eventually, running_bot
from tests.fake_api import BOT_USER, FakeBotAPI, user

GROUP = {"id": -100700, "type": "supergroup", "title": "G"}


def press(api: FakeBotAPI, data: str, n: int, uid: int = 1001,
          chat: dict[str, Any] | None = None) -> None:
    message = {"message_id": 900 + n, "date": int(time.time()),
               "chat": chat or {"id": uid, "type": "private"}, "from": BOT_USER, "text": "x"}
    api.push("callback_query", {"id": f"cb{n}", "from": user(uid), "chat_instance": "c",
                                "data": data, "message": message})


async def test_each_button_kind_is_dispatched(fake_api: FakeBotAPI, bot_env: dict[str, str],
                                              tmp_path: Path) -> None:
    async with running_bot(bot_env, tmp_path) as app:
        press(fake_api, "t:1", 1)  # a /topics page: edited in place
        press(fake_api, "b:csto-sco", 2)  # a brief
        press(fake_api, "s:energy", 3)  # a tag subscription, private chat
        press(fake_api, "s:energy", 4, uid=2002, chat=GROUP)  # 2002: not an admin here
        press(fake_api, "s:energy", 5, uid=2003, chat=GROUP)  # 2003: an admin
        press(fake_api, "x:old", 6)  # nobody's
        await eventually(lambda: len(fake_api.calls_to("answerCallbackQuery")) == 6)
        await eventually(lambda: len(fake_api.calls_to("sendMessage")) == 3)
        store = app.bot_data.store  # type: ignore[attr-defined]
        assert await store.subscriptions(1001) == ["energy"]
        assert await store.subscriptions(-100700) == ["energy"]
    answers = {c.params["callback_query_id"]: c.params.get("text", "")
               for c in fake_api.calls_to("answerCallbackQuery")}
    assert answers["cb4"].startswith("Only this chat's administrators")
    assert "expired" in answers["cb6"]
    assert [answers[f"cb{n}"] for n in (1, 2, 3, 5)] == ["", "", "", ""]
    assert len(fake_api.calls_to("editMessageText")) == 1
    texts = fake_api.texts(1001)  # in the chat's own order (other chats run alongside)
    assert texts[0].startswith("<b>Kazakhstan in the CSTO")
    assert "new briefs tagged <b>energy</b>" in texts[1]
    (group,) = fake_api.texts(GROUP["id"])  # type: ignore[arg-type]
    assert "new briefs tagged <b>energy</b>" in group
