"""/subscribe, /unsubscribe, /subscriptions, tag buttons, and chats that block the bot."""

from __future__ import annotations

import logging
import re

from telegram import Chat, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from ..alerts import subscriptions_text
from ..briefs import MAX_TAG
from ..i18n import N_, _
from ..render import Button, Reply, esc
from ..storage import Store
from .handlers import record_command
from .reader import reader_language
from .send import or_busy, send_reply
from .state import Context

log = logging.getLogger(__name__)

SUBSCRIBE_PREFIX = "s:"
UNSUBSCRIBE_DATA = "u:"  # the Unsubscribe button under every alert: all of the chat's alerts
SUBSCRIPTION_BUTTON = re.compile(  # s:<tag>, or exactly u:
    rf"^(?:{re.escape(SUBSCRIBE_PREFIX)}[a-z0-9-]{{1,{MAX_TAG}}}|{re.escape(UNSUBSCRIBE_DATA)})$")
ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
GONE_STATUSES = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}
NOT_ADMIN = N_("Only this chat's administrators can change its subscriptions.")
UNSUBSCRIBED = N_("Unsubscribed: no more new-brief alerts. /subscribe brings them back.")


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


async def _subscribe(chat: Chat, tag: str, message: Message | None, context: Context,
                     lang: str) -> Reply:
    """Subscribe the chat, its alerts in `lang` (the language of whoever subscribed it)."""
    state = context.bot_data
    if state.store is None:
        return Reply((_(lang, "Subscriptions are unavailable right now."),))
    if tag and tag not in state.library.tags:
        return Reply((_(lang, "I have no topic tag <code>{tag}</code>. Pick one:").format(
            tag=esc(tag[:40])),), tag_buttons(state.library.tags))
    thread = message.message_thread_id if message and message.is_topic_message else None
    added = await state.store.add_subscription(chat.id, tag, thread, lang)
    return Reply((_subscribed_text(lang, chat.type == ChatType.PRIVATE, tag, added),))


def _subscribed_text(lang: str, private: bool, tag: str, added: bool) -> str:
    """The confirmation of /subscribe, one whole sentence per case (so each translates)."""
    if private:
        texts = (
            _(lang, "You already get every new brief. /subscriptions lists them all."),
            _(lang, "You already get new briefs tagged <b>{tag}</b>. /subscriptions lists "
                    "them all."),
            _(lang, "✅ Subscribed: you will get every new brief, each once. /unsubscribe "
                    "stops it."),
            _(lang, "✅ Subscribed: you will get new briefs tagged <b>{tag}</b>, each once. "
                    "/unsubscribe stops it."),
        )
    else:
        texts = (
            _(lang, "This chat already gets every new brief. /subscriptions lists them all."),
            _(lang, "This chat already gets new briefs tagged <b>{tag}</b>. /subscriptions "
                    "lists them all."),
            _(lang, "✅ Subscribed: This chat will get every new brief, each once. "
                    "/unsubscribe stops it."),
            _(lang, "✅ Subscribed: This chat will get new briefs tagged <b>{tag}</b>, each "
                    "once. /unsubscribe stops it."),
        )
    return texts[2 * added + bool(tag)].format(tag=esc(tag))


async def _managed_chat(update: Update, context: Context) -> tuple[Message, Chat] | None:
    """The message and chat of a subscription change, if the sender may make it (else says no)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    record_command(context, update, (message.text or "/").split()[0].lstrip("/").split("@")[0])
    if not await may_manage(chat, update.effective_user, message, context):
        lang = await reader_language(context, update.effective_user)
        await send_reply(message, Reply((_(lang, NOT_ADMIN),)))
        return None
    return message, chat


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [TAG]."""
    target = await _managed_chat(update, context)
    if target is None:
        return
    message, chat = target
    tag = " ".join(context.args or []).strip().lower()
    lang = await reader_language(context, update.effective_user)
    await send_reply(message, await or_busy(_subscribe(chat, tag, message, context, lang), lang))


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [TAG]: stop one tag's alerts, or all of them."""
    state = context.bot_data
    target = await _managed_chat(update, context)
    if target is None or state.store is None:
        return
    message, chat = target
    tag = " ".join(context.args or []).strip().lower()
    lang = await reader_language(context, update.effective_user)
    await send_reply(message, await or_busy(_unsubscribe(state.store, chat, tag, lang), lang))


async def _unsubscribe(store: Store, chat: Chat, tag: str, lang: str) -> Reply:
    """Stop one tag's alerts (or all): the confirmation, or what the chat is subscribed to."""
    removed = await store.remove_subscription(chat.id, tag or None)
    if not removed:
        current = esc(subscriptions_text(await store.subscriptions(chat.id), lang))
        text = (_(lang, "You were not subscribed to briefs tagged <code>{tag}</code>. "
                        "{subscriptions}") if tag else
                _(lang, "You were not subscribed to any alerts. {subscriptions}"))
        text = text.format(tag=esc(tag[:40]), subscriptions=current)
    elif tag:
        text = _(lang, "Unsubscribed from briefs tagged <b>{tag}</b>.").format(tag=esc(tag))
    else:
        text = _(lang, UNSUBSCRIBED)
    return Reply((text,))


async def _drop_all(store: Store, chat: Chat, done: Reply) -> Reply:
    await store.remove_subscription(chat.id)
    return done


async def list_subscriptions(update: Update, context: Context) -> None:
    """/subscriptions: what this chat is subscribed to."""
    message, chat = update.effective_message, update.effective_chat
    state = context.bot_data
    if message is None or chat is None or state.store is None:
        return
    record_command(context, update, "subscriptions")
    lang = await reader_language(context, update.effective_user)
    text = esc(subscriptions_text(await state.store.subscriptions(chat.id), lang))
    if state.library.tags:
        text += "\n" + _(lang, "Topic tags: {tags}").format(
            tags=", ".join(esc(t) for t in state.library.tags))
    await send_reply(message, Reply((text,)))


async def subscription_button(update: Update, context: Context) -> None:
    """A tag button from an unknown-tag reply, or an alert's Unsubscribe button."""
    query = update.callback_query
    if query is None:
        return
    data = query.data or ""
    chat = update.effective_chat
    message = query.message if isinstance(query.message, Message) else None
    lang = await reader_language(context, query.from_user)
    if chat is None or not await may_manage(chat, query.from_user, None, context):
        await query.answer(_(lang, NOT_ADMIN))
        return
    if data == UNSUBSCRIBE_DATA:
        store = context.bot_data.store
        reply = Reply((_(lang, UNSUBSCRIBED),))
        if store is not None:
            reply = await or_busy(_drop_all(store, chat, reply), lang)
        await query.answer(_(lang, "Unsubscribed.") if reply.messages[0] == _(lang, UNSUBSCRIBED)
                           else None)
    else:
        await query.answer()
        reply = await or_busy(_subscribe(chat, data.removeprefix(SUBSCRIBE_PREFIX), message,
                                         context, lang), lang)
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


async def chat_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup (Telegram's service message in either chat): its
    subscriptions and queued alerts move to the new id at once."""
    message = update.effective_message
    store = context.bot_data.store
    if message is None or store is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    await store.migrate_chat(old, new)
    log.info("chat %s became %s; its subscriptions moved there", old, new)
