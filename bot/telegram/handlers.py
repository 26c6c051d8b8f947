"""Conversation handlers: parse the update, call the core, reply. No matching or SQL here."""

from __future__ import annotations

import contextlib
import logging
import re
import time

from telegram import Bot, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application

from .. import replies
from ..i18n import _
from ..matching import MatchResult
from ..render import Reply
from .reader import known_language, reader_language
from .send import edit_reply, send_reply
from .state import BotState, Context

log = logging.getLogger(__name__)

# Button data can be forged: only exact forms are taken; anything else is answered as expired.
TOPICS_PAGE = re.compile(rf"^{re.escape(replies.TOPICS_PREFIX)}([0-9]{{1,6}})$")  # t:<page>
BRIEF_BUTTON = re.compile(rf"^{re.escape(replies.BRIEF_PREFIX)}([a-z0-9-]{{1,60}})$")  # b:<id>


def record(context: Context, update: Update, kind: str, text: str,
            result: MatchResult | None, started: float, brief: str | None = None,
            ask: str | None = None) -> None:
    """Hand a question to the usage log without waiting for the database."""
    usage = context.bot_data.usage
    user = update.effective_user
    chat = update.effective_chat
    if usage is None or user is None:
        return
    outcome = result.outcome if result else ("answer" if brief else "none")
    top = result.closest if result else None
    usage.record_question(
        user_id=user.id, chat_type=chat.type if chat else "inline", kind=kind, text=text,
        outcome=outcome, brief_id=top.brief.id if top else brief,
        score=top.score if top else None, elapsed_ms=(time.perf_counter() - started) * 1000,
        ask=ask, offered=replies.offered_ids(result) if result and ask else (),
    )


def record_command(context: Context, update: Update, command: str) -> None:
    usage = context.bot_data.usage
    if usage is not None and update.effective_user is not None:
        chat = update.effective_chat
        usage.record_command(update.effective_user.id, chat.type if chat else "private", command)


def addressed_text(message: Message, bot_username: str) -> str | None:
    """The question in a message meant for the bot: any private text; in groups, only text
    that mentions the bot or replies to it (with the mention removed)."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None \
            and (replied.from_user.username or "").lower() == bot_username.lower():
        return text
    # @name as a whole username: @brief_test_bot_fan is somebody else
    found = re.search(rf"@{re.escape(bot_username)}(?![A-Za-z0-9_])", text, re.IGNORECASE) \
        if bot_username else None
    if found is not None:
        return (text[:found.start()] + text[found.end():]).strip()
    return None


async def start(update: Update, context: Context) -> None:
    """/start, and /start <brief-id> from a t.me deep link."""
    message = update.effective_message
    if message is None:
        return
    started = time.perf_counter()
    library = context.bot_data.library
    payload = context.args[0] if context.args else ""
    brief = library.get(payload.lower()) if payload else None
    user = update.effective_user
    lang = await reader_language(context, user)
    if brief is not None:
        await send_reply(message, replies.brief_reply(library, brief, lang))
        record(context, update, "deeplink", payload, None, started, brief=brief.id)
        return
    reply = replies.welcome(library, user.first_name if user else "", lang)
    if payload and payload != replies.INLINE_START:
        gone = _(lang, "That link points to a brief I no longer have.")
        reply = Reply((f"{gone}\n\n{reply.messages[0]}",), reply.buttons)
        record(context, update, "deeplink", payload, None, started)
    else:
        record_command(context, update, "start")
    await send_reply(message, reply)


async def help_command(update: Update, context: Context) -> None:
    """/help: commands, how to ask, and what is stored."""
    if update.effective_message is None:
        return
    record_command(context, update, "help")
    lang = await reader_language(context, update.effective_user)
    reply = replies.help_reply(context.bot.username, context.bot_data.retention_days, lang,
                               context.bot_data.library)
    await send_reply(update.effective_message, reply)


async def topics(update: Update, context: Context) -> None:
    """/topics: every brief as buttons."""
    if update.effective_message is None:
        return
    record_command(context, update, "topics")
    lang = await reader_language(context, update.effective_user)
    await send_reply(update.effective_message,
                     replies.topics(context.bot_data.library, lang=lang))


async def brief(update: Update, context: Context) -> None:
    """/brief ID: one brief, or the closest ids."""
    if update.effective_message is None:
        return
    record_command(context, update, "brief")
    lang = await reader_language(context, update.effective_user)
    reply = replies.brief_by_id(context.bot_data.library, " ".join(context.args or []), lang)
    await send_reply(update.effective_message, reply)


async def question(update: Update, context: Context) -> None:
    """Free text: answer with a brief, suggest a few, or say honestly there is none."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = addressed_text(message, context.bot.username)
    if text is None:
        return
    started = time.perf_counter()
    library = context.bot_data.library
    result = library.match(text)
    ask = replies.new_ask_id() if result.outcome != "none" else None
    if ask is not None and result.outcome == "answer":
        context.bot_data.recent.remember(ask, replies.offered_ids(result))
    lang = await reader_language(context, update.effective_user, text)
    await send_reply(message, replies.answer(library, result, ask or "", lang))
    record(context, update, "text", text, result, started, ask=ask)


