"""/subscribe, /unsubscribe, /subscriptions, tag buttons, and chats that block the bot."""

from __future__ import annotations

import logging
import re

from telegram import Chat, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from ..alerts import subscriptions_text
from ..render import Button, Reply, esc
from .handlers import record_command
from .send import send_reply
from .state import Context

log = logging.getLogger(__name__)

SUBSCRIBE_PREFIX = "s:"
SUBSCRIBE_BUTTON = re.compile(rf"^{re.escape(SUBSCRIBE_PREFIX)}")  # s:<tag>
ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
GONE_STATUSES = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}
NOT_ADMIN = "Only this chat's administrators can change its subscriptions."


async def may_manage(chat: Chat, user: User | None, message: Message | None,
                     context: Context) -> bool:
    """Private chats: the user. Groups and channels: chat administrators only."""
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None \
            and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator, or the channel itself
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("cannot check admin rights in %s: %s", chat.id, exc)
        return False
    return member.status in ADMIN_STATUSES


def tag_buttons(tags: tuple[str, ...]) -> tuple[tuple[Button, ...], ...]:
    """One button per tag, three a row, each subscribing to that tag."""
    buttons = [Button(t, data=SUBSCRIBE_PREFIX + t) for t in tags]
    return tuple(tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3))


async def _subscribe(chat: Chat, tag: str, message: Message | None, context: Context) -> Reply:
    state = context.bot_data
    if state.store is None:
        return Reply(("Subscriptions are unavailable right now.",))
    if tag and tag not in state.library.tags:
        return Reply((f"I have no topic tag <code>{esc(tag[:40])}</code>. Pick one:",),
                     tag_buttons(state.library.tags))
    thread = message.message_thread_id if message and message.is_topic_message else None
    added = await state.store.add_subscription(chat.id, tag, thread)
    what = f"new briefs tagged <b>{esc(tag)}</b>" if tag else "every new brief"
    where = "This chat" if chat.type != ChatType.PRIVATE else "You"
    if not added:
        return Reply((f"{where} already get {what}. /subscriptions lists them all.",))
    return Reply((f"✅ Subscribed: {where.lower() if where == 'You' else where} will get "
                  f"{what}, each once. /unsubscribe stops it.",))


async def _managed_chat(update: Update, context: Context) -> tuple[Message, Chat] | None:
    """The message and chat of a subscription change, if the sender may make it (else says no)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    record_command(context, update, (message.text or "/").split()[0].lstrip("/").split("@")[0])
    if not await may_manage(chat, update.effective_user, message, context):
        await send_reply(message, Reply((NOT_ADMIN,)))
        return None
    return message, chat


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [TAG]."""
    target = await _managed_chat(update, context)
    if target is None:
        return
    message, chat = target
    tag = " ".join(context.args or []).strip().lower()
    await send_reply(message, await _subscribe(chat, tag, message, context))


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [TAG]: stop one tag's alerts, or all of them."""
    state = context.bot_data
    target = await _managed_chat(update, context)
    if target is None or state.store is None:
        return
    message, chat = target
    tag = " ".join(context.args or []).strip().lower()
    removed = await state.store.remove_subscription(chat.id, tag or None)
    if not removed:
        what = f"briefs tagged <code>{esc(tag[:40])}</code>" if tag else "any alerts"
        current = subscriptions_text(await state.store.subscriptions(chat.id))
        text = f"You were not subscribed to {what}. {esc(current)}"
    elif tag:
        text = f"Unsubscribed from briefs tagged <b>{esc(tag)}</b>."
    else:
        text = "Unsubscribed: no more new-brief alerts. /subscribe brings them back."
    await send_reply(message, Reply((text,)))


async def list_subscriptions(update: Update, context: Context) -> None:
    """/subscriptions: what this chat is subscribed to."""
    message, chat = update.effective_message, update.effective_chat
    state = context.bot_data
    if message is None or chat is None or state.store is None:
        return
    record_command(context, update, "subscriptions")
    text = esc(subscriptions_text(await state.store.subscriptions(chat.id)))
    if state.library.tags:
        text += "\nTopic tags: " + ", ".join(esc(t) for t in state.library.tags)
    await send_reply(message, Reply((text,)))


async def subscription_button(update: Update, context: Context) -> None:
    """A tag button from an unknown-tag reply: subscribe the chat to that tag."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    message = query.message if isinstance(query.message, Message) else None
    if chat is None or not await may_manage(chat, query.from_user, None, context):
        await query.answer(NOT_ADMIN)
        return
    await query.answer()
    reply = await _subscribe(chat, (query.data or "").removeprefix(SUBSCRIBE_PREFIX), message,
                             context)
    if message is not None:
        await send_reply(message, reply)


async def chat_member(update: Update, context: Context) -> None:
    """The bot was blocked or removed: drop that chat's subscriptions at once."""
    change = update.my_chat_member
    store = context.bot_data.store
    if change is None or store is None:
        return
    if change.new_chat_member.status in GONE_STATUSES:
        await store.drop_chat(change.chat.id)
        log.info("chat %s blocked or removed the bot; subscriptions dropped", change.chat.id)
