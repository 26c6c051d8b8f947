"""What every part of the store shares: its connections, and one way to write and to read
that names the database in every failure (bot/storage.py opens it)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from .dbfile import StoreError, classify

log = logging.getLogger("bot.storage")

ALARM_EVERY = 3600.0  # seconds between reports of the same persistent write failure


class StoreBase:
    """An open database's connections and its write and read primitives."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, secret: bytes,
                 identity: tuple[int, int] = (0, 0),
                 reader: aiosqlite.Connection | None = None) -> None:
        self.conn = conn
        self.reader = reader or conn  # reads never wait behind a write (WAL)
        self.path = path
        self._secret = secret
        self._identity = identity  # (device, inode) of the file opened
        self._lock = asyncio.Lock()
        self._read_lock = asyncio.Lock() if reader is not None else self._lock
        self.failing: str | None = None  # the persistent write failure, while it lasts
        self.on_failure: Callable[[str], None] | None = None  # told at most once an hour
        self._alarmed: float | None = None  # when on_failure was last told (monotonic)

    def _write_failed(self, exc: sqlite3.Error) -> StoreError:
        """The StoreError for a failed write; a persistent one (corrupt, disk full, read-only)
        is remembered and reported once through `on_failure` until a write works again."""
        busy, persistent = classify(exc)
        message = f"cannot write to database {self.path}: {exc}"
        if persistent:
            self.failing = message
            now = time.monotonic()
            if self._alarmed is None or now - self._alarmed >= ALARM_EVERY:
                self._alarmed = now  # a nearly full disk may let a small write through
                log.critical("%s (writes will keep failing until this is fixed)", message)
                if self.on_failure is not None:
                    self.on_failure(message)
        return StoreError(message, busy=busy, persistent=persistent)

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # a damaged file may refuse this too
            await self.conn.rollback()

    def _write_worked(self) -> None:
        if self.failing is not None:
            log.warning("database %s can be written again", self.path)
            self.failing = None

    async def _write(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement per row (executemany) in one transaction; returns rows changed."""
        return await self._write_params(sql, (), rows)

    async def _write_params(self, sql: str, params: Sequence[Any],
                            rows: Iterable[Sequence[Any]] | None = None) -> int:
        """Run one statement in its own transaction; returns rows changed."""
        async with self._lock:
            try:
                if rows is None:
                    cursor = await self.conn.execute(sql, params)
                else:
                    cursor = await self.conn.executemany(sql, rows)
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
            self._write_worked()
            return cursor.rowcount

    async def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one query; StoreError (naming the database) if it cannot be read, as callers
        expect of the store (the alert sender, a reader's language, a vote's question)."""
        async with self._read_lock:
            try:
                async with self.reader.execute(sql, params) as cursor:
                    return [tuple(r) for r in await cursor.fetchall()]
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read database {self.path}: {exc}") from None
