"""What the bot says, independent of Telegram: used by the bot and by `briefbot chat`."""

from __future__ import annotations

import math
import re
import secrets

from .briefs import Brief
from .library import Library
from .matching import MatchResult, closest_ids
from .render import MAX_CALLBACK_BYTES, Button, Reply, esc, shorten
from .text import normalize

TOPICS_PER_PAGE = 8
BRIEF_PREFIX = "b:"
TOPICS_PREFIX = "t:"
VOTE_PREFIX = "v:"  # v:<ask>:u (helpful) or v:<ask>:d (not what I asked)
PICK_PREFIX = "p:"  # p:<ask>:<brief-id>: a did-you-mean button
ALTERNATIVE_PREFIX = "a:"  # a:<ask>:<brief-id>: a brief offered after a 👎
NONE_PREFIX = "n:"  # n:<ask>: "none of these"
HELPFUL, NOT_HELPFUL = "👍 Helpful", "👎 Not what I asked"
INLINE_START = "from-inline"  # /start payload of inline mode's "open the bot" button
EXAMPLE = "What did Blinken say about sanctions?"

HELP = """<b>How to use me</b>
Ask a question in your own words, in English, Russian or Kazakh, for example:
• <i>{example}</i>
• <i>ОДКБ</i> or <i>Тоқаевтың реформалары</i>

<b>Commands</b>
/topics – every brief, as buttons
/brief <i>ID</i> – open one brief by its id
/subscribe [<i>TAG</i>] – get each new brief once (or only briefs with a tag)
/unsubscribe [<i>TAG</i>] – stop those alerts
/subscriptions – what you are subscribed to
/forget – delete everything stored about you
/help – this message

In any chat, type <code>@{bot} question</code> to share a brief.

<b>What is stored</b>
Your questions (with a pseudonymous key, never your Telegram id) for up to {days} days, so editors
see what to write next, and your subscriptions until you unsubscribe. /forget deletes both."""


def brief_button(brief: Brief) -> Button:
    """A button that opens a brief."""
    return Button(shorten(brief.title), data=BRIEF_PREFIX + brief.id)


