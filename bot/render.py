"""Briefs and replies as Telegram-ready HTML (escaped, split under 4096 characters) and text."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.dates import format_date as cldr_date
from babel.dates import format_skeleton

from .briefs import Brief, Source, Translation
from .i18n import DEFAULT, _

MAX_MESSAGE = 4096  # Telegram's limit, counted after entity parsing
MAX_CALLBACK_BYTES = 64
MAX_BUTTON_TEXT = 60


@dataclass(frozen=True)
class Button:
    """An inline button: `data` is callback data (≤ 64 bytes), or `url` opens a link.
    `per_message`: its data carries one answer's id (👍/👎, picks), so the button is used
    once and not worth keeping for reuse."""

    text: str
    data: str = ""
    url: str = ""
    per_message: bool = False

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """What the bot says: one or more HTML messages; buttons go under the last one."""

    messages: tuple[str, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    meta: dict[str, object] = field(default_factory=dict, compare=False)


def esc(text: str) -> str:
    """Escape text for Telegram HTML (<, > and &)."""
    return html.escape(text, quote=False)


def esc_attr(text: str) -> str:
    """Escape an attribute value (a link's href) for Telegram HTML."""
    return html.escape(text, quote=True)


def reflow(paragraph: str) -> str:
    """Join hard-wrapped lines of a YAML paragraph; list items ('- ', '• ') keep their lines."""
    lines: list[str] = []
    for raw in paragraph.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if lines and not line.startswith(("- ", "• ", "* ")):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def shorten(text: str, limit: int = MAX_BUTTON_TEXT) -> str:
    """Trim text to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def format_date(value: dt.date | str, lang: str = DEFAULT) -> str:
    """28 Feb 2023 (ru: 28 февраля 2023 г.; kk: 2023 ж. 28 ақпан); a YYYY-MM source date
    becomes 'Mar 2023' (март 2023 г.; 2023 ж. наурыз)."""
    month_only = isinstance(value, str) and len(value) == 7
    if isinstance(value, str):
        value = dt.date.fromisoformat(value + "-01" if month_only else value)
    if lang != DEFAULT:
        return format_skeleton("yMMMM", value, locale=lang) if month_only \
            else cldr_date(value, "long", locale=lang)
    return value.strftime("%b %Y") if month_only else f"{value.day} {value.strftime('%b %Y')}"


def source_line(source: Source, lang: str = DEFAULT) -> str:
    """• linked title — publisher, date."""
    return (f'• <a href="{esc_attr(source.url)}">{esc(source.title)}</a> — '
            f"{esc(source.publisher)}, {format_date(source.published, lang)}")


def original_text(brief: Brief) -> Translation:
    """The brief's title, summary and body as written (English)."""
    return Translation(brief.title, brief.summary, brief.body)


def brief_text(brief: Brief, lang: str = DEFAULT) -> Translation | None:
    """The brief's title, summary and body in `lang`; None when it has no such translation."""
    if lang == DEFAULT:
        return original_text(brief)
    return brief.translation(lang)


def brief_title(brief: Brief, lang: str = DEFAULT) -> str:
    """The brief's title in `lang`, else in English."""
    text = brief_text(brief, lang)
    return text.title if text else brief.title


def untranslated_note(lang: str) -> str:
    """The line sent above (or with) an English brief a reader asked for in another language."""
    return "<i>" + esc(_(lang, "This brief is not yet available in your language; here it is "
                               "in English.")) + "</i>"


def brief_blocks(brief: Brief, lang: str = DEFAULT) -> list[str]:
    """A brief as self-contained HTML blocks (each block closes every tag it opens)."""
    text = brief_text(brief, lang)
    blocks = [] if text else [untranslated_note(lang)]
    text = text or original_text(brief)
    blocks += [f"<b>{esc(text.title)}</b>\n<i>{format_date(brief.date, lang)}</i>",
               f"<i>{esc(text.summary)}</i>"]
    blocks += [esc(reflow(p)) for p in text.body.split("\n\n") if p.strip()]
    heading = esc(_(lang, "Sources"))
    blocks.append(f"<b>{heading}</b>\n" + "\n".join(source_line(s, lang) for s in brief.sources))
    return blocks


def visible_length(fragment: str) -> int:
    """Length Telegram counts: text after tags are removed and entities decoded."""
    return len(html_to_text(fragment, links=False))


def _split_block(block: str, limit: int) -> list[str]:
    """Split one over-long block on line or word boundaries, keeping every piece well formed."""
    plain = html_to_text(block, links=False)
    pieces: list[str] = []
    current = ""
    for word in plain.replace("\n", " \n ").split(" "):
        joined = not current or word == "\n" or current.endswith("\n")
        candidate = current + word if joined else f"{current} {word}"
        if len(candidate) > limit and current:
            pieces.append(current)
            current = word.lstrip("\n")
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [esc(p.strip()[:limit]) for p in pieces if p.strip()]


def pack_messages(blocks: list[str], limit: int = MAX_MESSAGE) -> tuple[str, ...]:
    """Join blocks with blank lines into as few messages as fit Telegram's limit."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for block in blocks:
        parts = [block] if visible_length(block) <= limit else _split_block(block, limit)
        for part in parts:
            n = visible_length(part)
            extra = n + (2 if current else 0)
            if current and size + extra > limit:
                messages.append("\n\n".join(current))
                current, size = [], 0
                extra = n
            current.append(part)
            size += extra
    if current:
        messages.append("\n\n".join(current))
    return tuple(messages) or ("…",)


def render_brief(brief: Brief, lang: str = DEFAULT) -> tuple[str, ...]:
    """The full brief as one or more HTML messages, in `lang` when it has that translation."""
    return pack_messages(brief_blocks(brief, lang))


def render_alert(brief: Brief, lang: str = DEFAULT) -> str:
    """A new-brief alert: title, summary, first source link."""
    first = brief.sources[0]
    text = brief_text(brief, lang)
    note = "" if text else "\n" + untranslated_note(lang)
    text = text or original_text(brief)
    link = f'<a href="{esc_attr(first.url)}">{esc(first.publisher)}</a>'
    return (f"🆕 <b>{esc(text.title)}</b>{note}\n\n{esc(text.summary)}\n\n"
            + esc(_(lang, "Source: {publisher}")).format(publisher=link))


class _TextExtractor(HTMLParser):
    def __init__(self, links: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.links = links
        self.out: list[str] = []
        self.href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            href = self.href.pop()
            if self.links and href:
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def html_to_text(fragment: str, links: bool = True) -> str:
    """Telegram HTML to plain text; links become 'title (url)' when `links` is true."""
    parser = _TextExtractor(links)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)
