"""What depends only on the library and the language is built once per library snapshot:
the same answers as building it each time, and a new snapshot never shows the old one's."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot import replies
from bot.briefs import Brief, Source
from bot.library import Library
from bot.render import Button

BRIEF = Brief(
    id="b0", title="Brief 0", date=dt.date(2023, 2, 1), tags=("economy",), keywords=("k",),
    summary="Summary.", body="Body.", sources=(Source("An article", "Pub", "https://x.org/a",
                                                      "2023-03"),),
)


def library(n: int, title: str = "Brief") -> Library:
    return Library(tuple(dataclasses.replace(BRIEF, id=f"b{i}", title=f"{title} {i}",
                                             related=(f"b{(i + 1) % n}",),
                                             date=dt.date(2023, 1, 1) + dt.timedelta(days=i))
                         for i in range(n)))


def titles(rows: tuple[tuple[Button, ...], ...]) -> list[str]:
    return [b.text for row in rows for b in row]


def test_topic_pages_past_either_end_are_the_first_and_last() -> None:
    lib = library(20)  # 3 pages of 8
    assert replies.topic_buttons(lib, 10**9) == replies.topic_buttons(lib, 2)
    assert replies.topic_buttons(lib, -5) == replies.topic_buttons(lib, 0)
    assert titles(replies.topic_buttons(lib, 2))[:4] == ["Brief 3", "Brief 2", "Brief 1",
                                                         "Brief 0"]
    assert replies.topic_buttons(lib, 1, "ru") != replies.topic_buttons(lib, 1, "en")


def test_a_new_snapshot_builds_its_own_buttons_and_scope() -> None:
    old, new = library(3), library(4, "Renamed")
    for lib in (old, new, old):  # built, reused, and never mixed between snapshots
        brief = lib.briefs[0]
        assert titles(replies.brief_reply(lib, brief).buttons) == [lib.briefs[1].title]
        assert titles(replies.overview(lib).buttons)[0] == lib.newest_first[0].title
        assert f"{len(lib.briefs)} briefs" in replies.scope_text(lib)
    assert replies.brief_reply(old, old.briefs[0]) == replies.brief_reply(old, old.briefs[0])
