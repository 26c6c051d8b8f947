"""The database file itself: checked before aiosqlite opens it, watched, put back, and held
by one process at a time."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

# SQLite's primary result codes for failures that waiting will not cure (corrupt pages, a
# full disk, I/O errors, a read-only file) and for another connection holding the lock.
PERSISTENT_CODES = {8: "read-only", 10: "I/O error", 11: "corrupt", 13: "disk full",
                    14: "cannot open", 26: "not a database"}
BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
DAMAGED_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class StoreError(Exception):
    """The database cannot be opened or written; the message is one clear line. `busy`: another
    connection held the lock past the busy timeout (try again later); `persistent`: a failure
    that waiting will not cure (the admins must act)."""

    def __init__(self, message: str, busy: bool = False, persistent: bool = False) -> None:
        super().__init__(message)
        self.busy = busy
        self.persistent = persistent


def classify(exc: BaseException) -> tuple[bool, bool]:
    """(busy, persistent) for an sqlite3 error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        text = str(exc).lower()
        return ("locked" in text or "busy" in text), ("malformed" in text or "full" in text)
    return (code & 0xFF) in BUSY_CODES, (code & 0xFF) in PERSISTENT_CODES


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when `PRAGMA quick_check` finds nothing wrong, else its first finding (one line)."""
    rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    found = [str(r[0]) for r in rows if str(r[0]) != "ok"]
    if not found:
        return None
    more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
    return " ".join(found[0].split())[:200] + more


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, or None when there is none."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def move_into_place(tmp: Path, path: Path) -> None:
    """Rename the restored copy to `path`, dropping WAL files left by the deleted one."""
    if path.exists():
        tmp.unlink()
        raise FileExistsError(f"{path} appeared meanwhile; left as it is")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tmp.replace(path)


def probe(path: Path) -> None:
    """Create the folder, then open and read the file with plain sqlite3, so that a file
    that cannot be used fails here with one clear StoreError: a failed aiosqlite connect
    leaves a worker thread that outlives the event loop ("Event loop is closed")."""
    if path.is_dir():
        raise StoreError(f"cannot open database {path}: it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create folder {path.parent} for database {path}: "
                         f"{exc.strerror or exc}") from None
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            problem = quick_check(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in DAMAGED_CODES:
            raise StoreError(f"database {path} is damaged ({exc}); restore it from "
                             "a backup, or move it aside to start an empty one",
                             persistent=True) from None
        raise StoreError(f"cannot open database {path}: {exc}") from None
    if problem is not None:
        raise StoreError(f"database {path} is damaged (PRAGMA quick_check: {problem}); restore "
                         "it from a backup, or move it aside to start an empty one",
                         persistent=True)


def lock_path(path: Path) -> Path:
    """The lock file beside the database: `bot.db` -> `bot.db.lock`, beside the real file
    (links followed), so a second bot naming the same database another way finds the lock."""
    real = path.resolve()
    return real.with_name(real.name + ".lock")


def lock_database(path: Path) -> int:
    """Take the database for this process: an OS lock on the lock file (released by the OS
    when the process ends, however it ends) holding this process's id. Returns the lock's
    file descriptor (see `unlock_database`).

    Raises:
        StoreError: another process holds it ("another briefbot is running on this database,
            pid N"), or the lock file cannot be made.
    """
    target = lock_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create lock file {target} for database {path}: "
                         f"{exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise StoreError(f"another briefbot is running on this database, pid {holder} "
                         f"({path})") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def unlock_database(fd: int) -> None:
    """Let the database go (the lock file stays, empty of meaning until locked again)."""
    os.close(fd)
