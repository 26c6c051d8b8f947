"""The store's subscriptions and alert outbox: who gets which new brief, and each delivery's
state until it is finished and only counted."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .store_base import StoreBase

# Outbox rows in these states are removed and only counted: sent; failed (the brief was
# withdrawn, or a bug); blocked (the chat is gone); skipped (the chat could not take it, e.g. a
# closed topic); unknown (it may or may not have arrived: not sent again); unsubscribed (the
# chat unsubscribed or /forget before its turn). Still to do: pending, sending, held (the
# brief's message was refused; waits for the brief to change).
FINISHED = ("sent", "failed", "blocked", "skipped", "unknown", "unsubscribed")


@dataclass(frozen=True)
class Delivery:
    """One outbox row: a brief to send to a chat."""

    brief_id: str
    chat_id: int
    thread_id: int | None
    state: str
    attempts: int
    lang: str = "en"  # the language the chat's alerts go out in


class OutboxStore(StoreBase):
    """Subscriptions, the briefs already announced, and the alert outbox."""

    async def set_alert_language(self, chat_id: int, lang: str) -> None:
        """Send the chat's alerts in `lang` from now on."""
        await self._write_params("UPDATE subscriptions SET lang = ? WHERE chat_id = ?",
                                 (lang, chat_id))

    # --- subscriptions ----------------------------------------------------------------------
    async def add_subscription(self, chat_id: int, tag: str = "", thread_id: int | None = None,
                               lang: str = "en") -> bool:
        """Subscribe a chat (to every new brief, or to one tag) with its alerts in `lang`;
        False if already so. Either way the chat's alerts go out in `lang` from now on."""
        added = await self._write_params(
            "INSERT OR IGNORE INTO subscriptions (chat_id, tag, thread_id, created_at, lang) "
            "VALUES (?, ?, ?, ?, ?)", (chat_id, tag, thread_id, time.time(), lang)) > 0
        await self.set_alert_language(chat_id, lang)
        return added

    async def remove_subscription(self, chat_id: int, tag: str | None = None) -> int:
        """Remove one tag subscription, or (tag None) every subscription of the chat and, in
        the same transaction, every alert still queued for it (one being sent right now is
        checked again just before its send: see `claim_delivery`)."""
        if tag is not None:
            return await self._write_params(
                "DELETE FROM subscriptions WHERE chat_id = ? AND tag = ?", (chat_id, tag))
        async with self._lock:
            try:
                cursor = await self.conn.execute("DELETE FROM subscriptions WHERE chat_id = ?",
                                                 (chat_id,))
                removed = cursor.rowcount
                await self._count_and_delete(
                    "chat_id = ? AND state IN ('pending', 'held')", (chat_id,), "unsubscribed")
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
        return removed

    async def _count_and_delete(self, where: str, params: Sequence[Any], state: str) -> int:
        """Inside a transaction: count the outbox rows matching `where` as `state` per brief,
        then delete them."""
        await self.conn.execute(
            "INSERT INTO alert_results (brief_id, state, count) "
            f"SELECT brief_id, ?, COUNT(*) FROM deliveries WHERE {where} GROUP BY brief_id "
            "ON CONFLICT(brief_id, state) DO UPDATE SET count = count + excluded.count",
            (state, *params))
        cursor = await self.conn.execute(f"DELETE FROM deliveries WHERE {where}", params)
        return cursor.rowcount

    async def subscriptions(self, chat_id: int) -> list[str]:
        """The chat's subscriptions: '' for every brief, else tags."""
        rows = await self._fetch("SELECT tag FROM subscriptions WHERE chat_id = ? ORDER BY tag",
                                 (chat_id,))
        return [str(r[0]) for r in rows]

    async def drop_chat(self, chat_id: int) -> None:
        """A chat that blocked or removed the bot: no subscriptions, nothing left to send."""
        async with self._lock:
            try:
                await self.conn.execute("DELETE FROM subscriptions WHERE chat_id = ?",
                                        (chat_id,))
                await self.conn.execute(
                    "INSERT INTO alert_results (brief_id, state, count) "
                    "SELECT brief_id, 'blocked', 1 FROM deliveries WHERE chat_id = ? AND true "
                    "ON CONFLICT(brief_id, state) DO UPDATE SET count = count + 1", (chat_id,))
                await self.conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (chat_id,))
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
            self._write_worked()

    # --- new-brief alerts -------------------------------------------------------------------
    async def known_brief_ids(self) -> set[str]:
        """Every brief id ever seen (announced, or recorded at first start)."""
        return {str(r[0]) for r in await self._fetch("SELECT brief_id FROM known_briefs")}

    async def record_known(self, brief_ids: Iterable[str]) -> None:
        """Remember brief ids as known without alerting (first start)."""
        now = time.time()
        await self._write("INSERT OR IGNORE INTO known_briefs (brief_id, first_seen) "
                          "VALUES (?, ?)", [(b, now) for b in brief_ids])

    async def enqueue_alert(self, brief_id: str, tags: Sequence[str]) -> int:
        """Mark a brief known and queue one delivery per matching subscribed chat, atomically.
        Returns the number of deliveries queued (0 if the brief was already known)."""
        now = time.time()
        async with self._lock:
            try:
                cursor = await self.conn.execute(
                    "INSERT OR IGNORE INTO known_briefs (brief_id, first_seen) VALUES (?, ?)",
                    (brief_id, now))
                if cursor.rowcount == 0:
                    await self.conn.commit()
                    return 0
                marks = ",".join("?" * len(tags))
                where = f"tag = '' OR tag IN ({marks})" if tags else "tag = ''"
                cursor = await self.conn.execute(
                    "INSERT OR IGNORE INTO deliveries (brief_id, chat_id, thread_id, state, "
                    "updated_at) SELECT ?, chat_id, MIN(thread_id), 'pending', ? "
                    f"FROM subscriptions WHERE {where} GROUP BY chat_id",
                    (brief_id, now, *tags))
                await self.conn.commit()
                return cursor.rowcount
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None

    async def due_deliveries(self, limit: int = 100) -> list[Delivery]:
        """Deliveries waiting to be sent (pending), in the order they were queued. A row in
        'sending' is never taken again: its send may have arrived (at most once)."""
        rows = await self._fetch(
            "SELECT brief_id, chat_id, thread_id, state, attempts, COALESCE((SELECT MIN(lang) "
            "FROM subscriptions s WHERE s.chat_id = d.chat_id), 'en') FROM deliveries d "
            "WHERE state = 'pending' ORDER BY rowid LIMIT ?", (limit,))
        return [Delivery(str(b), int(c), t, str(s), int(a), str(lang))
                for b, c, t, s, a, lang in rows]

    async def mark_delivery(self, brief_id: str, chat_id: int, state: str,
                            error: str | None = None, message_id: int | None = None) -> None:
        """Move an outbox row to `state` ('sending' also counts an attempt); a finished row
        (sent, failed, blocked) is deleted and only counted, so no chat id outlives it."""
        if state in FINISHED:
            await self._finish_delivery(brief_id, chat_id, state)
            return
        bump = 1 if state == "sending" else 0
        await self._write_params(
            "UPDATE deliveries SET state = ?, attempts = attempts + ?, last_error = ?, "
            "message_id = COALESCE(?, message_id), updated_at = ? "
            "WHERE brief_id = ? AND chat_id = ?",
            (state, bump, error, message_id, time.time(), brief_id, chat_id))

    async def _finish_delivery(self, brief_id: str, chat_id: int, state: str) -> None:
        async with self._lock:
            try:
                cursor = await self.conn.execute(
                    "DELETE FROM deliveries WHERE brief_id = ? AND chat_id = ?",
                    (brief_id, chat_id))
                if cursor.rowcount:  # not if /forget or a block removed it meanwhile
                    await self.conn.execute(
                        "INSERT INTO alert_results (brief_id, state, count) VALUES (?, ?, 1) "
                        "ON CONFLICT(brief_id, state) DO UPDATE SET count = count + 1",
                        (brief_id, state))
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
            self._write_worked()

    async def claim_delivery(self, brief_id: str, chat_id: int, tags: Sequence[str]) -> str:
        """Just before a send: 'claimed' (now 'sending', an attempt counted) when the row is
        still pending and the chat still subscribed to the brief; 'unsubscribed' (the row is
        removed and counted) when it no longer is; 'gone' when the row was removed or held
        meanwhile."""
        marks = ",".join("?" * len(tags))
        wanted = ("EXISTS (SELECT 1 FROM subscriptions WHERE chat_id = ? AND (tag = ''"
                  + (f" OR tag IN ({marks})" if tags else "") + "))")
        async with self._lock:
            try:
                cursor = await self.conn.execute(
                    "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
                    "updated_at = ? WHERE brief_id = ? AND chat_id = ? AND state = 'pending' "
                    f"AND {wanted}", (time.time(), brief_id, chat_id, chat_id, *tags))
                outcome = "claimed" if cursor.rowcount else "gone"
                if not cursor.rowcount and await self._count_and_delete(
                        f"brief_id = ? AND chat_id = ? AND state = 'pending' AND NOT {wanted}",
                        (brief_id, chat_id, chat_id, *tags), "unsubscribed"):
                    outcome = "unsubscribed"
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
        return outcome

    async def hold_brief(self, brief_id: str, chat_id: int, reason: str,
                         version: str = "") -> int:
        """Telegram refused the brief's message: hold its alert for every chat still waiting
        (and for `chat_id`, whose send was refused), noting the refused `version` of the
        brief. Returns the rows held."""
        return await self._write_params(
            "UPDATE deliveries SET state = 'held', last_error = ?, updated_at = ?, "
            "held_version = ? WHERE brief_id = ? AND (state = 'pending' OR chat_id = ?)",
            (reason, time.time(), version, brief_id, chat_id))

    async def held_versions(self) -> dict[str, str]:
        """Each brief with held alerts, and the version Telegram refused ("" if unknown)."""
        rows = await self._fetch(
            "SELECT brief_id, MAX(COALESCE(held_version, '')) FROM deliveries "
            "WHERE state = 'held' GROUP BY brief_id")
        return {str(brief_id): str(version) for brief_id, version in rows}

    async def release_held(self, brief_id: str | None = None) -> int:
        """Held alerts (of one brief, or all) become due again. Returns the rows released."""
        where, params = ("AND brief_id = ?", (brief_id,)) if brief_id else ("", ())
        return await self._write_params(
            f"UPDATE deliveries SET state = 'pending', updated_at = ? WHERE state = 'held' "
            f"{where}", (time.time(), *params))

    async def settle_interrupted(self) -> int:
        """Rows left in 'sending' by a process that died mid-send: their send may have
        arrived, so they are finished as 'unknown', never sent again. Returns how many."""
        async with self._lock:
            try:
                settled = await self._count_and_delete("state = 'sending'", (), "unknown")
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None
        return settled

    async def migrate_chat(self, old: int, new: int) -> None:
        """A group became a supergroup (Telegram gave its new id): its subscriptions and
        queued alerts move to the new id and are due there (the refused send never arrived).
        A "move" to the same id changes nothing (it would delete the chat's subscriptions)."""
        if old == new:
            return
        async with self._lock:
            try:
                await self.conn.execute(
                    "UPDATE OR IGNORE subscriptions SET chat_id = ?, thread_id = NULL "
                    "WHERE chat_id = ?", (new, old))
                await self.conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old,))
                await self.conn.execute(
                    "UPDATE OR IGNORE deliveries SET chat_id = ?, thread_id = NULL, "
                    "state = CASE state WHEN 'held' THEN 'held' ELSE 'pending' END, "
                    "updated_at = ? WHERE chat_id = ?", (new, time.time(), old))
                await self.conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (old,))
                await self.conn.commit()
            except sqlite3.Error as exc:
                await self._rollback()
                raise self._write_failed(exc) from None

    async def alert_results(self, brief_id: str | None = None) -> dict[str, int]:
        """How many finished deliveries ended in each finished state (one brief, or all)."""
        where, params = ("WHERE brief_id = ?", (brief_id,)) if brief_id else ("", ())
        rows = await self._fetch(
            f"SELECT state, SUM(count) FROM alert_results {where} GROUP BY state", params)
        return {str(state): int(n) for state, n in rows}

    async def delivery_states(self, brief_id: str | None = None) -> dict[tuple[str, int], str]:
        """(brief, chat) -> state of deliveries still to do (pending, sending or held)."""
        sql = "SELECT brief_id, chat_id, state FROM deliveries"
        rows = await self._fetch(sql + " WHERE brief_id = ?", (brief_id,)) if brief_id \
            else await self._fetch(sql)
        return {(str(b), int(c)): str(s) for b, c, s in rows}
