"""The database file itself: checked before aiosqlite opens it, watched, and put back."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """The database cannot be opened or written; the message is one clear line."""


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
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
