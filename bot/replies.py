"""What the bot says, independent of Telegram: used by the bot and by `briefbot chat`."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets

from babel.dates import format_skeleton

from .briefs import Brief
from .i18n import DEFAULT, N_, _, ngettext
from .library import Library
from .matching import MatchResult, closest_ids
from .render import MAX_CALLBACK_BYTES, Button, Reply, brief_title, esc, shorten
from .text import ALIASES, normalize

TOPICS_PER_PAGE = 8
BRIEF_PREFIX = "b:"
TOPICS_PREFIX = "t:"
VOTE_PREFIX = "v:"  # v:<ask>:u (helpful) or v:<ask>:d (not what I asked)
PICK_PREFIX = "p:"  # p:<ask>:<brief-id>: a did-you-mean button
ALTERNATIVE_PREFIX = "a:"  # a:<ask>:<brief-id>: a brief offered after a 👎
NONE_PREFIX = "n:"  # n:<ask>: "none of these"
HELPFUL, NOT_HELPFUL = N_("👍 Helpful"), N_("👎 Not what I asked")
INLINE_START = "from-inline"  # /start payload of inline mode's "open the bot" button


def example(library: Library | None = None, lang: str = DEFAULT) -> str:
    """A question to show as an example, in the reader's language (from the topic file;
    else the newest brief's title)."""
    if library is None:
        return ""
    found = library.topic.example(lang)
    if not found and library.briefs:
        found = brief_title(library.newest_first[0], lang)
    return found


def month_year(day: dt.date, lang: str = DEFAULT) -> str:
    """May 2022 (май 2022 г., 2022 ж. мамыр): CLDR's month-and-year form, as source dates."""
    return format_skeleton("yMMMM", day, locale=lang)


def scope_text(library: Library, lang: str = DEFAULT) -> str:
    """What the bot covers, from the library: the subject and scope of its topic file, how
    many briefs and which period ("My 11 briefs cover May 2022 – February 2023."); worked out
    once per library and language."""
    return library.memo(("scope", lang), lambda: _scope_text(library, lang))


def _scope_text(library: Library, lang: str) -> str:
    topic = library.topic
    subject, scope = topic.text(topic.name, lang), topic.text(topic.scope, lang)
    parts = []
    if subject and scope:
        parts.append(_(lang, "My subject is <b>{subject}</b>: {scope}.").format(
            subject=esc(subject), scope=esc(scope)))
    elif subject:
        parts.append(_(lang, "My subject is <b>{subject}</b>.").format(subject=esc(subject)))
    if library.period is None:
        parts.append(_(lang, "No briefs are published yet."))
    else:
        start, end = (month_year(d, lang) for d in library.period)
        period = start if start == end else f"{start} – {end}"
        count = len(library.briefs)
        covers = ngettext(lang, "My {count} brief covers {period}.",
                          "My {count} briefs cover {period}.", count).format(
                              count=count, period=period)
        # a date that ends in an abbreviation's point («февраль 2023 г.») ends the sentence
        parts.append(covers[:-1] if covers.endswith("..") else covers)
    return " ".join(parts)


def help_text(lang: str, bot: str, days: int, library: Library | None = None) -> str:
    """The /help text: what the bot covers, how to ask, the commands, inline mode, what is
    stored."""
    questions = library.topic.examples.get(lang) or library.topic.examples.get(DEFAULT, ()) \
        if library is not None else ()
    if not questions and example(library, lang):
        questions = (example(library, lang),)
    how = [_(lang, "<b>How to use me</b>")]
    if library is not None:
        how.append(scope_text(library, lang))
    how.append(_(lang, "Ask a question in your own words, in English, Russian or Kazakh, for "
                       "example:") if questions else
               _(lang, "Ask a question in your own words, in English, Russian or Kazakh."))
    how.extend(f"• <i>{esc(q)}</i>" for q in questions[:3])
    return "\n\n".join((
        "\n".join(how),
        "\n".join((
            _(lang, "<b>Commands</b>"),
            _(lang, "/topics – every brief, as buttons"),
            _(lang, "/subscribe [<i>TAG</i>] – get each new brief once (or only briefs with a "
                    "tag)"),
            _(lang, "/unsubscribe [<i>TAG</i>] – stop those alerts"),
            _(lang, "/subscriptions – what you are subscribed to"),
            _(lang, "/language – the language of my replies"),
            _(lang, "/forget – delete everything stored about you"),
            _(lang, "/help – this message"),
        )),
        _(lang, "In any chat, type <code>@{bot} question</code> to share a brief.").format(
            bot=bot),
        "\n".join((
            _(lang, "<b>What is stored</b>"),
            ngettext(lang, "Your questions (with a pseudonymous key, never your Telegram id), "
                           "your 👍/👎 votes and the briefs you pick from a did-you-mean, for up "
                           "to {days} day, so editors see what to write next; your "
                           "subscriptions until you unsubscribe; and the language you choose "
                           "with /language. /forget deletes all of it.",
                     "Your questions (with a pseudonymous key, never your Telegram id), your "
                     "👍/👎 votes and the briefs you pick from a did-you-mean, for up to "
                     "{days} days, so editors see what to write next; your subscriptions "
                     "until you unsubscribe; and the language you choose with /language. "
                     "/forget deletes all of it.", days).format(days=days),
        )),
    ))


