"""New-brief alerts: detect new briefs, fill the durable outbox, and send it at a steady pace.

Sending goes through an injected `send(delivery, brief) -> message_id` that raises the errors
below, so this module never imports Telegram.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import hashlib
import importlib.metadata
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
from .outcomes import (
    ChatGone,
    ChatMoved,
    ChatUnavailable,
    MessageRejected,
    NotDelivered,
    OutcomeUnknown,
    RetryLater,
)
from .storage import Delivery, Store, StoreError

log = logging.getLogger(__name__)

HARD_WINDOW_MAX = MAX_ALERTS_PER_SECOND  # never more sends than this in any 1-second window
MAX_BACKOFF = 30.0
IN_FLIGHT = 8
CLOSE_GRACE = 2.0  # seconds close() lets sends in flight finish; later ones count as unknown

Send = Callable[[Delivery, Brief], Awaitable[int | None]]
Notify = Callable[[str], Awaitable[None]]
Clock = Callable[[], float]


async def _nobody(text: str) -> None:
    """No admins to tell (every outcome is logged anyway)."""


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


class Announcer:
    """Queues alerts for new briefs, and keeps trying while the database refuses (locked,
    disk full): a brief is announced as soon as writing works again, with no restart."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.due = False  # an attempt failed: try again at the next chance

    async def announce(self, library: Library) -> bool:
        """Queue alerts for briefs not announced yet; True when any were queued. A database
        failure is logged and retried at the next call (see `due`)."""
        try:
            new = await detect_new(self.store, library)
        except StoreError as exc:
            if not self.due:
                log.error("could not queue alerts for new briefs (tried again at each "
                          "reload until the database takes it): %s", exc)
            self.due = True
            return False
        if self.due:
            log.info("the database works again: alerts for new briefs queued")
        self.due = False
        return bool(new)


