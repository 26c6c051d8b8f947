"""What is stored about a user: a key outside the database, /forget leaving nothing behind,
and an outbox that forgets chat ids once a delivery is done."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
import stat
from pathlib import Path

import aiosqlite

from bot.alerts import detect_new
from bot.library import Library
from bot.storage import Store, migrate
from bot.userkey import key_file
from tests.conftest import eventually, eventually_async, running_bot
from tests.fake_api import FakeBotAPI, text_message
from tests.test_alerts_e2e import alerts_to, new_brief


def raw_bytes(db: Path) -> bytes:
    """Everything SQLite keeps on disk for this database (main file and WAL)."""
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def every_value(db: Path) -> list[object]:
    """Every value in every table."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [v for t in tables for row in conn.execute(f"SELECT * FROM {t}") for v in row]
    finally:
        conn.close()


async def _alert_recorded(store: Store, brief_id: str) -> bool:
    """No alert of `brief_id` is left to do, and its outcome is counted."""
    return (not await store.delivery_states(brief_id)
            and bool(await store.alert_results(brief_id)))


async def test_key_lives_in_a_0600_file_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = await Store.open(db)
    user_key = store.user_key(1001)
    await store.close()
    key = key_file(db)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    secret = bytes.fromhex(key.read_text())
    assert user_key == hmac.new(secret, b"1001", hashlib.sha256).hexdigest()[:32]
    assert secret not in raw_bytes(db) and secret.hex().encode() not in raw_bytes(db)
    again = await Store.open(db)
    assert again.user_key(1001) == user_key  # stable across restarts
    await again.close()


async def test_a_key_kept_in_an_old_database_moves_out_and_is_erased(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    legacy = bytes(range(32))
    async with aiosqlite.connect(db) as conn:
        await migrate(conn, target=2)
        await conn.execute("INSERT INTO meta VALUES ('user_key_secret', ?)", (legacy.hex(),))
        await conn.commit()
    store = await Store.open(db)
    assert store.user_key(7) == hmac.new(legacy, b"7", hashlib.sha256).hexdigest()[:32]
    await store.close()
    assert bytes.fromhex(key_file(db).read_text()) == legacy
    assert legacy.hex().encode() not in raw_bytes(db)  # overwritten, not just unlinked


async def test_key_from_the_environment_writes_no_file(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    secret = "k" * 40
    store = await Store.open(db, key=secret)
    assert store.user_key(5) == hmac.new(secret.encode(), b"5", hashlib.sha256).hexdigest()[:32]
    await store.close()
    assert not key_file(db).exists()


async def test_a_loose_key_file_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await (await Store.open(db)).close()
    key_file(db).chmod(0o644)
    await (await Store.open(db)).close()
    assert stat.S_IMODE(key_file(db).stat().st_mode) == 0o600


async def test_forget_removes_queued_alerts_too(tmp_path: Path) -> None:
    from tests.test_alerts import _brief

    store = await Store.open(tmp_path / "bot.db")
    try:  # closed even on failure: an open connection's thread keeps pytest from exiting
        await detect_new(store, Library(()))
        await store.add_subscription(1001, "")
        await store.add_subscription(1002, "")
        await detect_new(store, Library((_brief("n"),)))
        assert set(await store.delivery_states()) == {("n", 1001), ("n", 1002)}
        await store.forget_user(1001)
        assert set(await store.delivery_states()) == {("n", 1002)}
    finally:
        await store.close()


async def test_forget_leaves_nothing_about_the_user(fake_api: FakeBotAPI,
                                                    bot_env: dict[str, str],
                                                    tmp_path: Path) -> None:
    db = Path(bot_env["BRIEFBOT_DB"])
    async with running_bot(bot_env, tmp_path) as app:
        store = app.bot_data.store
        assert store is not None
        user_key = store.user_key(1001)
        for n, text in enumerate(["csto", "/help", "/topics", "/subscribe", "/start"]):
            fake_api.push("message", text_message(text, message_id=n + 1))
        fake_api.push("message", text_message("energy", uid=2002, message_id=9))
        await eventually(lambda: len(fake_api.texts(1001)) == 5 and bool(fake_api.texts(2002)))
        new_brief(Path(bot_env["BRIEFBOT_BRIEFS_DIR"]), "privacy-news")
        await eventually(lambda: alerts_to(fake_api, 1001, "Fresh privacy-news") == 1)
        # the stand-in has the alert before the bot has its answer: wait for the outcome to
        # be recorded (the row leaves 'sending' and is counted), not for a quiet moment
        await eventually_async(lambda: _alert_recorded(store, "privacy-news"))
        await eventually(lambda: not store.conn.in_transaction)
        await app.bot_data.usage.drain()  # type: ignore[union-attr]
        delivered = every_value(db)
        assert user_key in delivered  # what /forget has to remove
        assert 1001 in delivered  # the subscription
        assert await store.delivery_states() == {}  # the delivered alert kept no chat id
        assert await store.alert_results("privacy-news") == {"sent": 1}
        fake_api.push("message", text_message("/forget", message_id=20))
        await eventually(lambda: len(fake_api.texts(1001)) == 7)
    assert fake_api.texts(1001)[-1].startswith("Done: I deleted everything")
    assert "votes, picks" in fake_api.texts(1001)[-1]  # everything it deletes, named
    help_text = next(t for t in fake_api.texts(1001) if "What is stored" in t)
    assert "👍/👎 votes" in help_text and "briefs you pick" in help_text
    left = every_value(db)
    assert 1001 not in left and "1001" not in left and user_key not in left
    assert any(v == "energy" for v in left)  # other users' records stay