def brief_button(brief: Brief, lang: str = DEFAULT) -> Button:
    """A button that opens a brief (its title in the reader's language)."""
    return Button(shorten(brief_title(brief, lang)), data=BRIEF_PREFIX + brief.id)


def topic_buttons(library: Library, page: int = 0,
                  lang: str = DEFAULT) -> tuple[tuple[Button, ...], ...]:
    """Every brief as one button a row, newest first, paged with ‹ › buttons (built once per
    library, page and language; a page past either end is the first or the last)."""
    pages = max(1, math.ceil(len(library.briefs) / TOPICS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    return library.memo(("topics", page, lang),
                        lambda: _topic_buttons(library, page, pages, lang))


def _topic_buttons(library: Library, page: int, pages: int,
                   lang: str) -> tuple[tuple[Button, ...], ...]:
    briefs = library.newest_first
    start = page * TOPICS_PER_PAGE
    rows: list[tuple[Button, ...]] = [
        (brief_button(b, lang),) for b in briefs[start:start + TOPICS_PER_PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Button(_(lang, "‹ Back"), data=f"{TOPICS_PREFIX}{page - 1}"))
    if page < pages - 1:
        nav.append(Button(_(lang, "More ({page}/{pages}) ›").format(page=page + 2, pages=pages),
                          data=f"{TOPICS_PREFIX}{page + 1}"))
    if nav:
        rows.append(tuple(nav))
    return tuple(rows)


def ask_line(library: Library, lang: str = DEFAULT) -> str:
    """"Ask me anything …, e.g. <example>, or pick a topic:"."""
    shown = example(library, lang)
    if not shown:
        return _(lang, "Ask me anything in English, Russian or Kazakh, or pick a topic:")
    return _(lang, "Ask me anything in English, Russian or Kazakh, e.g. <i>{example}</i>, or "
                   "pick a topic:").format(example=esc(shown))


def welcome(library: Library, name: str = "", lang: str = DEFAULT) -> Reply:
    """The /start greeting with what the bot covers and topic buttons."""
    hello = _(lang, "Hi, {name}!").format(name=esc(name)) if name else _(lang, "Hi!")
    about = scope_text(library, lang)
    return Reply((f"{hello} 👋 {about}\n\n{ask_line(library, lang)}",),
                 topic_buttons(library, lang=lang))


def help_reply(bot_username: str, retention_days: int, lang: str = DEFAULT,
               library: Library | None = None) -> Reply:
    """The /help text (with `library`, what it covers and example questions)."""
    return Reply((help_text(lang, esc(bot_username or "briefbot"), retention_days, library),))


def topics(library: Library, page: int = 0, lang: str = DEFAULT) -> Reply:
    """The /topics list."""
    if not library.briefs:
        return Reply((_(lang, "No briefs are published yet. Please check back later."),))
    count = len(library.briefs)
    head = ngettext(lang, "📚 <b>{count} brief</b>, newest first. Tap one to read it:",
                    "📚 <b>{count} briefs</b>, newest first. Tap one to read it:",
                    count).format(count=count)
    return Reply((head,), topic_buttons(library, page, lang))


def brief_reply(library: Library, brief: Brief, lang: str = DEFAULT) -> Reply:
    """A whole brief, with buttons for its related briefs."""
    return Reply(library.rendered(brief, lang), related_buttons(library, brief, lang),
                 meta={"brief": brief.id})


def related_buttons(library: Library, brief: Brief,
                    lang: str = DEFAULT) -> tuple[tuple[Button, ...], ...]:
    """A button for each related brief in service (built once per library and language)."""

    def build() -> tuple[tuple[Button, ...], ...]:
        related = [library.get(r) for r in brief.related]
        return tuple((brief_button(r, lang),) for r in related if r is not None)

    return library.memo(("related", brief.id, lang), build)


def brief_by_id(library: Library, brief_id: str, lang: str = DEFAULT) -> Reply:
    """/brief ID: the brief, or the closest ids as buttons."""
    brief_id = brief_id.strip().lower()
    if not brief_id:
        return Reply((_(lang, "Which brief? Send <code>/brief ID</code>, or pick one:"),),
                     topic_buttons(library, lang=lang))
    brief = library.get(brief_id)
    if brief is not None:
        return brief_reply(library, brief, lang)
    close = [library.by_id[i] for i in closest_ids(brief_id, library.by_id)]
    shown = esc(shorten(brief_id, 64))
    if close:
        return Reply((_(lang, "I have no brief with the id <code>{id}</code>. Did you mean:")
                      .format(id=shown),), tuple((brief_button(b, lang),) for b in close))
    return Reply((_(lang, "I have no brief with the id <code>{id}</code>. Here are all the "
                          "topics:").format(id=shown),), topic_buttons(library, lang=lang))


def overview(library: Library, lang: str = DEFAULT) -> Reply:
    """The reply to a question about the subject as a whole: what the bot covers, each
    brief as a button."""
    return library.memo(("overview", lang), lambda: Reply(
        (f"{scope_text(library, lang)}\n\n{ask_line(library, lang)}",),
        topic_buttons(library, lang=lang)))


def as_typed(query: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Normalized words as the reader wrote them ("india" -> "India", "cochaired" ->
    "co-chaired", "university" -> "univ", spelled out from it), where found; each once."""
    typed: dict[str, str] = {}
    for token in re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", query):
        for part in (token, *token.split("-")):  # "O'Brien" is one word, "co-chaired" two
            key = normalize(part)
            typed.setdefault(key, part)
            for spelled in ALIASES.get(key, ()):
                typed.setdefault(spelled, part)
    return tuple(dict.fromkeys(typed.get(w, w) for w in words))


def _quoted(words: tuple[str, ...], lang: str = DEFAULT) -> str:
    """“a”, “a” or “b”, “a”, “b” or “c” (at most three, escaped)."""
    quoted = [_(lang, "“{word}”").format(word=esc(shorten(w, 40))) for w in words[:3]]
    if len(quoted) == 1:
        return quoted[0]
    # TRANSLATORS: {words} is one or two quoted words joined by ", "; {last} the last one.
    return _(lang, "{words} or {last}").format(words=", ".join(quoted[:-1]), last=quoted[-1])


def new_ask_id() -> str:
    """A short random id for one answer, carried by its buttons (feedback, picks)."""
    return secrets.token_hex(4)


def choice_button(prefix: str, ask: str, brief: Brief, lang: str = DEFAULT) -> Button:
    """A button that opens a brief and records that the reader chose it; a plain brief
    button when the ids would not fit in callback data."""
    data = f"{prefix}{ask}:{brief.id}"
    if not ask or len(data.encode()) > MAX_CALLBACK_BYTES:
        return brief_button(brief, lang)
    return Button(shorten(brief_title(brief, lang)), data=data, per_message=True)


def vote_row(ask: str, chosen: str = "", lang: str = DEFAULT) -> tuple[Button, ...]:
    """👍 / 👎 under an answer (the chosen one marked)."""
    helpful, not_helpful = _(lang, HELPFUL), _(lang, NOT_HELPFUL)
    return (Button(helpful + (" ✓" if chosen == "u" else ""), data=f"{VOTE_PREFIX}{ask}:u",
                   per_message=True),
            Button(not_helpful + (" ✓" if chosen == "d" else ""), data=f"{VOTE_PREFIX}{ask}:d",
                   per_message=True))


def offered_ids(result: MatchResult) -> tuple[str, ...]:
    """What a question's record keeps for later: its did-you-mean briefs, or for an answer
    the next best briefs (offered if the reader says 👎)."""
    if result.outcome == "suggest":
        return tuple(m.brief.id for m in result.suggestions)
    best = result.best.brief.id if result.best else ""
    return tuple(m.brief.id for m in result.ranked if m.brief.id != best)[:3]


def answer(library: Library, result: MatchResult, ask: str = "",
           lang: str = DEFAULT) -> Reply:
    """The reply to a free-text question, for each outcome, in `lang`. With `ask` (the
    answer's id), an answer carries 👍 / 👎 and did-you-mean buttons record the reader's pick."""
    meta: dict[str, object] = {"outcome": result.outcome}
    if result.outcome == "answer" and result.best is not None:
        reply = brief_reply(library, result.best.brief, lang)
        meta.update(brief=result.best.brief.id, score=result.best.score)
        rows = (*reply.buttons, vote_row(ask, lang=lang)) if ask else reply.buttons
        return Reply(reply.messages, rows, meta)
    if result.outcome == "suggest":
        meta.update(brief=result.suggestions[0].brief.id, score=result.suggestions[0].score)
        rows = tuple((choice_button(PICK_PREFIX, ask, m.brief, lang),)
                     for m in result.suggestions)
        if result.intent == "office":
            text = ngettext(lang, "My briefs are written as of their dates: they don't say who "
                                  "holds an office now or who came next. The closest brief I "
                                  "have:",
                            "My briefs are written as of their dates: they don't say who holds "
                            "an office now or who came next. The closest I have:", len(rows))
        elif result.unknown:
            text = ngettext(lang, "I have no brief on {words}. The closest brief I have:",
                            "I have no brief on {words}. The closest I have:", len(rows)).format(
                words=_quoted(as_typed(result.query, result.unknown), lang))
        elif len(rows) == 1:  # not a choice: say what it is
            text = _(lang, "The closest brief I have:")
        else:
            text = _(lang, "I'm not sure which brief you mean. Did you mean:")
        return Reply((text,), rows, meta)
    if result.intent == "thanks":
        return Reply((_(lang, "You're welcome! Ask me anything else."),), meta=meta)
    if result.intent in ("acknowledge", "vague"):  # "ok", "tell me more": ask what about
        return Reply((_(lang, "What would you like to know? Ask about something specific, or "
                              "pick a topic:"),), topic_buttons(library, lang=lang), meta)
    if result.intent == "hello":
        return Reply((_(lang, "Hello! 👋") + " " + ask_line(library, lang),),
                     topic_buttons(library, lang=lang), meta)
    if result.intent == "subject":
        reply = overview(library, lang)
        return Reply(reply.messages, reply.buttons, meta)
    if result.intent == "office":
        text = _(lang, "My briefs are written as of their dates: they don't say who holds an "
                       "office now or who came next.")
    elif result.unknown:
        text = _(lang, "I have no brief on {words}.").format(
            words=_quoted(as_typed(result.query, result.unknown), lang))
    else:
        text = _(lang, "I have no brief on that.")
    text += " " + scope_text(library, lang) + " " + _(lang, "Try a topic:")
    return Reply((text,), topic_buttons(library, lang=lang), meta)


def after_not_helpful(library: Library, ask: str, offered: tuple[str, ...],
                      lang: str = DEFAULT) -> Reply:
    """After a 👎: the next best briefs, and "none of these"."""
    briefs = [b for b in (library.get(i) for i in offered) if b is not None]
    rows = [(choice_button(ALTERNATIVE_PREFIX, ask, b, lang),) for b in briefs[:3]]
    rows.append((Button(_(lang, "None of these"), data=f"{NONE_PREFIX}{ask}",
                        per_message=True),))
    text = (_(lang, "Sorry I missed. Is it one of these?") if briefs else
            _(lang, "Sorry I missed. I have nothing closer; send /topics to see every brief."))
    return Reply((text,), tuple(rows))


def none_of_these(lang: str = DEFAULT) -> Reply:
    """The thanks for "none of these"."""
    return Reply((_(lang, "Thank you for telling me. The editors see questions like yours and "
                          "decide what to write next."),))


def ask(library: Library, text: str, lang: str = DEFAULT) -> Reply:
    """Match a question and build the reply."""
    return answer(library, library.match(text), lang=lang)


def unknown_command(command: str, lang: str = DEFAULT) -> Reply:
    """A hint for a command the bot does not know."""
    return Reply((_(lang, "I don't know the command <code>{command}</code>. Send /help to see "
                          "what I can do, or just ask a question.").format(
                              command=esc(shorten(command, 40))),))


def no_such_button(number: int, last: int, lang: str = DEFAULT) -> Reply:
    """A number typed to press a button that is not there."""
    return Reply((ngettext(lang, "There is no button {number}: there is only button {last}.",
                           "There is no button {number}: the buttons go up to {last}.",
                           last).format(number=number, last=last),))


def non_text(lang: str = DEFAULT, library: Library | None = None) -> Reply:
    """The reply to stickers, photos, voice and other non-text messages."""
    shown = example(library, lang)
    if not shown:
        return Reply((_(lang, "I can only read text. Send me a question in words."),))
    return Reply((_(lang, "I can only read text. Send me a question in words, e.g. "
                          "<i>{example}</i>").format(example=esc(shown)),))


def gone_brief(lang: str = DEFAULT) -> Reply:
    """A button for a brief that has since been removed."""
    return Reply((_(lang, "That brief is no longer available. Send /topics for the current "
                          "list."),))
