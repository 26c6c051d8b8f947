"""The pseudonymization key's file: beside the database, 0600, never inside the database.

The file is opened safely: never through a symlink (O_NOFOLLOW), only a regular file (fstat on
the open descriptor, so a FIFO, device or folder is refused without reading it), at most a few
bytes read, and permissions fixed on the open file itself (fchmod), never on a link's target.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)
KEY_BYTES = 32
MAX_KEY_FILE = 256  # bytes read at most: a key is 64 hex digits and a newline
CHECK_LABEL = b"briefbot key check"  # what the key's check value in the database is made of


class KeyFileError(ValueError):
    """The key file exists but holds no usable key."""


def key_file(db_path: Path) -> Path:
    """Where the pseudonymization key lives when no BRIEFBOT_PSEUDONYM_KEY is set."""
    return db_path.with_name(db_path.name + ".key")


def key_check(key: bytes) -> str:
    """A value kept in the database that tells whether a key is the one its records were
    made with, without revealing the key (an HMAC of a fixed label)."""
    return hmac.new(key, CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


def _create(path: Path, key: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")


def _read(path: Path) -> bytes:
    """At most MAX_KEY_FILE bytes of a regular file, opened without following a link."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise KeyFileError(f"key file {path} is a symbolic link; it must be a regular "
                               "file (replace the link with the file itself)") from None
        raise KeyFileError(f"cannot open key file {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(f"key file {path} is not a regular file (a FIFO, device or "
                               "folder); put the key file itself there")
        if info.st_mode & 0o077:
            log.warning("key file %s was readable by others; now 0600", path)
            os.fchmod(fd, 0o600)
        data = os.read(fd, MAX_KEY_FILE + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_KEY_FILE:
        raise KeyFileError(f"key file {path} is not a key (over {MAX_KEY_FILE} bytes)")
    return data


def read_or_create_key(path: Path, legacy: bytes | None) -> tuple[bytes, bool]:
    """The key in `path` (0600), creating it (from `legacy` if given). Returns (key, created)."""
    if not os.path.lexists(path):
        key = legacy or secrets.token_bytes(KEY_BYTES)
        try:
            _create(path, key)
        except FileExistsError:  # appeared meanwhile: read it like any other
            return read_or_create_key(path, legacy)
        return key, True
    text = _read(path).decode("ascii", "replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise KeyFileError(f"key file {path} is not a key (delete it to start over, losing "
                           "the link between logged records and users)")
    return key, False