class Pacer:
    """Spaces send starts evenly at `rate`/s and never lets a 1-second window exceed 30."""

    def __init__(self, rate: float, clock: Clock = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 stopped: Callable[[], bool] = lambda: False) -> None:
        self.interval = 1.0 / min(rate, HARD_WINDOW_MAX)
        self.clock = clock
        self.sleep = sleep
        self.stopped = stopped  # true: give up waiting (the caller checks it too)
        self.next_at = 0.0
        self.paused_until = 0.0
        self.recent: collections.deque[float] = collections.deque()

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` (flood control)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    async def wait_turn(self) -> None:
        """Sleep until the next send may start, then claim that slot (or return at once,
        unclaimed, when `stopped()`)."""
        while not self.stopped():
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


def brief_version(brief: Brief) -> str:
    """What identifies the message of a brief's alert across restarts: the brief file's
    digest (or, for a brief built in memory, a digest of its fields) and briefbot's own
    version, whose rendering may be what Telegram refused."""
    digest = brief.digest or hashlib.sha256(repr(brief).encode()).hexdigest()[:16]
    return f"{digest}:{_briefbot_version()}"


@functools.cache
def _briefbot_version() -> str:
    try:
        return importlib.metadata.version("briefbot")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout, not installed
        return ""


class AlertSender:
    """Works through the outbox: paced, resumable, at most once, honest about failures."""

    def __init__(self, store: Store, send: Send, library: Callable[[], Library],
                 rate: float = DEFAULT_ALERTS_PER_SECOND, pacer: Pacer | None = None,
                 notify: Notify = _nobody) -> None:
        self.store = store
        self.send = send
        self.library = library
        self.notify = notify
        self._stop = asyncio.Event()  # set by close(): ends every wait at once
        self.pacer = pacer or Pacer(rate, sleep=self._sleep, stopped=lambda: self._stopping)
        self.wake = asyncio.Event()
        self.recovered = asyncio.Event()  # set once the outbox left by the last run is read
        self.backoff = 0.0
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._inflight: dict[asyncio.Task[None], tuple[str, int]] = {}
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._held: dict[str, Brief] = {}  # brief id -> the version Telegram refused
        self._told: set[tuple[str, str]] = set()  # (brief, reason) the admins were told of

    def start(self) -> None:
        """Start the background sender (resumes whatever is undelivered)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="alerts")

    def poke(self) -> None:
        """New rows are in the outbox: look now."""
        self.wake.set()

    async def release_changed(self, library: Library) -> None:
        """Alerts held because Telegram refused a brief's message go out again once that
        brief changed (or was withdrawn: then they are failed)."""
        for brief_id, refused in list(self._held.items()):
            if library.get(brief_id) == refused:
                continue
            try:
                released = await self.store.release_held(brief_id)
            except StoreError as exc:
                log.error("held alerts of %s not released: %s", brief_id, exc)
                continue
            del self._held[brief_id]
            self._told = {(b, r) for b, r in self._told if b != brief_id}
            log.info("brief %s changed: %d held alert(s) due again", brief_id, released)
            self.poke()

    async def close(self) -> None:
        """Stop taking rows and end every wait at once; sends in flight get CLOSE_GRACE
        seconds to finish and be recorded, later ones are counted as unknown."""
        self._stopping = True
        self._stop.set()
        self.wake.set()
        if self._task is not None:  # it ends once the sends it waits for are done
            done, _ = await asyncio.wait([self._task], timeout=CLOSE_GRACE)
            if not done:
                self._cancel_inflight()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._inflight:  # the sender's task was cancelled from outside
            _, late = await asyncio.wait(list(self._inflight), timeout=CLOSE_GRACE)
            self._cancel_inflight()
            await asyncio.gather(*late, return_exceptions=True)

    def _cancel_inflight(self) -> None:
        """Give up waiting for the sends in flight: each is recorded as unknown."""
        for task in list(self._inflight):
            task.cancel()

    async def _sleep(self, seconds: float) -> None:
        """Wait, unless close() comes first."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)

    async def _recover(self) -> bool:
        """At start: rows a dead process left mid-send are unknown (not sent again); held
        rows get one more try if their brief changed while the bot was down, and stay held
        (the admins not told again) while it is the version Telegram refused. False when the
        database refused (tried again before each read of the outbox)."""
        try:
            settled = await self.store.settle_interrupted()
            released, kept = 0, []
            held = await self.store.held_versions()
            library = self.library()
            for brief_id, version in held.items():
                brief = library.get(brief_id)
                if brief is not None and version and version == brief_version(brief):
                    kept.append(brief_id)  # the version Telegram refused: still refused
                    self._held[brief_id] = brief
                    self._told.add((brief_id, "held"))  # the admins were told when it was
                    continue
                released += await self.store.release_held(brief_id)
        except StoreError as exc:
            log.error("alert outbox not recovered: %s", exc)
            return False
        if settled:
            log.warning("%d alert(s) were being sent when the bot stopped; they may have "
                        "arrived, so they are not sent again (counted as unknown)", settled)
        if released:
            log.info("%d held alert(s) tried again: their brief changed while the bot was "
                     "down", released)
        if kept:
            log.info("alerts of %s still held: the brief is the version Telegram refused",
                     ", ".join(sorted(kept)))
            await self.release_changed(self.library())  # a reload while this ran
        return True

    async def _run(self) -> None:
        recovered = False
        while not self._stopping:
            recovered = recovered or await self._recover()
            if recovered:
                self.recovered.set()
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
                    await self._sleep(self.backoff)
                if not self._stopping:
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
            # the database refused the record: a claimed row stays 'sending' (never sent
            # again; counted as unknown at the next start), an unclaimed one stays due and is
            # tried again after a backoff (a full disk must not spin the outbox)
            self.backoff = min(max(self.backoff * 2, 0.5), MAX_BACKOFF)
            log.error("alert %s to chat %s not recorded: %s", brief_id, chat_id, exc)

    async def _deliver(self, row: Delivery) -> None:
        brief = self.library().get(row.brief_id)
        if brief is None:
            await self.store.mark_delivery(row.brief_id, row.chat_id, "failed",
                                           "brief no longer published")
            return
        # checked again just before the send: /unsubscribe or /forget since it was queued
        if await self.store.claim_delivery(row.brief_id, row.chat_id, brief.tags) != "claimed":
            return
        try:
            message_id = await self.send(row, brief)
        except asyncio.CancelledError:  # close() gave up waiting: it may have arrived
            await self.store.mark_delivery(row.brief_id, row.chat_id, "unknown",
                                           "shut down while sending")
            raise
        except Exception as exc:
            await self._failed(row, brief, exc)
        else:
            self.backoff = 0.0
            await self.store.mark_delivery(row.brief_id, row.chat_id, "sent",
                                           message_id=message_id)

    async def _failed(self, row: Delivery, brief: Brief, exc: Exception) -> None:
        """Record a send that did not deliver, as its outcome says (see bot/outcomes.py)."""
        store, bid, chat = self.store, row.brief_id, row.chat_id
        if isinstance(exc, RetryLater):
            paused = self.pacer.paused_until > self.pacer.clock()
            self.pacer.pause(exc.seconds)
            if not paused:  # one line per pause, not one per send it holds
                log.warning("flood control: alerts paused for %g s (Telegram's 429 on an "
                            "alert to chat %s); they stay due", exc.seconds, chat)
            await store.mark_delivery(bid, chat, "pending", str(exc))
        elif isinstance(exc, NotDelivered):
            self.backoff = min(max(self.backoff * 2, 0.5), MAX_BACKOFF)
            log.warning("alert %s to chat %s did not reach Telegram (%s); retried in %.1f s",
                        bid, chat, exc, self.backoff)
            await store.mark_delivery(bid, chat, "pending", str(exc))
        elif isinstance(exc, OutcomeUnknown):
            log.warning("alert %s to chat %s may or may not have arrived (%s); not sent "
                        "again", bid, chat, exc)
            await store.mark_delivery(bid, chat, "unknown", str(exc))
        elif isinstance(exc, ChatGone):
            await store.mark_delivery(bid, chat, "blocked", str(exc))
            await store.drop_chat(chat)
            log.info("chat %s blocked the bot or is gone (%s); subscriptions dropped", chat,
                     exc)
        elif isinstance(exc, ChatMoved):
            await store.migrate_chat(chat, exc.new_chat_id)
            log.info("chat %s became %s; its subscriptions and alerts moved there", chat,
                     exc.new_chat_id)
            self.poke()
        elif isinstance(exc, MessageRejected):
            held = await store.hold_brief(bid, chat, str(exc), brief_version(brief))
            first = bid not in self._held
            self._held[bid] = brief
            if first:
                log.error("Telegram refused the alert for brief %s (%s); held for %d chat(s)",
                          bid, exc, held)
                await self._tell(bid, "held", f"Telegram refused the alert for brief {bid}: "
                                 f"{exc}. It is held for every subscriber (nobody was "
                                 "unsubscribed) and goes out when the brief file is fixed.")
        elif isinstance(exc, ChatUnavailable):
            await store.mark_delivery(bid, chat, "skipped", str(exc))
            log.warning("alert %s skipped for chat %s (%s); subscription kept", bid, chat, exc)
            await self._tell(bid, str(exc), f"The alert for brief {bid} could not be posted "
                             f"in chat {chat}: {exc}. The chat stays subscribed; this alert "
                             "is skipped there (other chats with the same answer for this "
                             "brief are logged only).")
        else:  # a bug must not stop the outbox; the send may have happened: never repeated
            log.error("alert to %s failed", chat, exc_info=exc)
            await store.mark_delivery(bid, chat, "failed", repr(exc))

    async def _tell(self, brief_id: str, reason: str, text: str) -> None:
        """Tell the admins, once per brief and reason; a failure to reach them is logged."""
        if (brief_id, reason) in self._told:
            return
        self._told.add((brief_id, reason))
        try:
            await self.notify(text)
        except Exception as exc:
            log.warning("could not tell the admins about brief %s: %s", brief_id, exc)


def subscriptions_text(tags: Sequence[str], lang: str = DEFAULT) -> str:
    """The user's subscriptions in plain words."""
    if not tags:
        return _(lang, "You have no subscriptions. Send /subscribe to get each new brief once.")
    parts = [_(lang, "every new brief") if t == "" else
             _(lang, "briefs tagged {tag}").format(tag=t) for t in tags]
    # TRANSLATORS: {subscriptions}: "every new brief", "briefs tagged {tag}", comma-separated.
    return _(lang, "You are subscribed to {subscriptions}.").format(
        subscriptions=", ".join(parts))