def topic_buttons(library: Library, page: int = 0) -> tuple[tuple[Button, ...], ...]:
    """Every brief as one button a row, newest first, paged with ‹ › buttons."""
    briefs = library.newest_first
    pages = max(1, math.ceil(len(briefs) / TOPICS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * TOPICS_PER_PAGE
    rows: list[tuple[Button, ...]] = [
        (brief_button(b),) for b in briefs[start:start + TOPICS_PER_PAGE]
    ]
    nav = []
    if page > 0:
        nav.append(Button("‹ Back", data=f"{TOPICS_PREFIX}{page - 1}"))
    if page < pages - 1:
        nav.append(Button(f"More ({page + 2}/{pages}) ›", data=f"{TOPICS_PREFIX}{page + 1}"))
    if nav:
        rows.append(tuple(nav))
    return tuple(rows)


def welcome(library: Library, name: str = "") -> Reply:
    """The /start greeting with topic buttons."""
    hello = f"Hi, {esc(name)}!" if name else "Hi!"
    text = (f"{hello} 👋 I brief you on <b>US–Kazakhstan relations</b>: {len(library.briefs)} "
            "short briefs with their sources, from the Blinken–Tileuberdi meetings to trade, "
            "sanctions and security.\n\nAsk me anything in English, Russian or Kazakh, e.g. "
            f"<i>{EXAMPLE}</i>, or pick a topic:")
    return Reply((text,), topic_buttons(library))


def help_reply(bot_username: str, retention_days: int) -> Reply:
    """The /help text."""
    return Reply((HELP.format(example=EXAMPLE, bot=esc(bot_username or "briefbot"),
                              days=retention_days),))


def topics(library: Library, page: int = 0) -> Reply:
    """The /topics list."""
    if not library.briefs:
        return Reply(("No briefs are published yet. Please check back later.",))
    return Reply((f"📚 <b>{len(library.briefs)} briefs</b>, newest first. Tap one to read it:",),
                 topic_buttons(library, page))


def brief_reply(library: Library, brief: Brief) -> Reply:
    """A whole brief, with buttons for its related briefs."""
    related = [library.get(r) for r in brief.related]
    rows = tuple((brief_button(r),) for r in related if r is not None)
    return Reply(library.rendered(brief), rows, meta={"brief": brief.id})


def brief_by_id(library: Library, brief_id: str) -> Reply:
    """/brief ID: the brief, or the closest ids as buttons."""
    brief_id = brief_id.strip().lower()
    if not brief_id:
        return Reply(("Which brief? Send <code>/brief ID</code>, or pick one:",),
                     topic_buttons(library))
    brief = library.get(brief_id)
    if brief is not None:
        return brief_reply(library, brief)
    close = [library.by_id[i] for i in closest_ids(brief_id, library.by_id)]
    text = f"I have no brief with the id <code>{esc(shorten(brief_id, 64))}</code>."
    if close:
        return Reply((text + " Did you mean:",), tuple((brief_button(b),) for b in close))
    return Reply((text + " Here are all the topics:",), topic_buttons(library))


def overview(library: Library) -> Reply:
    """The reply to a question about the subject as a whole ("Kazakhstan", "США и Казахстан")."""
    return Reply((f"I cover <b>US–Kazakhstan relations</b> in {len(library.briefs)} short briefs, "
                  "each with its sources: the Blinken–Tileuberdi meetings, Tokayev's reforms, "
                  "sanctions on Russia and their spillover, the CSTO and SCO, trade and "
                  "investment, energy, the war in Ukraine and relations since 1991. Pick a "
                  f"topic, or ask about one, e.g. <i>{EXAMPLE}</i>",), topic_buttons(library))


def as_typed(query: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Normalized words as the reader wrote them ("india" -> "India"), where found."""
    typed = {normalize(w): w for w in re.findall(r"[^\W_]+", query)}
    return tuple(typed.get(w, w) for w in words)


def _quoted(words: tuple[str, ...]) -> str:
    """“a”, “a” or “b”, “a”, “b” or “c” (at most three, escaped)."""
    quoted = [f"“{esc(shorten(w, 40))}”" for w in words[:3]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def new_ask_id() -> str:
    """A short random id for one answer, carried by its buttons (feedback, picks)."""
    return secrets.token_hex(4)


def choice_button(prefix: str, ask: str, brief: Brief) -> Button:
    """A button that opens a brief and records that the reader chose it; a plain brief
    button when the ids would not fit in callback data."""
    data = f"{prefix}{ask}:{brief.id}"
    if not ask or len(data.encode()) > MAX_CALLBACK_BYTES:
        return brief_button(brief)
    return Button(shorten(brief.title), data=data)


def vote_row(ask: str, chosen: str = "") -> tuple[Button, ...]:
    """👍 / 👎 under an answer (the chosen one marked)."""
    return (Button(HELPFUL + (" ✓" if chosen == "u" else ""), data=f"{VOTE_PREFIX}{ask}:u"),
            Button(NOT_HELPFUL + (" ✓" if chosen == "d" else ""), data=f"{VOTE_PREFIX}{ask}:d"))


def offered_ids(result: MatchResult) -> tuple[str, ...]:
    """What a question's record keeps for later: its did-you-mean briefs, or for an answer
    the next best briefs (offered if the reader says 👎)."""
    if result.outcome == "suggest":
        return tuple(m.brief.id for m in result.suggestions)
    best = result.best.brief.id if result.best else ""
    return tuple(m.brief.id for m in result.ranked if m.brief.id != best)[:3]


def answer(library: Library, result: MatchResult, ask: str = "") -> Reply:
    """The reply to a free-text question, for each outcome. With `ask` (the answer's id), an
    answer carries 👍 / 👎 and did-you-mean buttons record the reader's pick."""
    meta: dict[str, object] = {"outcome": result.outcome}
    if result.outcome == "answer" and result.best is not None:
        reply = brief_reply(library, result.best.brief)
        meta.update(brief=result.best.brief.id, score=result.best.score)
        rows = (*reply.buttons, vote_row(ask)) if ask else reply.buttons
        return Reply(reply.messages, rows, meta)
    if result.outcome == "suggest":
        meta.update(brief=result.suggestions[0].brief.id, score=result.suggestions[0].score)
        rows = tuple((choice_button(PICK_PREFIX, ask, m.brief),) for m in result.suggestions)
        text = ("I'm not sure which brief you mean. Did you mean:" if not result.unknown else
                f"I have no brief on {_quoted(as_typed(result.query, result.unknown))}. "
                "The closest I have:")
        return Reply((text,), rows, meta)
    if result.intent == "thanks":
        return Reply(("You're welcome! Ask me anything else about US–Kazakhstan relations.",),
                      meta=meta)
    if result.intent == "hello":
        return Reply((f"Hello! 👋 Ask me about US–Kazakhstan relations, e.g. <i>{EXAMPLE}</i>, "
                      "or pick a topic:",), topic_buttons(library), meta)
    if result.intent == "subject":
        reply = overview(library)
        return Reply(reply.messages, reply.buttons, meta)
    about = (f" on {_quoted(as_typed(result.query, result.unknown))}" if result.unknown
             else " on that")
    return Reply((f"I have no brief{about}. I cover US–Kazakhstan relations: diplomacy, "
                  "reforms, sanctions, trade, security and energy. Try a topic:",),
                 topic_buttons(library), meta)


def after_not_helpful(library: Library, ask: str, offered: tuple[str, ...]) -> Reply:
    """After a 👎: the next best briefs, and "none of these"."""
    briefs = [b for b in (library.get(i) for i in offered) if b is not None]
    rows = [(choice_button(ALTERNATIVE_PREFIX, ask, b),) for b in briefs[:3]]
    rows.append((Button("None of these", data=f"{NONE_PREFIX}{ask}"),))
    text = ("Sorry I missed. Is it one of these?" if briefs else
            "Sorry I missed. I have nothing closer; send /topics to see every brief.")
    return Reply((text,), tuple(rows))


def none_of_these() -> Reply:
    """The thanks for "none of these"."""
    return Reply(("Thank you for telling me. The editors see questions like yours and decide "
                  "what to write next.",))


def ask(library: Library, text: str) -> Reply:
    """Match a question and build the reply."""
    return answer(library, library.match(text))


def unknown_command(command: str) -> Reply:
    """A hint for a command the bot does not know."""
    return Reply((f"I don't know the command <code>{esc(shorten(command, 40))}</code>. "
                  "Send /help to see what I can do, or just ask a question.",))


def non_text() -> Reply:
    """The reply to stickers, photos, voice and other non-text messages."""
    return Reply(("I can only read text. Send me a question in words, e.g. "
                  f"<i>{EXAMPLE}</i>",))


def gone_brief() -> Reply:
    """A button for a brief that has since been removed."""
    return Reply(("That brief is no longer available. Send /topics for the current list.",))
