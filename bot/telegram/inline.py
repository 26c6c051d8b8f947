"""Inline mode: `@bot query` in any chat returns matching briefs as articles."""

from __future__ import annotations

import re
import time

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import InlineQueryLimit, ParseMode

from ..briefs import Brief
from ..i18n import DEFAULT, _
from ..library import Library
from ..matching import MatchResult
from ..render import brief_text, original_text, shorten
from ..replies import INLINE_START
from .handlers import record
from .reader import reader_language
from .state import Context

CACHE_SECONDS = 30  # short, so a reloaded brief shows up quickly
OFFSET = re.compile(r"^[0-9]{1,6}$")  # the next_offset this bot gives: a number of briefs


def article(library: Library, brief: Brief, bot_username: str,
            lang: str = DEFAULT) -> InlineQueryResultArticle:
    """One brief as an inline result, in `lang`. An inline result is a single message: a brief
    too long for one gets its first part and a button that opens the whole brief in the bot."""
    parts = library.rendered(brief, lang)
    text = brief_text(brief, lang) or original_text(brief)
    more = None
    if len(parts) > 1 and bot_username:
        more = InlineKeyboardMarkup([[InlineKeyboardButton(
            _(lang, "Read the whole brief"), url=f"https://t.me/{bot_username}?start={brief.id}")]])
    return InlineQueryResultArticle(
        id=brief.id,
        title=text.title,
        description=shorten(text.summary, 120),
        input_message_content=InputTextMessageContent(
            parts[0], parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
        reply_markup=more,
    )


def inline_briefs(library: Library, query: str,
                  offset: int) -> tuple[list[Brief], int | None, MatchResult | None]:
    """Briefs for a query, the next offset, and the match (None for an empty query, which
    lists every brief)."""
    page = InlineQueryLimit.RESULTS
    if query.strip():
        result = library.matcher.match(query, candidates=page)
        floor = library.matcher.thresholds.suggest
        return [m.brief for m in result.ranked if m.score >= floor], None, result
    briefs = list(library.newest_first)
    chunk = briefs[offset:offset + page]
    more = offset + page < len(briefs)
    return chunk, (offset + page) if more else None, None


def parse_offset(offset: str, query: str) -> int | None:
    """The page an inline query asks for: 0 for none; a number this bot could have given (only
    an empty query is paged); None for anything else (forged, or a page past the end)."""
    if not offset:
        return 0
    if query.strip() or not OFFSET.match(offset):
        return None
    return int(offset)


async def inline_query(update: Update, context: Context) -> None:
    """Answer an inline query with up to 50 briefs (paged for an empty query)."""
    query = update.inline_query
    if query is None:
        return
    started = time.perf_counter()
    library = context.bot_data.library
    offset = parse_offset(query.offset, query.query)
    if offset is None:  # not an offset this bot gave: nothing more to show
        await query.answer([], cache_time=CACHE_SECONDS, is_personal=True)
        return
    briefs, next_offset, result = inline_briefs(library, query.query, offset)
    lang = await reader_language(context, query.from_user, query.query)
    button = None
    if not briefs:
        button = InlineQueryResultsButton(text=_(lang, "No brief on that - open the bot"),
                                          start_parameter=INLINE_START)
    await query.answer(
        [article(library, b, context.bot.username, lang) for b in briefs],
        cache_time=CACHE_SECONDS, is_personal=True,
        next_offset=str(next_offset) if next_offset else None, button=button,
    )
    if result is not None and offset == 0:
        record(context, update, "inline", query.query, result, started)
