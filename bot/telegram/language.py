"""The reader's language on Telegram: worked out per update, chosen with /language and its
buttons, and the command menu in each language."""

from __future__ import annotations

import re

from telegram import BotCommand, Message, Update, User
from telegram.ext import ExtBot

from ..i18n import DEFAULT, LANGUAGES, N_, NAMES, _
from ..language import AUTOMATIC_NAMES, parse_language
from ..render import Button, Reply, esc
from ..storage import StoreError
from .handlers import record_command
from .reader import known_language, reader_language
from .send import busy_reply, send_reply
from .state import Context

LANGUAGE_PREFIX = "l:"
AUTOMATIC = "auto"
LANGUAGE_BUTTON = re.compile(  # l:<language> or l:auto; any other l: button has expired
    rf"^{re.escape(LANGUAGE_PREFIX)}(?:{'|'.join(map(re.escape, (*LANGUAGES, AUTOMATIC)))})$")
COMMANDS = (  # the menu Telegram shows; /brief ID is left out (readers never see ids)
    ("topics", N_("Every brief, as buttons")),
    ("subscribe", N_("Get each new brief once (optionally: a tag)")),
    ("unsubscribe", N_("Stop new-brief alerts")),
    ("subscriptions", N_("What you are subscribed to")),
    ("language", N_("Choose the language of my replies")),
    ("forget", N_("Delete everything stored about you")),
    ("help", N_("How to ask, and what is stored")),
)


async def set_command_menus(bot: ExtBot[None]) -> None:
    """The command menu in English (the default) and for Russian and Kazakh `language_code`s."""
    for lang in LANGUAGES:
        menu = [BotCommand(name, _(lang, text)) for name, text in COMMANDS]
        await bot.set_my_commands(menu, language_code=None if lang == DEFAULT else lang)


def language_buttons(lang: str) -> tuple[tuple[Button, ...], ...]:
    """One button per language (each named in itself), and "Automatic"."""
    return (tuple(Button(NAMES[code], data=LANGUAGE_PREFIX + code) for code in LANGUAGES),
            (Button(_(lang, "Automatic"), data=LANGUAGE_PREFIX + AUTOMATIC),))


def language_menu(lang: str, chosen: str | None) -> Reply:
    """What /language shows: the current setting and the buttons to change it."""
    if chosen is None:
        text = _(lang, "I reply in the language you write in (when that is unclear, in the "
                       "language of your Telegram app). To always get one language, pick it:")
    else:
        # TRANSLATORS: {language} is the language's own name, e.g. "Русский".
        text = _(lang, "I reply to you in {language}, as you chose. Pick another, or "
                       "“Automatic” to let your questions decide:").format(
                           language=NAMES[chosen])
    return Reply((text,), language_buttons(lang))


async def choose(context: Context, user: User, choice: str) -> Reply:
    """Set (or, for "auto", clear) the reader's language; the confirmation is in it."""
    state = context.bot_data
    chosen = None if choice == AUTOMATIC else choice
    state.readers.set_choice(user.id, chosen)
    lang = known_language(state, user)
    if state.store is not None:
        try:
            await state.store.set_language(user.id, chosen)
            await state.store.set_alert_language(user.id, lang)  # their private chat's alerts
        except StoreError as exc:  # kept while the bot runs; stored next time
            if not exc.busy:
                raise
            return busy_reply(lang)
    if chosen is None:
        return Reply((_(lang, "Done: I reply in the language you write in again (when that is "
                              "unclear, in the language of your Telegram app)."),))
    # TRANSLATORS: shown only in the language just chosen: say "in Russian" in Russian, etc.
    return Reply((_(lang, "Done: from now on I reply to you in English, whatever the language "
                          "of your question. /language changes it."),))


async def language(update: Update, context: Context) -> None:
    """/language [en|ru|kk|auto]: show the choice, or make it."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    record_command(context, update, "language")
    lang = await reader_language(context, user)
    arg = " ".join(context.args or []).strip()
    choice = AUTOMATIC if arg.lower() in AUTOMATIC_NAMES else parse_language(arg)
    if not arg or choice is None:
        reply = language_menu(lang, context.bot_data.readers.choice(user.id))
        if arg:
            reply = Reply((_(lang, "I don't know the language “{language}”.").format(
                language=esc(arg[:40])) + " " + reply.messages[0],), reply.buttons)
        await send_reply(message, reply)
        return
    await send_reply(message, await choose(context, user, choice))


async def language_button(update: Update, context: Context) -> None:
    """A language button from /language (LANGUAGE_BUTTON: a known language, or automatic)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    reply = await choose(context, query.from_user,
                         (query.data or "").removeprefix(LANGUAGE_PREFIX))
    if isinstance(query.message, Message):
        await send_reply(query.message, reply)
