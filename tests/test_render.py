"""Rendering: escaping, splitting under Telegram's limit, plain-text conversion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

import pytest

from bot.briefs import Brief, Source
from bot.render import (
    MAX_MESSAGE,
    Button,
    format_date,
    html_to_text,
    pack_messages,
    reflow,
    render_alert,
    render_brief,
    visible_length,
)

BRIEF = Brief(
    id="b", title="Title <b>&</b>", date=dt.date(2023, 2, 28), tags=(), keywords=("k",),
    summary="Sum <i>", body="Para one\nwraps here.\n\n- item one\n- item two",
    sources=(Source('A "quoted" & <title>', "Pub", "https://x.org/?a=1&b=2", "2023-03"),),
)


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag


def balanced(fragment: str) -> bool:
    parser = _Balance()
    parser.feed(fragment)
    return not parser.stack


def test_brief_html_escapes_content() -> None:
    (message,) = render_brief(BRIEF)
    assert "Title &lt;b&gt;&amp;&lt;/b&gt;" in message
    assert "Sum &lt;i&gt;" in message
    assert 'href="https://x.org/?a=1&amp;b=2"' in message
    assert "A \"quoted\" &amp; &lt;title&gt;" in message
    assert balanced(message)


def test_reflow_keeps_list_items() -> None:
    assert reflow("one\ntwo\n- a\n- b\n  c") == "one two\n- a\n- b c"


def test_dates() -> None:
    assert format_date(dt.date(2022, 5, 1)) == "1 May 2022"
    assert format_date("2023-03") == "Mar 2023"
    assert format_date("2022-05-21") == "21 May 2022"


def test_long_brief_splits_cleanly() -> None:
    body = "\n\n".join(f"Paragraph {i} " + "lorem <ipsum> & dolor " * 60 for i in range(12))
    long = dataclasses.replace(BRIEF, body=body)
    messages = render_brief(long)
    assert len(messages) > 1
    for m in messages:
        assert visible_length(m) <= MAX_MESSAGE
        assert balanced(m)
    joined = " ".join(html_to_text(m) for m in messages)
    assert "Paragraph 11" in joined and "Sources" in joined


def test_single_huge_block_is_cut_on_words() -> None:
    messages = pack_messages(["&lt;x&gt; " * 3000])
    assert all(visible_length(m) <= MAX_MESSAGE for m in messages)
    assert sum(html_to_text(m).count("<x>") for m in messages) == 3000


def test_alert_has_title_summary_and_link() -> None:
    text = render_alert(BRIEF)
    assert "Title &lt;b&gt;" in text and "Sum &lt;i&gt;" in text and "https://x.org" in text


def test_callback_data_limit() -> None:
    Button("ok", data="b:" + "a" * 62)
    with pytest.raises(ValueError):
        Button("too long", data="b:" + "é" * 40)


def test_html_to_text_links() -> None:
    assert html_to_text('<a href="https://a.b">x &amp; y</a>') == "x & y (https://a.b)"
    assert html_to_text('<a href="https://a.b">x</a>', links=False) == "x"
