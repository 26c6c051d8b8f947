"""Typed bot_data: the objects every handler shares, and the context type that carries them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

from ..config import DEFAULT_LOG_RETENTION_DAYS, Settings
from ..language import ReaderLanguages
from ..library import Library

if TYPE_CHECKING:
    import asyncio

    from ..alerts import AlertSender, Announcer
    from ..reload import BriefWatcher
    from ..storage import Store
    from ..usage import UsageLog


RECENT = 10_000  # answers whose runners-up are remembered in memory (else read back)


class RecentAnswers:
    """The briefs each recent answer could have been instead (its runners-up), so a 👎 can
    offer them without a database read; bounded, oldest forgotten first."""

    def __init__(self, size: int = RECENT) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def remember(self, ask: str, offered: tuple[str, ...]) -> None:
        """Keep an answer's runners-up."""
        self._items[ask] = offered
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, ask: str) -> tuple[str, ...] | None:
        """The runners-up of a recent answer, if remembered."""
        return self._items.get(ask)


@dataclass
class BotState:
    """Shared state, kept in `application.bot_data` (built by PTB with no arguments)."""

    settings: Settings | None = None
    library: Library = field(default_factory=lambda: Library(()))
    store: Store | None = None
    usage: UsageLog | None = None
    alerts: AlertSender | None = None
    announcer: Announcer | None = None
    database_lock: int | None = None  # the lock file's descriptor: one process per database
    tickers: list[asyncio.Task[None]] = field(default_factory=list)  # reload, database watch
    watcher: BriefWatcher | None = None
    broken_files: set[str] = field(default_factory=set)  # problems last seen (already told)
    database_alarm: bool = False  # the database file was replaced, or could not be restored
    recent: RecentAnswers = field(default_factory=RecentAnswers)  # for 👎 follow-ups
    readers: ReaderLanguages = field(default_factory=ReaderLanguages)  # languages, by user
    stopping: threading.Event = field(default_factory=threading.Event)  # set at shutdown

    @property
    def retention_days(self) -> int:
        """Days questions are kept (for /help)."""
        return (self.settings.log_retention_days if self.settings
                else DEFAULT_LOG_RETENTION_DAYS)

    def is_admin(self, user_id: int | None) -> bool:
        """True for users listed in BRIEFBOT_ADMIN_IDS."""
        return bool(self.settings and user_id is not None and user_id in self.settings.admin_ids)


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]
