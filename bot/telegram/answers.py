"""Every answer the Bot API can give to an alert, and what the outbox does with it: one table,
tried in order; the first row that matches decides. docs/operators.md shows the same table
(a test keeps the two in step)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from ..outcomes import (
    AlertOutcome,
    ChatGone,
    ChatMoved,
    ChatUnavailable,
    MessageRejected,
    NotDelivered,
    OutcomeUnknown,
    RetryLater,
)
from .request import GarbledAnswer, ProxyPage, never_sent
from .send import retry_seconds

# Telegram's descriptions (PTB drops the "Bad Request: " prefix), matched lower-cased.
CHAT_GONE = ("chat not found", "peer_id_invalid", "chat_id_invalid", "user not found",
             "user is deactivated", "bot was kicked", "bot was blocked", "chat was deactivated",
             "group chat was deleted", "bot is not a member", "can't initiate conversation")
CHAT_STATE = ("topic_closed", "topic_deleted", "message thread not found", "not enough rights",
              "have no rights", "chat_write_forbidden", "chat_restricted",
              "need administrator rights", "chat_send_plain_forbidden",
              "can't send messages", "chat_admin_required")
MESSAGE_WRONG = ("message is too long", "message_too_long", "can't parse entities",
                 "message text is empty", "text must be non-empty", "button_data_invalid",
                 "entities_too_long", "reply markup is too long", "wrong http url",
                 "button_url_invalid", "unsupported url protocol")


def _says(exc: TelegramError, phrases: tuple[str, ...]) -> bool:
    text = exc.message.lower()
    return any(p in text for p in phrases)


def _proxy_page(exc: TelegramError) -> bool:
    """An HTML page instead of the Bot API's JSON (a proxy's error page), or a refusal
    (4xx) whose body is not JSON: the call was not carried out."""
    return isinstance(exc, ProxyPage) or isinstance(exc.__cause__, TelegramError)


@dataclass(frozen=True)
class Answer:
    """One row: Telegram's answer (as the operator's table names it), how it is recognized,
    and the outcome the outbox acts on."""

    answer: str
    matches: Callable[[TelegramError], bool]
    outcome: type[AlertOutcome]
    action: str


ALERT_ANSWERS: tuple[Answer, ...] = (
    Answer("429 Too Many Requests (retry_after)", lambda e: isinstance(e, RetryAfter),
           RetryLater, "every send waits retry_after seconds; the alert stays due"),
    Answer("400 with migrate_to_chat_id (group upgraded to a supergroup)",
           lambda e: isinstance(e, ChatMigrated), ChatMoved,
           "subscriptions and queued alerts move to the new chat id; delivered there"),
    Answer("an HTML page instead of Telegram's answer (a proxy's error page), or a 4xx "
           "whose body is not JSON", _proxy_page, NotDelivered,
           "never reached Telegram: retried with backoff"),
    Answer("a 200 whose body is garbled JSON", lambda e: isinstance(e, GarbledAnswer),
           OutcomeUnknown, "may have arrived: not sent again (at most once), counted as "
           "unknown"),
    Answer("403 or 400 about rights: TOPIC_CLOSED, TOPIC_DELETED, message thread not found, "
           "not enough rights, CHAT_WRITE_FORBIDDEN, CHAT_RESTRICTED",
           lambda e: isinstance(e, (Forbidden, BadRequest)) and _says(e, CHAT_STATE),
           ChatUnavailable,
           "subscription kept, this alert skipped for this chat, admins told"),
    Answer("403 Forbidden: blocked by the user, kicked, user deactivated, not a member",
           lambda e: isinstance(e, Forbidden), ChatGone,
           "the chat's subscriptions and queued alerts are dropped"),
    Answer("400 chat not found, PEER_ID_INVALID, chat deactivated",
           lambda e: isinstance(e, BadRequest) and _says(e, CHAT_GONE), ChatGone,
           "the chat's subscriptions and queued alerts are dropped"),
    Answer("400 about the message: message is too long, can't parse entities, message "
           "text is empty, BUTTON_DATA_INVALID",
           lambda e: isinstance(e, BadRequest) and _says(e, MESSAGE_WRONG), MessageRejected,
           "the brief's alert is held for every chat, admins told once, nobody "
           "unsubscribed; sent when the brief file changes"),
    Answer("any other 400", lambda e: isinstance(e, BadRequest), ChatUnavailable,
           "subscription kept, this alert skipped for this chat, admins told"),
    Answer("401 / 404 (token rejected), 409 Conflict",
           lambda e: isinstance(e, (InvalidToken, Conflict)), NotDelivered,
           "nothing was sent: retried with backoff"),
    Answer("no connection (refused, connect timeout, no free connection)",
           lambda e: isinstance(e, NetworkError) and never_sent(e), NotDelivered,
           "never reached Telegram: retried with backoff"),
    Answer("5xx (500, 502 Bad Gateway, 503, 504)",
           lambda e: isinstance(e, NetworkError) and e.__cause__ is None, NotDelivered,
           "never reached Telegram: retried with backoff"),
    Answer("timed out waiting for the answer, or the connection cut after the call was sent",
           lambda e: isinstance(e, NetworkError), OutcomeUnknown,
           "may have arrived: not sent again (at most once), counted as unknown"),
    Answer("anything else", lambda e: True, OutcomeUnknown,
           "may have arrived: not sent again (at most once), counted as unknown"),
)


def classify(exc: TelegramError) -> AlertOutcome:
    """The outcome of an alert send that raised `exc` (the first matching row decides)."""
    answer = next(a for a in ALERT_ANSWERS if a.matches(exc))
    if answer.outcome is RetryLater:
        assert isinstance(exc, RetryAfter)
        return RetryLater(retry_seconds(exc))
    if answer.outcome is ChatMoved:
        assert isinstance(exc, ChatMigrated)
        return ChatMoved(int(exc.new_chat_id))
    return answer.outcome(exc.message)
