"""Every brief field that reaches Telegram HTML is escaped, long briefs split cleanly, and a
brief reads whole in each language."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from bot.briefs import Brief, Source, Translation
from bot.render import (
    MAX_MESSAGE,
    html_to_text,
    pack_messages,
    render_alert,
    render_brief,
    untranslated_note,
)
from tests.fake_api import parse_html


def hostile(field: str) -> str:
    """Text that breaks HTML unless escaped, unique per field."""
    return f"{field} <b>bold & 'quoted' \"x\" </i>"


def hostile_brief(body: str = "") -> Brief:
    source = Source(hostile("source-title"), hostile("publisher"),
                    'https://example.org/a?b=1&c="2"<x>', "2023-03")
    return Brief("b", hostile("title"), dt.date(2023, 2, 28), ("t",), ("k",),
                 hostile("summary"), body or hostile("body"), (source,))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


def _checked(message: str) -> str:
    """The text Telegram would show; fails on HTML Telegram would reject."""
    plain, error = parse_html(message)
    assert error == "", (error, message)
    return plain


def test_every_field_of_a_brief_is_escaped() -> None:
    brief = hostile_brief()
    (message,) = render_brief(brief)
    plain = _checked(message)
    for field in ("title", "summary", "body", "source-title", "publisher"):
        assert hostile(field) in plain, field
    links = _Links()
    links.feed(message)
    assert links.hrefs == ['https://example.org/a?b=1&c="2"<x>']


def test_every_field_of_an_alert_is_escaped() -> None:
    message = render_alert(hostile_brief())
    plain = _checked(message)
    for field in ("title", "summary", "publisher"):
        assert hostile(field) in plain, field
    links = _Links()
    links.feed(message)
    assert links.hrefs == ['https://example.org/a?b=1&c="2"<x>']


def test_a_long_brief_splits_into_valid_messages_losing_no_word() -> None:
    words = [f"w{i}<&>" for i in range(3000)]
    paragraphs = "\n\n".join(" ".join(words[i:i + 300]) for i in range(0, 3000, 300))
    brief = hostile_brief(body=paragraphs + "\n\n" + " ".join(f"long{i}" for i in range(1500)))
    messages = render_brief(brief)
    assert len(messages) > 2
    plains = [_checked(m) for m in messages]
    assert all(0 < len(p) <= MAX_MESSAGE for p in plains)
    shown = " ".join(plains).split()
    assert [w for w in shown if w.startswith("w") and w.endswith("<&>")] == words
    assert [w for w in shown if w.startswith("long")] == [f"long{i}" for i in range(1500)]
    assert plains[0].startswith(hostile("title"))
    assert hostile("publisher") in plains[-1]


def test_one_block_over_the_limit_is_cut_on_words_and_stays_escaped() -> None:
    block = " ".join(["a<b"] * 2000)  # 7999 characters, no paragraph breaks
    messages = pack_messages([block.replace("<", "&lt;")], limit=100)
    plains = [_checked(m) for m in messages]
    assert all(len(p) <= 100 for p in plains)
    assert " ".join(plains).split() == ["a<b"] * 2000
    assert pack_messages([]) == ("…",)
    assert pack_messages(["x", "y"], limit=4) == ("x\n\ny",)
    assert pack_messages(["x", "y"], limit=3) == ("x", "y")


def test_splitting_at_the_limit_exactly() -> None:
    assert pack_messages(["aaaa bbbb cccc"], limit=9) == ("aaaa bbbb", "cccc")  # 9 fits 9
    assert pack_messages(["aaaa bbbb Xeno"], limit=9) == ("aaaa bbbb", "Xeno")
    assert pack_messages(["<b>aaaa</b> bbbb"], limit=9) == ("<b>aaaa</b> bbbb",)  # not cut
    assert pack_messages(["xxxxx", "yyyyy", "zz"], limit=9) == ("xxxxx", "yyyyy\n\nzz")
    assert pack_messages(["aaaa\nbbbb cccc dddd"], limit=9) == ("aaaa\nbbbb", "cccc dddd")


def test_a_cut_block_keeps_its_lines_and_drops_link_targets() -> None:
    assert pack_messages(["one two\nthree four five\nsix"], limit=12) == (
        "one two", "three four", "five\nsix")
    lines = "\n".join(f"line {i} " + "word " * 5 for i in range(60))
    pieces = pack_messages([lines], limit=200)
    assert all(ln.startswith("line") for p in pieces for ln in p.split("\n")[1:])
    assert sum(p.count("\n") for p in pieces) >= 59 - len(pieces)  # line breaks kept
    assert " ".join(pieces).split() == lines.split()
    assert all(len(p) > 200 - 30 for p in pieces[:-1])  # each piece filled, not word by word
    link = pack_messages(['<a href="https://e.org/u">site</a> ' + "w " * 12], limit=12)
    assert link == ("site w w w w", "w w w w w w", "w w")  # the text only: no "(https://…)"


def _two_sources(translations: tuple[tuple[str, Translation], ...] = ()) -> Brief:
    sources = (Source("First", "Pub one", "https://e.org/1", "2023-03"),
               Source("Second", "Pub two", "https://e.org/2", "2023-03-05"))
    return Brief("b", "Title", dt.date(2023, 2, 28), ("t",), ("k",), "Summary.",
                 "Para one\nwrapped.\n\nPara two.", sources, translations=translations)


def test_a_brief_in_english_whole() -> None:
    (message,) = render_brief(_two_sources())
    assert _checked(message) == (
        "Title\n28 Feb 2023\n\nSummary.\n\nPara one wrapped.\n\nPara two.\n\nSources\n"
        "• First — Pub one, Mar 2023\n• Second — Pub two, 5 Mar 2023")
    assert _checked(render_alert(_two_sources())) == "🆕 Title\n\nSummary.\n\nSource: Pub one"


def test_a_brief_in_its_translation_and_one_without() -> None:
    russian = Translation("Заголовок", "Кратко.", "Абзац.")
    (message,) = render_brief(_two_sources((("ru", russian),)), "ru")
    assert _checked(message) == (
        "Заголовок\n28 февраля 2023\u202fг.\n\nКратко.\n\nАбзац.\n\nИсточники\n"
        "• First — Pub one, март 2023\u202fг.\n• Second — Pub two, 5 марта 2023\u202fг.")
    assert _checked(render_alert(_two_sources((("ru", russian),)), "ru")) == \
        "🆕 Заголовок\n\nКратко.\n\nИсточник: Pub one"
    (kazakh,) = render_brief(_two_sources((("ru", russian),)), "kk")  # no Kazakh text
    note = html_to_text(untranslated_note("kk"))
    assert _checked(kazakh).startswith(f"{note}\n\nTitle\n")
    assert "Дереккөздер" in _checked(kazakh)
    alert = _checked(render_alert(_two_sources(), "kk"))
    assert alert.startswith(f"🆕 Title\n{note}\n\nSummary.")
