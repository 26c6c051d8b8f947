"""Briefs and replies as Telegram-ready HTML (escaped, split under 4096 characters) and text."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .briefs import Brief, Source

MAX_MESSAGE = 4096  # Telegram's limit, counted after entity parsing
MAX_CALLBACK_BYTES = 64
MAX_BUTTON_TEXT = 60


@dataclass(frozen=True)
class Button:
    """An inline button: `data` is callback data (≤ 64 bytes), or `url` opens a link."""

    text: str
    data: str = ""
    url: str = ""

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


def format_date(value: dt.date | str) -> str:
    """28 Feb 2023; a YYYY-MM source date becomes 'Mar 2023'."""
    if isinstance(value, str):
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01").strftime("%b %Y")
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value.strftime('%b %Y')}"


def source_line(source: Source) -> str:
    """• linked title — publisher, date."""
    return (f'• <a href="{esc_attr(source.url)}">{esc(source.title)}</a> — '
            f"{esc(source.publisher)}, {format_date(source.published)}")


def brief_blocks(brief: Brief) -> list[str]:
    """A brief as self-contained HTML blocks (each block closes every tag it opens)."""
    blocks = [f"<b>{esc(brief.title)}</b>\n<i>{format_date(brief.date)}</i>",
              f"<i>{esc(brief.summary)}</i>"]
    blocks += [esc(reflow(p)) for p in brief.body.split("\n\n") if p.strip()]
    blocks.append("<b>Sources</b>\n" + "\n".join(source_line(s) for s in brief.sources))
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
        candidate = f"{current} {word}" if current and word != "\n" else current + word
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


def render_brief(brief: Brief) -> tuple[str, ...]:
    """The full brief as one or more HTML messages."""
    return pack_messages(brief_blocks(brief))


def render_alert(brief: Brief) -> str:
    """A new-brief alert: title, summary, first source link."""
    first = brief.sources[0]
    return (f"🆕 <b>{esc(brief.title)}</b>\n\n{esc(brief.summary)}\n\n"
            f'Source: <a href="{esc_attr(first.url)}">{esc(first.publisher)}</a>')


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
