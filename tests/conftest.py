"""Shared fixtures: a temporary briefs folder, an open store, helpers to write brief files.

Code tests run on the frozen fixture library (tests/fixtures/briefs and tests/fixtures/seeds),
never on the live `briefs/` and `seeds/` an editor changes: only the content checks
(tests/test_content*.py) read those, and only for what `briefbot validate` asks of an editor.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import pytest

from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_BRIEFS = FIXTURES / "briefs"  # a frozen copy of the briefs shipped on 2026-12-06
FIXTURE_SEEDS = FIXTURES / "seeds"
LIVE_BRIEFS = ROOT / "briefs"  # the editors' content: read by the content checks only
LIVE_SEEDS = ROOT / "seeds"


def brief_yaml(brief_id: str, *, title: str = "", keywords: str = "[alpha, beta]",
               tags: str = "[test]", related: str = "[]", summary: str = "A summary.",
               words: int = 90, date: str = "2023-02-28") -> str:
    """A valid brief file's text (tweak the fields a test cares about)."""
    body = " ".join(["word"] * words)
    return textwrap.dedent(f"""\
        id: {brief_id}
        title: {title or 'Brief ' + brief_id}
        date: {date}
        tags: {tags}
        keywords: {keywords}
        summary: {summary}
        body: {body}
        sources:
          - title: An article
            publisher: A publisher
            url: https://example.org/{brief_id}
            published: 2023-03-01
        related: {related}
        """)


def seed_yaml(brief_id: str, date: str = "2023-02-28") -> str:
    """A seed record that vouches for `brief_yaml(brief_id)`: its source, title and date."""
    return textwrap.dedent(f"""\
        id: {brief_id}
        title: An article
        publisher: A publisher
        url: https://example.org/{brief_id}
        published: 2023-03-01
        facts:
          - Something happened on {date}.
        """)


def write_seeds(briefs_folder: Path, *brief_ids: str) -> Path:
    """The seeds/ folder beside a briefs folder, with a record for each of these briefs."""
    seeds = briefs_folder.parent / "seeds"
    seeds.mkdir(exist_ok=True)
    for brief_id in brief_ids:
        (seeds / f"{brief_id}.yaml").write_text(seed_yaml(brief_id), encoding="utf-8")
    return seeds


@pytest.fixture
def briefs_dir(tmp_path: Path) -> Path:
    """A temporary copy of the fixture library's briefs (with its seed records beside it)."""
    folder = tmp_path / "briefs"
    shutil.copytree(FIXTURE_BRIEFS, folder)
    shutil.copytree(FIXTURE_SEEDS, tmp_path / "seeds")
    return folder


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """An open database in the test's folder, closed after the test (an open one keeps pytest
    alive)."""
    opened = await Store.open(tmp_path / "bot.db")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def empty_briefs_dir(tmp_path: Path) -> Path:
    """An empty temporary briefs folder."""
    folder = tmp_path / "briefs"
    folder.mkdir()
    return folder


# --- Telegram end-to-end helpers -------------------------------------------------------------
import asyncio  # noqa: E402
from collections.abc import Awaitable, Callable, Iterator  # noqa: E402
from contextlib import asynccontextmanager  # noqa: E402

from tests.fake_api import TOKEN, FakeBotAPI  # noqa: E402


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    """The Bot API stand-in, serving on 127.0.0.1 for one test."""
    api = FakeBotAPI().start()
    yield api
    api.stop()


@pytest.fixture
def bot_env(tmp_path: Path, briefs_dir: Path, fake_api: FakeBotAPI) -> dict[str, str]:
    """Environment for a bot that talks to the stand-in."""
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "BRIEFBOT_BRIEFS_DIR": str(briefs_dir),
        "BRIEFBOT_DB": str(tmp_path / "bot.db"),
        "BRIEFBOT_ADMIN_IDS": "4242",
        "BRIEFBOT_RELOAD_SECONDS": "0.2",
    }


async def eventually(predicate: Callable[[], bool], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Await until predicate() holds, yielding to the bot meanwhile; fail after timeout (a
    deadline for a broken bot, never a pace a working one must keep on a loaded machine)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def eventually_async(predicate: Callable[[], Awaitable[bool]],
                           timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """As `eventually`, for a condition that must be awaited (a database read)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running_bot(env: dict[str, str], tmp_path: Path) -> AsyncIterator[object]:
    """Run the real Application against the stand-in, as run_polling would, then stop it.

    Everything started is stopped whatever happens inside the block (a failed assertion, an
    error in start-up): a database thread left running would keep pytest from exiting.
    """
    from bot.config import settings_from_env
    from bot.telegram.app import build_application, initial_state

    settings = settings_from_env(env, tmp_path)
    app = build_application(settings, initial_state(settings))
    try:
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            try:
                if app.updater is None:
                    raise RuntimeError("the application has no updater")
                await app.updater.start_polling(timeout=1, poll_interval=0)
                yield app
            finally:
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:  # as PTB's run_polling: post_stop, shutdown, post_shutdown (each idempotent)
        if app.post_stop is not None:
            await app.post_stop(app)  # again, for a start-up that failed half-way
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def refused() -> Exception:
    """aiohttp's error for a connection the server refused (nothing was sent)."""
    key = SimpleNamespace(host="127.0.0.1", port=9, ssl=False)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))  # type: ignore[arg-type]
