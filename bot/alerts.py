"""New-brief alerts: detect new briefs, fill the durable outbox, and send it at a steady pace.

Sending goes through an injected `send(delivery, brief) -> message_id` that raises the errors
below, so this module never imports Telegram.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from .briefs import Brief
from .config import (
    DEFAULT_ALERTS_PER_SECOND,
    MAX_ALERTS_PER_SECOND,
    OUTBOX_BATCH,
    OUTBOX_IDLE_SECONDS,
)
from .i18n import DEFAULT, _
from .library import Library
from .storage import Delivery, Store, StoreError

log = logging.getLogger(__name__)

HARD_WINDOW_MAX = MAX_ALERTS_PER_SECOND  # never more sends than this in any 1-second window
MAX_ATTEMPTS = 5
MAX_BACKOFF = 30.0
IN_FLIGHT = 8


class Blocked(Exception):
    """The chat blocked the bot or removed it: drop its subscriptions, never retry."""


class RetryLater(Exception):
    """Flood control: wait `seconds` before sending anything else."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Transient(Exception):
    """A network error or timeout: the send may or may not have happened; retry with backoff."""


class Permanent(Exception):
    """The message can never be delivered to this chat (e.g. chat not found)."""


Send = Callable[[Delivery, Brief], Awaitable[int | None]]
Clock = Callable[[], float]


async def detect_new(store: Store, library: Library) -> list[str]:
    """Queue alerts for briefs never announced before; the first start only records them."""
    ids = [b.id for b in library.briefs]
    if not await store.get_meta("briefs_seeded"):
        await store.record_known(ids)
        await store.set_meta("briefs_seeded", "1")
        return []
    known = await store.known_brief_ids()
    new = [b for b in library.briefs if b.id not in known]
    for brief in new:
        queued = await store.enqueue_alert(brief.id, brief.tags)
        log.info("new brief %s: %d alert(s) queued", brief.id, queued)
    return [b.id for b in new]


class Pacer:
    """Spaces send starts evenly at `rate`/s and never lets a 1-second window exceed 30."""

    def __init__(self, rate: float, clock: Clock = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.interval = 1.0 / min(rate, HARD_WINDOW_MAX)
        self.clock = clock
        self.sleep = sleep
        self.next_at = 0.0
        self.paused_until = 0.0
        self.recent: collections.deque[float] = collections.deque()

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (flood control)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    async def wait_turn(self) -> None:
        """Sleep until the next send may start, then claim that slot."""
        while True:
            now = self.clock()
            while self.recent and now - self.recent[0] >= 1.0:
                self.recent.popleft()
            start = max(self.next_at, self.paused_until)
            if len(self.recent) >= HARD_WINDOW_MAX:
                start = max(start, self.recent[0] + 1.0)
            if start <= now:
                self.recent.append(now)
                self.next_at = now + self.interval
                return
            await self.sleep(start - now)


class AlertSender:
    """Works through the outbox: paced, resumable, honest about failures."""

    def __init__(self, store: Store, send: Send, library: Callable[[], Library],
                 rate: float = DEFAULT_ALERTS_PER_SECOND, pacer: Pacer | None = None) -> None:
        self.store = store
        self.send = send
        self.library = library
        self.pacer = pacer or Pacer(rate)
        self.wake = asyncio.Event()
        self.backoff = 0.0
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._inflight: dict[asyncio.Task[None], tuple[str, int]] = {}
        self._slots = asyncio.Semaphore(IN_FLIGHT)

    def start(self) -> None:
        """Start the background sender (resumes whatever is undelivered)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="alerts")

    def poke(self) -> None:
        """New rows are in the outbox: look now."""
        self.wake.set()

    async def close(self) -> None:
        """Stop taking rows, let sends in flight finish and be recorded."""
        self._stopping = True
        self.wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                rows = await self.store.due_deliveries(limit=OUTBOX_BATCH)
            except StoreError as exc:
                log.error("alert outbox unreadable: %s", exc)
                rows = []
            busy = set(self._inflight.values())
            rows = [r for r in rows if (r.brief_id, r.chat_id) not in busy]
            if not rows:
                self.wake.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=OUTBOX_IDLE_SECONDS)
                continue
            for row in rows:
                if self._stopping:
                    break
                await self._slots.acquire()
                if self.backoff:
                    await asyncio.sleep(self.backoff)
                await self.pacer.wait_turn()
                if self._stopping:
                    self._slots.release()
                    break
                task = asyncio.get_running_loop().create_task(self._deliver(row))
                self._inflight[task] = (row.brief_id, row.chat_id)
                task.add_done_callback(self._done)
            if self._inflight:
                await asyncio.wait(list(self._inflight))

    def _done(self, task: asyncio.Task[None]) -> None:
        brief_id, chat_id = self._inflight.pop(task)  # every task is added before it runs
        self._slots.release()
        if not task.cancelled() and (exc := task.exception()) is not None:
            # the database refused the record: the row stays due and is sent again later
            log.error("alert %s to chat %s not recorded: %s", brief_id, chat_id, exc)

    async def _deliver(self, row: Delivery) -> None:
        brief = self.library().get(row.brief_id)
        if brief is None:
            await self.store.mark_delivery(row.brief_id, row.chat_id, "failed",
                                           "brief no longer published")
            return
        await self.store.mark_delivery(row.brief_id, row.chat_id, "sending")
        try:
            message_id = await self.send(row, brief)
        except Blocked as exc:
            await self.store.mark_delivery(row.brief_id, row.chat_id, "blocked", str(exc))
            await self.store.drop_chat(row.chat_id)
            log.info("chat %s blocked the bot; subscriptions dropped", row.chat_id)
        except RetryLater as exc:
            self.pacer.pause(exc.seconds)
            await self.store.mark_delivery(row.brief_id, row.chat_id, "pending", str(exc))
        except Transient as exc:
            state = "failed" if row.attempts + 1 >= MAX_ATTEMPTS else "pending"
            self.backoff = min(max(self.backoff * 2, 0.5), MAX_BACKOFF)
            await self.store.mark_delivery(row.brief_id, row.chat_id, state, str(exc))
        except Permanent as exc:
            await self.store.mark_delivery(row.brief_id, row.chat_id, "failed", str(exc))
            await self.store.drop_chat(row.chat_id)
        except Exception as exc:  # a bug must not stop the outbox
            log.exception("alert to %s failed", row.chat_id)
            await self.store.mark_delivery(row.brief_id, row.chat_id, "failed", repr(exc))
        else:
            self.backoff = 0.0
            await self.store.mark_delivery(row.brief_id, row.chat_id, "sent",
                                           message_id=message_id)


def subscriptions_text(tags: Sequence[str], lang: str = DEFAULT) -> str:
    """The user's subscriptions in plain words."""
    if not tags:
        return _(lang, "You have no subscriptions. Send /subscribe to get each new brief once.")
    parts = [_(lang, "every new brief") if t == "" else
             _(lang, "briefs tagged {tag}").format(tag=t) for t in tags]
    # TRANSLATORS: {subscriptions}: "every new brief", "briefs tagged {tag}", comma-separated.
    return _(lang, "You are subscribed to {subscriptions}.").format(
        subscriptions=", ".join(parts))
