"""The group rule: the bot reads a group message only when it is mentioned or replied to."""

from __future__ import annotations

from typing import Any

from telegram import Message

from bot.telegram.handlers import addressed_text
from tests.fake_api import BOT_USER, text_message, user

GROUP = {"id": -100500, "type": "supergroup", "title": "G"}
BOT = str(BOT_USER["username"])


def message(text: str, chat: dict[str, Any] | None = None, **extra: Any) -> Message:
    return Message.de_json(text_message(text, chat=chat, **extra), None)


def reply_to(sender: dict[str, Any]) -> dict[str, Any]:
    return {"message_id": 9, "date": 1, "chat": GROUP, "from": sender, "text": "earlier"}


def test_private_chats_are_always_addressed() -> None:
    assert addressed_text(message("csto?"), BOT) == "csto?"
    assert addressed_text(message(""), BOT) == ""


def test_groups_need_a_mention_or_a_reply_to_the_bot() -> None:
    assert addressed_text(message("csto chatter", GROUP), BOT) is None
    assert addressed_text(message("what about CSTO @Brief_Test_Bot please", GROUP), BOT) \
        == "what about CSTO  please"
    assert addressed_text(message("@brief_test_bot", GROUP), BOT) == ""
    assert addressed_text(message("@brief_test_bot csto @brief_test_bot", GROUP), BOT) \
        == "csto @brief_test_bot"  # the first mention is the address
    assert addressed_text(message("sanctions?", GROUP, reply_to_message=reply_to(BOT_USER)),
                          BOT) == "sanctions?"
    other_bot = {**BOT_USER, "id": 99, "username": "other_bot"}
    for sender in (user(2002, "Bob"), other_bot):  # a reply to anyone else is not for us
        assert addressed_text(message("sanctions?", GROUP, reply_to_message=reply_to(sender)),
                              BOT) is None
    assert addressed_text(message("ask @brief_test_bot_fan", GROUP), "") is None
    assert addressed_text(message("meet @ noon", GROUP), "") is None  # no username: no mention
    # a longer username that begins with ours is somebody else
    assert addressed_text(message("ask @brief_test_bot_fan about csto", GROUP), BOT) is None
    assert addressed_text(message("csto? @brief_test_bot_fan @brief_test_bot!", GROUP), BOT) \
        == "csto? @brief_test_bot_fan !"
