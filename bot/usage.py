"""Usage logging off the reply path: handlers enqueue, one background task writes in batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

from .storage import CommandRecord, PickRecord, QuestionRecord, Store, StoreError, VoteRecord

Record = QuestionRecord | CommandRecord | VoteRecord | PickRecord

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000
KEYS = 10_000  # users whose pseudonymous key is remembered (one HMAC a user, not a record)
BATCH = 500
PURGE_EVERY = 3600.0  # seconds between retention purges
LINGER = 0.25  # seconds to gather a batch after the first record: fewer, larger transactions
BUSY_PATIENCE = 60.0  # seconds a batch waits for a database another process keeps locked
FAILED_ATTEMPTS = 3  # tries of a batch that fails otherwise (then it is counted as dropped)


class UsageLog:
    """Bounded queue + batched writer. `record_*` never waits; `close()` drains everything."""

    def __init__(self, store: Store, retention_days: int, queue_size: int = QUEUE_SIZE) -> None:
        self.store = store
        self.retention_days = retention_days
        self.queue_size = queue_size
        self.queue: deque[Record] = deque()
        self._forgotten: set[str] = set()  # user keys /forget removed while a batch was out
        self._gave_up = False  # stopping, and the database stayed busy: drop the rest
        self.dropped = 0  # records refused because the queue was full (not yet persisted)
        self.dropped_total = 0
        self.written = 0
        self._task: asyncio.Task[None] | None = None
        self._last_purge: float | None = None
        self._busy = False
        self._closing = False
        self._has_items = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._keys: dict[int, str] = {}

    def user_key(self, user_id: int) -> str:
        """The store's pseudonymous key for a user, worked out once while it is remembered."""
        key = self._keys.get(user_id)
        if key is None:
            if len(self._keys) >= KEYS:
                self._keys.clear()
            key = self._keys[user_id] = self.store.user_key(user_id)
        return key

    def start(self) -> None:
        """Start the background writer on the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="usage-writer")

    def _put(self, record: Record) -> None:
        if len(self.queue) < self.queue_size:
            self.queue.append(record)
            self._has_items.set()
        else:
            self.dropped += 1
            self.dropped_total += 1
            if self.dropped_total == 1 or self.dropped_total % 1000 == 0:
                log.warning("usage log queue full: %d record(s) dropped so far",
                            self.dropped_total)

    def record_question(self, *, user_id: int, chat_type: str, kind: str, text: str,
                        outcome: str, brief_id: str | None, score: float | None,
                        elapsed_ms: float | None, ask: str | None = None,
                        offered: tuple[str, ...] = ()) -> None:
        """Queue one question record (pseudonymized here; the raw id is never stored)."""
        self._put(QuestionRecord(time.time(), self.user_key(user_id), str(chat_type), kind,
                                 text[:4096], outcome, brief_id, score, elapsed_ms, ask,
                                 ",".join(offered)))

    def record_vote(self, user_id: int, ask: str, vote: str) -> None:
        """Queue a 👍 / 👎 on an answer."""
        self._put(VoteRecord(time.time(), self.user_key(user_id), ask, vote))

    def record_pick(self, user_id: int, ask: str, brief_id: str, via: str) -> None:
        """Queue a brief chosen from a did-you-mean or after a 👎 (or "none of these")."""
        self._put(PickRecord(time.time(), self.user_key(user_id), ask, brief_id, via))

    def record_command(self, user_id: int, chat_type: str, command: str) -> None:
        """Queue one command record."""
        self._put(CommandRecord(time.time(), self.user_key(user_id), str(chat_type),
                                command))

    def forget(self, user_id: int) -> None:
        """Drop a user's records still queued, and keep them out of a batch being written
        (for /forget, without waiting for the database)."""
        key = self.store.user_key(user_id)
        self.queue = deque(r for r in self.queue if r.user_key != key)
        if self._flush_lock.locked():
            self._forgotten.add(key)

    def queued_question(self, ask: str) -> QuestionRecord | None:
        """The question record with this answer id, if it is still queued (not yet written)."""
        return next((r for r in reversed(self.queue)
                     if isinstance(r, QuestionRecord) and r.ask == ask), None)

    def _take_batch(self) -> tuple[list[QuestionRecord], list[CommandRecord],
                                   list[VoteRecord | PickRecord]]:
        items = [self.queue.popleft() for _ in range(min(BATCH, len(self.queue)))]
        questions = [r for r in items if isinstance(r, QuestionRecord)]
        commands = [r for r in items if isinstance(r, CommandRecord)]
        feedback = [r for r in items if isinstance(r, VoteRecord | PickRecord)]
        return questions, commands, feedback

    async def _flush(self) -> None:
        """Write one batch from the queue (records leave the queue only here, under a lock)."""
        async with self._flush_lock:
            questions, commands, feedback = self._take_batch()
            if not self.queue:
                self._has_items.clear()
            dropped, self.dropped = self.dropped, 0
            if not questions and not commands and not feedback and not dropped:
                return
            patience = time.monotonic() + BUSY_PATIENCE
            attempt = 0
            while not self._gave_up:
                if self._forgotten:  # /forget came while this batch was out of the queue
                    gone = self._forgotten
                    questions = [r for r in questions if r.user_key not in gone]
                    commands = [r for r in commands if r.user_key not in gone]
                    feedback = [r for r in feedback if r.user_key not in gone]
                try:
                    await self.store.insert_usage(questions, commands, dropped, feedback)
                    self.written += len(questions) + len(commands) + len(feedback)
                    self._forgotten.clear()
                    return
                except StoreError as exc:
                    attempt += 1
                    if exc.busy and self._closing:  # stopping: no minutes of waiting
                        log.error("the database stayed busy while stopping: %s; the usage "
                                  "records still queued are not written", exc)
                        self._gave_up = True
                        break
                    elif exc.busy and time.monotonic() < patience:
                        if attempt == 1:
                            log.warning("database busy (%s); usage records wait", exc)
                    elif attempt >= FAILED_ATTEMPTS or exc.persistent:
                        log.error("usage log write failed: %s; %d record(s) dropped", exc,
                                  len(questions) + len(commands) + len(feedback))
                        break
                    else:
                        log.error("usage log write failed (attempt %d): %s", attempt, exc)
                    await asyncio.sleep(min(0.5 * attempt, 5.0))
            self.dropped += dropped + len(questions) + len(commands) + len(feedback)
            self._forgotten.clear()

    async def _maybe_purge(self) -> None:
        now = time.monotonic()
        if self._last_purge is None or now - self._last_purge >= PURGE_EVERY:
            self._last_purge = now
            try:
                removed = await self.store.purge_older_than(self.retention_days)
                if removed:
                    log.info("purged %d usage record(s) older than %d days", removed,
                             self.retention_days)
            except StoreError as exc:
                log.error("retention purge failed: %s", exc)

    async def _run(self) -> None:
        await self._maybe_purge()
        while not self._closing:
            await self._has_items.wait()  # close() may cancel us here or in the linger:
            if len(self.queue) < BATCH:  # records stay queued until _flush takes them
                await asyncio.sleep(LINGER)
            self._busy = True
            try:
                while self.queue:
                    await self._flush()
                await self._maybe_purge()
            finally:
                self._busy = False

    async def drain(self) -> None:
        """Write everything queued so far, including a batch the writer is writing now."""
        while self.queue:
            await self._flush()
        await self._flush()  # waits for an in-progress batch; persists the dropped count

    async def close(self) -> None:
        """Stop the writer and drain the queue: every accepted record reaches the database."""
        self._closing = True
        if self._task is not None:
            if not self._busy:
                self._task.cancel()  # idle, waiting for records: nothing in hand to lose
            with contextlib.suppress(asyncio.CancelledError):
                await self._task  # or let the batch in hand finish writing
            self._task = None
        await self.drain()
