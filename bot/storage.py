"""The store: opening the database (schema, migrations, the pseudonymization key), the usage
log, languages and meta values. With bot/store_base.py (its connections and primitives) and
bot/outbox_store.py (subscriptions and the alert outbox), the only code that talks to SQLite."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import aiosqlite

from .config import SECONDS_PER_DAY
from .dbfile import StoreError, file_identity, move_into_place, probe
from .outbox_store import FINISHED, Delivery, OutboxStore
from .usage_records import CommandRecord, PickRecord, QuestionRecord, VoteRecord
from .userkey import KeyFileError, key_check, key_file, read_or_create_key

log = logging.getLogger(__name__)

# Each entry upgrades the schema by one version; PRAGMA user_version says which ran.
MIGRATIONS: tuple[str, ...] = (
    # 1: usage log
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY, at REAL NOT NULL, user_key TEXT NOT NULL,
        chat_type TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
        outcome TEXT NOT NULL, brief_id TEXT, score REAL, elapsed_ms REAL);
    CREATE INDEX questions_at ON questions(at);
    CREATE INDEX questions_user ON questions(user_key);
    CREATE TABLE commands (
        id INTEGER PRIMARY KEY, at REAL NOT NULL, user_key TEXT NOT NULL,
        chat_type TEXT NOT NULL, command TEXT NOT NULL);
    CREATE INDEX commands_user ON commands(user_key);
    """,
    # 2: subscriptions, announced briefs and the alert outbox
    """
    CREATE TABLE subscriptions (
        chat_id INTEGER NOT NULL, tag TEXT NOT NULL DEFAULT '', thread_id INTEGER,
        created_at REAL NOT NULL, PRIMARY KEY (chat_id, tag));
    CREATE TABLE known_briefs (brief_id TEXT PRIMARY KEY, first_seen REAL NOT NULL);
    CREATE TABLE deliveries (
        brief_id TEXT NOT NULL, chat_id INTEGER NOT NULL, thread_id INTEGER,
        state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT, message_id INTEGER, updated_at REAL NOT NULL,
        PRIMARY KEY (brief_id, chat_id));
    CREATE INDEX deliveries_state ON deliveries(state);
    """,
    # 3: finished deliveries keep no chat id, only a count per brief and outcome
    """
    CREATE TABLE alert_results (
        brief_id TEXT NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (brief_id, state));
    INSERT INTO alert_results (brief_id, state, count)
        SELECT brief_id, state, COUNT(*) FROM deliveries
        WHERE state NOT IN ('pending', 'sending') GROUP BY brief_id, state;
    DELETE FROM deliveries WHERE state NOT IN ('pending', 'sending');
    """,
    # 4: the editors' loop: each answer's id and the briefs it offered; votes; picks
    """
    ALTER TABLE questions ADD COLUMN ask TEXT;
    ALTER TABLE questions ADD COLUMN offered TEXT NOT NULL DEFAULT '';
    CREATE INDEX questions_ask ON questions(ask);
    CREATE TABLE votes (
        ask TEXT NOT NULL, user_key TEXT NOT NULL, at REAL NOT NULL, vote TEXT NOT NULL,
        PRIMARY KEY (ask, user_key));
    CREATE INDEX votes_user ON votes(user_key);
    CREATE TABLE picks (
        id INTEGER PRIMARY KEY, ask TEXT NOT NULL, user_key TEXT NOT NULL, at REAL NOT NULL,
        brief_id TEXT NOT NULL, via TEXT NOT NULL);
    CREATE INDEX picks_user ON picks(user_key);
    """,
    # 5: languages: each reader's /language choice (by pseudonymous key), each subscription's
    """
    CREATE TABLE languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL);
    ALTER TABLE subscriptions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
    """,
    # 6: a held alert remembers the version of the brief Telegram refused (a restart keeps
    # it held while that version is unchanged, instead of trying it again)
    """
    ALTER TABLE deliveries ADD COLUMN held_version TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
# Seconds a statement waits for another connection's lock before it fails as busy: the usage
# writer then tries again later; a subscription change answers "the database is busy".
BUSY_TIMEOUT = 5.0


class Store(OutboxStore):
    """An open database. Use `await Store.open(path)` and `await store.close()`."""

    # --- lifecycle --------------------------------------------------------------------------
    @classmethod
    async def open(cls, path: Path, key: str = "", new_key: bool = False,
                   check_key: bool = True) -> Store:
        """Open (creating or upgrading) the database; StoreError if it cannot be used (a
        damaged file, or a key that is not the one its records were made with, unless
        `new_key` accepts it).

        `key` is the pseudonymization secret (BRIEFBOT_PSEUDONYM_KEY); without one it is read
        from (or created in) the key file beside the database, never kept in the database.
        """
        await asyncio.to_thread(probe, path)
        conn = await _connect(path)
        try:
            await migrate(conn)
            secret = await _secret(conn, path, key)
            if check_key:
                await _check_key(conn, path, secret, key, new_key)
            identity = await asyncio.to_thread(file_identity, path)
            reader = await _connect(path, read_only=True)
        except (sqlite3.Error, OSError, StoreError) as exc:
            await conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot use database {path}: {exc}") from None
        return cls(conn, path, secret, identity or (0, 0), reader)

    async def close(self) -> None:
        """Close the connections."""
        if self.reader is not self.conn:
            await self.reader.close()
        await self.conn.close()

    # --- the file under the open connection ---------------------------------------------------
    async def file_state(self) -> str:
        """'ok'; 'missing' when the file was deleted under the open connection (which keeps
        working on the deleted file, lost at the next restart); 'replaced' by another file."""
        now = await asyncio.to_thread(file_identity, self.path)
        if now is None:
            return "missing"
        return "ok" if now == self._identity else "replaced"

    async def restore_file(self) -> None:
        """Write the open database back to its path (SQLite's online backup) and continue on
        the restored file. Only when the path is empty: a file put there is never overwritten.
        """
        async with self._lock:
            tmp = self.path.with_name(self.path.name + ".restoring")
            try:
                target = await asyncio.to_thread(sqlite3.connect, tmp, check_same_thread=False)
                try:
                    await self.conn.backup(target)
                finally:
                    target.close()
                await self.conn.close()
                if self.reader is not self.conn:
                    await self.reader.close()
                await asyncio.to_thread(move_into_place, tmp, self.path)
                self.conn = await _connect(self.path)
                self.reader = await _connect(self.path, read_only=True)
                identity = await asyncio.to_thread(file_identity, self.path)
                self._identity = identity or (0, 0)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(f"cannot restore database {self.path}: {exc}") from None

    # --- privacy ----------------------------------------------------------------------------
    def user_key(self, user_id: int) -> str:
        """Pseudonymous key for a Telegram user: HMAC-SHA256 with this installation's secret."""
        return hmac.new(self._secret, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    async def forget_user(self, user_id: int) -> int:
        """Delete everything stored about a user (questions, commands, votes, picks, their
        private chat's subscriptions and every alert still queued for it). Returns the rows
        removed."""
        key = self.user_key(user_id)
        removed = 0
        async with self._lock:
            try:  # all or nothing: a half-done /forget must not report success
                for sql, arg in (("DELETE FROM questions WHERE user_key = ?", key),
                                 ("DELETE FROM commands WHERE user_key = ?", key),
                                 ("DELETE FROM votes WHERE user_key = ?", key),
                                 ("DELETE FROM picks WHERE user_key = ?", key),
                                 ("DELETE FROM languages WHERE user_key = ?", key),
                                 ("DELETE FROM subscriptions WHERE chat_id = ?", user_id),
                                 ("DELETE FROM deliveries WHERE chat_id = ?", user_id)):
                    cursor = await self.conn.execute(sql, (arg,))
                    removed += cursor.rowcount
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
            self._write_worked()
        return removed

    # --- usage log --------------------------------------------------------------------------
    async def insert_usage(self, questions: Sequence[QuestionRecord],
                           commands: Sequence[CommandRecord], dropped: int = 0,
                           feedback: Sequence[VoteRecord | PickRecord] = ()) -> None:
        """Insert a batch of records in one transaction (and add to the dropped counter)."""
        async with self._lock:
            try:
                await self.conn.executemany(
                    "INSERT INTO questions (at, user_key, chat_type, kind, text, outcome, "
                    "brief_id, score, elapsed_ms, ask, offered) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(q.at, q.user_key, q.chat_type, q.kind, q.text, q.outcome, q.brief_id,
                      q.score, q.elapsed_ms, q.ask, q.offered) for q in questions])
                await self.conn.executemany(
                    "INSERT INTO votes (ask, user_key, at, vote) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(ask, user_key) DO UPDATE SET at = excluded.at, "
                    "vote = excluded.vote",
                    [(v.ask, v.user_key, v.at, v.vote) for v in feedback
                     if isinstance(v, VoteRecord)])
                await self.conn.executemany(
                    "INSERT INTO picks (ask, user_key, at, brief_id, via) VALUES (?,?,?,?,?)",
                    [(p.ask, p.user_key, p.at, p.brief_id, p.via) for p in feedback
                     if isinstance(p, PickRecord)])
                await self.conn.executemany(
                    "INSERT INTO commands (at, user_key, chat_type, command) VALUES (?,?,?,?)",
                    [(c.at, c.user_key, c.chat_type, c.command) for c in commands])
                if dropped:
                    await self.conn.execute(
                        "INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT(key) "
                        "DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                        (str(dropped),))
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
            self._write_worked()

    async def purge_older_than(self, days: int, now: float | None = None) -> int:
        """Delete question, command, vote and pick records older than `days`."""
        cutoff = (now or time.time()) - days * SECONDS_PER_DAY
        removed = 0
        for table in ("questions", "commands", "votes", "picks"):
            removed += await self._write_params(f"DELETE FROM {table} WHERE at < ?", (cutoff,))
        return removed

    async def questions(self, since: float = 0.0) -> list[QuestionRecord]:
        """Logged questions at or after `since` (unix time), oldest first."""
        rows = await self._fetch(
            "SELECT at, user_key, chat_type, kind, text, outcome, brief_id, score, elapsed_ms, "
            "ask, offered FROM questions WHERE at >= ? ORDER BY at, id", (since,))
        return [QuestionRecord(*r) for r in rows]

    async def votes(self, since: float = 0.0) -> list[VoteRecord]:
        """Votes on answers cast at or after `since`."""
        rows = await self._fetch("SELECT at, user_key, ask, vote FROM votes WHERE at >= ? "
                                 "ORDER BY at", (since,))
        return [VoteRecord(*r) for r in rows]

    async def picks(self, since: float = 0.0) -> list[PickRecord]:
        """Briefs readers chose from a did-you-mean or after a 👎, at or after `since`."""
        rows = await self._fetch("SELECT at, user_key, ask, brief_id, via FROM picks "
                                 "WHERE at >= ? ORDER BY at, id", (since,))
        return [PickRecord(*r) for r in rows]

    async def question_by_ask(self, ask: str) -> QuestionRecord | None:
        """The question an answer's buttons belong to."""
        rows = await self._fetch(
            "SELECT at, user_key, chat_type, kind, text, outcome, brief_id, score, elapsed_ms, "
            "ask, offered FROM questions WHERE ask = ? ORDER BY id DESC LIMIT 1", (ask,))
        return QuestionRecord(*rows[0]) if rows else None

    async def command_counts(self, since: float = 0.0) -> dict[str, int]:
        """How often each command was used since `since`."""
        rows = await self._fetch("SELECT command, COUNT(*) FROM commands WHERE at >= ? "
                                 "GROUP BY command ORDER BY 2 DESC", (since,))
        return {str(c): int(n) for c, n in rows}

    async def dropped(self) -> int:
        """Usage records dropped because the writer's queue was full."""
        rows = await self._fetch("SELECT value FROM meta WHERE key = 'dropped'")
        return int(rows[0][0]) if rows else 0

    # --- languages --------------------------------------------------------------------------
    async def chosen_language(self, user_id: int) -> str | None:
        """The language a user chose with /language, if any."""
        rows = await self._fetch("SELECT lang FROM languages WHERE user_key = ?",
                                 (self.user_key(user_id),))
        return str(rows[0][0]) if rows else None

    async def set_language(self, user_id: int, lang: str | None) -> None:
        """Remember a user's /language choice (None: forget it, back to automatic)."""
        if lang is None:
            await self._write_params("DELETE FROM languages WHERE user_key = ?",
                                     (self.user_key(user_id),))
            return
        await self._write_params("INSERT INTO languages (user_key, lang) VALUES (?, ?) "
                                 "ON CONFLICT(user_key) DO UPDATE SET lang = excluded.lang",
                                 (self.user_key(user_id), lang))

    # --- meta -------------------------------------------------------------------------------
    async def get_meta(self, key: str) -> str | None:
        """A value from the meta table."""
        rows = await self._fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        """Store a value in the meta table."""
        await self._write_params("INSERT INTO meta (key, value) VALUES (?, ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                 (key, value))

async def _connect(path: Path, read_only: bool = False) -> aiosqlite.Connection:
    """An aiosqlite connection with briefbot's settings (`read_only`: the reads' own)."""
    try:
        conn = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    try:
        await conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        if read_only:
            await conn.execute("PRAGMA query_only = ON")
            return conn
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL
        await conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten
    except sqlite3.Error as exc:
        await conn.close()
        raise StoreError(f"cannot use database {path}: {exc}") from None
    return conn


async def migrate(conn: aiosqlite.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration past the database's user_version, each in one transaction."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"schema version {version} is newer than this briefbot ({SCHEMA_VERSION})")
    for number in range(version, target):
        await conn.executescript(
            f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;")
    return target


async def _secret(conn: aiosqlite.Connection, path: Path, key: str) -> bytes:
    """The pseudonymization key: BRIEFBOT_PSEUDONYM_KEY, else the key file beside the database.
    A key that older versions kept inside the database moves to the file and is erased."""
    async with conn.execute("SELECT value FROM meta WHERE key = 'user_key_secret'") as cursor:
        row = await cursor.fetchone()
    legacy = bytes.fromhex(row[0]) if row else None
    if key:
        secret = key.encode()
    else:
        try:
            secret, created = await asyncio.to_thread(read_or_create_key, key_file(path),
                                                      legacy)
        except KeyFileError as exc:
            raise StoreError(str(exc)) from None
        async with conn.execute("SELECT EXISTS (SELECT 1 FROM questions)") as cursor:
            used = await cursor.fetchone()
        if created and legacy is None and used and used[0]:
            log.warning("new pseudonymization key %s for a database with records: earlier "
                        "records can no longer be matched to their users", key_file(path))
    if legacy is not None:
        await conn.execute("DELETE FROM meta WHERE key = 'user_key_secret'")
        await conn.commit()
        await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no old copy left in the WAL
    return secret


KEY_CHECK = "key_check"  # meta: the check value of the key the records are made with


async def _check_key(conn: aiosqlite.Connection, path: Path, secret: bytes, key: str,
                     new_key: bool) -> None:
    """Refuse a key that is not the one this database's records were made with (a swapped key
    file would make /forget miss the user's records), unless `new_key` says to go on with it."""
    async with conn.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,)) as cursor:
        row = await cursor.fetchone()
    check = key_check(secret)
    if row is not None and str(row[0]) == check:
        return
    if row is not None and not new_key:
        where = "BRIEFBOT_PSEUDONYM_KEY" if key else f"key file {key_file(path)}"
        raise StoreError(f"{where} is not the key database {path} was written with (its "
                         "records could not be matched to their users, nor deleted by "
                         "/forget): restore the right key, or start once with --new-key to go "
                         "on with this one")
    if row is not None:
        log.warning("--new-key: database %s goes on with a new pseudonymization key; records "
                    "made with the old one can no longer be matched to their users", path)
    await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value", (KEY_CHECK, check))
    await conn.commit()


__all__ = ["FINISHED", "MIGRATIONS", "SCHEMA_VERSION", "CommandRecord", "Delivery", "PickRecord",
           "QuestionRecord", "Store", "StoreError", "VoteRecord", "migrate"]
