"""What an alert send can end in, as the outbox sees it (no Telegram here: the Telegram side
maps every answer of the Bot API to one of these; see bot/telegram/answers.py)."""

from __future__ import annotations


class AlertOutcome(Exception):
    """A send that did not end in a delivered message; the subclass says what to do."""


class ChatGone(AlertOutcome):
    """The chat no longer takes the bot's messages (blocked, kicked, deleted, not found):
    drop its subscriptions and everything queued for it."""


class MessageRejected(AlertOutcome):
    """The message itself is wrong (too long, bad markup): hold this brief's alert for every
    chat, tell the admins once; nobody is unsubscribed. Released when the brief changes."""


class ChatUnavailable(AlertOutcome):
    """The chat cannot take this alert now (a closed topic, no right to post): keep the
    subscription, skip this alert for this chat, tell the admins."""


class ChatMoved(AlertOutcome):
    """The group became a supergroup with a new id: move the subscriptions, deliver there."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class RetryLater(AlertOutcome):
    """Flood control: wait `seconds` before sending anything else; the alert stays due."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class NotDelivered(AlertOutcome):
    """The call surely never reached Telegram (no connection, a 5xx or a proxy's page
    instead of Telegram's answer): safe to send again, with backoff."""


class OutcomeUnknown(AlertOutcome):
    """The call may have reached Telegram (timed out, or cut off after it was sent): never
    sent again, since Telegram's sends are not idempotent (at most once)."""
