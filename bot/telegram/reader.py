"""The language to answer a Telegram user in (bot/language.py decides; this gathers what it
needs: the stored /language choice, read once per user, and the user's `language_code`)."""

from __future__ import annotations

import logging

from telegram import User

from ..i18n import DEFAULT
from ..language import choose_language, spoken_language
from ..storage import StoreError
from .state import BotState, Context

log = logging.getLogger(__name__)


async def reader_language(context: Context, user: User | None, text: str = "") -> str:
    """The language to answer `user` in; `text` is what they asked, if anything."""
    state = context.bot_data
    readers = state.readers
    if user is None:
        return choose_language(text=text)
    if not readers.knows_choice(user.id) and state.store is not None:
        try:
            readers.set_choice(user.id, await state.store.chosen_language(user.id))
        except StoreError as exc:  # answer anyway, in the language the question suggests
            log.error("cannot read a language choice: %s", exc)
    spoken = spoken_language(text)
    if spoken is not None:
        readers.heard(user.id, spoken)
    return known_language(state, user, text)


def known_language(state: BotState, user: User | None, text: str = "") -> str:
    """The reader's language from what is already known (no database read); `text`: the
    message being answered, if any (a greeting's language is its own reply's)."""
    if user is None:
        return DEFAULT
    readers = state.readers
    return choose_language(readers.choice(user.id), text, readers.recent(user.id),
                           user.language_code)