async def topics_page(update: Update, context: Context) -> None:
    """A /topics page button: answer the callback, then show that page in place."""
    query = update.callback_query
    if query is None:
        return
    lang = await reader_language(context, query.from_user)
    await query.answer()
    found = TOPICS_PAGE.match(query.data or "")
    if isinstance(query.message, Message):
        reply = replies.topics(context.bot_data.library, int(found.group(1)) if found else 0,
                               lang)
        await edit_reply(query.message, reply)


async def brief_button(update: Update, context: Context) -> None:
    """A button that opens a brief (topics, related briefs, alerts)."""
    query = update.callback_query
    if query is None:
        return
    started = time.perf_counter()
    library = context.bot_data.library
    lang = await reader_language(context, query.from_user)
    found = library.get((query.data or "").removeprefix(replies.BRIEF_PREFIX))
    await query.answer(None if found else _(lang, "That brief is no longer available."))
    if isinstance(query.message, Message):
        reply = replies.brief_reply(library, found, lang) if found else replies.gone_brief(lang)
        await send_reply(query.message, reply)
    if found:
        record(context, update, "button", found.id, None, started, brief=found.id)


async def expired_button(update: Update, context: Context) -> None:
    """A button no other handler takes (an older version's): say so, never leave it spinning."""
    query = update.callback_query
    if query is None:
        return
    lang = await reader_language(context, query.from_user)
    await query.answer(_(lang, "This button has expired. Send /topics for the current list."))


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know: a hint, not silence."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command = message.text.split()[0]
    target = command.partition("@")[2]
    if target and target.lower() != context.bot.username.lower():
        return  # /cmd@other_bot: for another bot
    if not target and message.chat.type != ChatType.PRIVATE \
            and addressed_text(message, context.bot.username) is None:
        return  # a bare command in a group may be another bot's
    lang = await reader_language(context, update.effective_user)
    await send_reply(message, replies.unknown_command(command, lang))


async def non_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice and the rest: ask for text."""
    if update.effective_message is not None:
        lang = await reader_language(context, update.effective_user)
        await send_reply(update.effective_message,
                         replies.non_text(lang, context.bot_data.library))


async def too_fast(bot: Bot, state: BotState, update: object) -> None:
    """Tell a private chat once, as it starts sending faster than it can be answered, that
    some of its messages were skipped (the processor drops the oldest waiting ones); a busy
    group is not lectured."""
    if not isinstance(update, Update) or update.effective_chat is None \
            or update.effective_chat.type != ChatType.PRIVATE:
        return
    lang = known_language(state, update.effective_user)
    try:
        await bot.send_message(update.effective_chat.id, _(
            lang, "You are sending faster than I can answer, so I skipped some of your "
                  "earlier messages. Please send one question at a time."))
    except TelegramError as exc:
        log.info("could not tell chat %s it sends too fast: %s", update.effective_chat.id,
                 exc)


def press_dropped(app: Application, state: BotState, update: object) -> None:
    """A button press dropped in a flood still gets its answer (else the reader's button
    spins until Telegram gives up): a short notice to press again."""
    if not isinstance(update, Update) or update.callback_query is None:
        return
    query = update.callback_query
    lang = known_language(state, update.effective_user)

    async def answer() -> None:
        try:
            await app.bot.answer_callback_query(query.id, _(
                lang, "Too many at once: I skipped this one. Please press again."))
        except TelegramError as exc:
            log.info("could not answer a dropped button press: %s", exc)

    app.create_task(answer(), name="dropped-press")


async def on_error(update: object, context: Context) -> None:
    """Log the failure (the log filter hides the token) and apologise to the user."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("cannot reach a chat: %s", error)
        return
    if isinstance(error, RetryAfter):  # an apology would be refused the same way
        chat = update.effective_chat if isinstance(update, Update) else None
        log.warning("reply to chat %s not sent: Telegram's flood control asks to wait %s",
                    chat.id if chat else "?", error.retry_after)
        return
    log.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    lang = known_language(context.bot_data, update.effective_user)
    try:
        await context.bot.send_message(
            update.effective_chat.id, _(lang, "Sorry, something went wrong on my side. "
                                              "Please try again in a moment."),
            message_thread_id=update.effective_message.message_thread_id
            if update.effective_message and update.effective_message.is_topic_message else None,
        )
    except (BadRequest, TelegramError) as exc:
        log.warning("could not send the apology: %s", exc)
