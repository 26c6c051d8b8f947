"""The pseudonymization key's file: beside the database, 0600, never inside the database."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)
KEY_BYTES = 32


class KeyFileError(ValueError):
    """The key file exists but holds no usable key."""


def key_file(db_path: Path) -> Path:
    """Where the pseudonymization key lives when no BRIEFBOT_PSEUDONYM_KEY is set."""
    return db_path.with_name(db_path.name + ".key")


def read_or_create_key(path: Path, legacy: bytes | None) -> tuple[bytes, bool]:
    """The key in `path` (0600), creating it (from `legacy` if given). Returns (key, created)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        key = legacy or secrets.token_bytes(KEY_BYTES)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex() + "\n")
        return key, True
    if mode & 0o077:
        log.warning("key file %s was readable by others; now 0600", path)
        path.chmod(0o600)
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise KeyFileError(f"key file {path} is not a key (delete it to start over, losing "
                           "the link between logged records and users)")
    return key, False
