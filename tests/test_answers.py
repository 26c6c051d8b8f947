"""Every answer Telegram can give to an alert has one outcome, and the operators' table in
docs/operators.md lists every row of the code's table."""

from __future__ import annotations

import aiohttp
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.outcomes import (
    ChatGone,
    ChatMoved,
    ChatUnavailable,
    MessageRejected,
    NotDelivered,
    OutcomeUnknown,
    RetryLater,
)
from bot.telegram.answers import ALERT_ANSWERS, classify
from bot.telegram.request import GarbledAnswer, ProxyPage
from tests.conftest import ROOT, refused


def caused(error: TelegramError, cause: BaseException) -> TelegramError:
    error.__cause__ = cause
    return error


def garbled(error: TelegramError) -> TelegramError:
    """As PTB raises it when a refusal's body is not JSON."""
    return caused(error, GarbledAnswer("Invalid server response"))


@pytest.mark.parametrize(("error", "outcome"), [
    (RetryAfter(40000), RetryLater),
    (ChatMigrated(-100555), ChatMoved),
    (ProxyPage("Invalid server response"), NotDelivered),  # a 200 with an HTML page
    (GarbledAnswer("Invalid server response"), OutcomeUnknown),  # a 200, cut-off JSON
    (garbled(BadRequest("Bad Request (400). Parsing the server response failed")),
     NotDelivered),
    (garbled(NetworkError("Bad Gateway (502). Parsing the server response failed")),
     NotDelivered),
    (garbled(Forbidden("Forbidden (403). Parsing the server response failed")), NotDelivered),
    (garbled(BadRequest("Bad Request (400). Parsing the server response failed")),
     NotDelivered),
    (Forbidden("Forbidden: bot was blocked by the user"), ChatGone),
    (Forbidden("Forbidden: bot was kicked from the supergroup chat"), ChatGone),
    (Forbidden("Forbidden: user is deactivated"), ChatGone),
    (Forbidden("Forbidden: bot is not a member of the channel chat"), ChatGone),
    (BadRequest("Chat not found"), ChatGone),
    (BadRequest("Peer_id_invalid"), ChatGone),
    (BadRequest("Message is too long"), MessageRejected),
    (BadRequest("Can't parse entities: unsupported start tag \"x\""), MessageRejected),
    (BadRequest("Message text is empty"), MessageRejected),
    (BadRequest("Button_data_invalid"), MessageRejected),
    (BadRequest("Topic_closed"), ChatUnavailable),
    (BadRequest("Message thread not found"), ChatUnavailable),
    (BadRequest("Not enough rights to send text messages to the chat"), ChatUnavailable),
    (BadRequest("Chat_write_forbidden"), ChatUnavailable),
    (Forbidden("Forbidden: not enough rights to send text messages"), ChatUnavailable),
    (BadRequest("Something new and strange"), ChatUnavailable),  # kept, not dropped or held
    (InvalidToken("Unauthorized"), NotDelivered),
    (Conflict("Conflict: terminated by other getUpdates request"), NotDelivered),
    (caused(NetworkError("aiohttp.ClientConnectorError: refused"), refused()), NotDelivered),
    (caused(TimedOut("no free connection"), aiohttp.ConnectionTimeoutError("busy")),
     NotDelivered),
    (NetworkError("Bad Gateway"), NotDelivered),  # a 5xx status with Telegram's JSON
    (caused(TimedOut(), aiohttp.SocketTimeoutError("slow")), OutcomeUnknown),
    (caused(NetworkError("aiohttp.ServerDisconnectedError: Server disconnected"),
            aiohttp.ServerDisconnectedError()), OutcomeUnknown),
    (caused(NetworkError("aiohttp.ClientOSError: reset"),
            aiohttp.ClientOSError(104, "Connection reset by peer")), OutcomeUnknown),
    (caused(NetworkError("aiohttp.ClientPayloadError"), aiohttp.ClientPayloadError("cut")),
     OutcomeUnknown),
    (TelegramError("something else"), OutcomeUnknown),
])
def test_every_answer_has_one_outcome(error: TelegramError, outcome: type) -> None:
    assert type(classify(error)) is outcome


def test_flood_and_migration_carry_their_numbers() -> None:
    wait = classify(RetryAfter(40000))
    moved = classify(ChatMigrated(-100555))
    assert isinstance(wait, RetryLater) and wait.seconds == 40000
    assert isinstance(moved, ChatMoved) and moved.new_chat_id == -100555


def test_the_operators_table_lists_every_row() -> None:
    doc = (ROOT / "docs" / "operators.md").read_text(encoding="utf-8")
    for answer in ALERT_ANSWERS:
        assert f"| {answer.answer} | {answer.action} |" in doc, answer.answer
