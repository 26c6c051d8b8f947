"""One bot per database, however the database is named: through a link to the file or to its
folder, or a path with `..`, a second bot finds the first one's lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dbfile import lock_database, unlock_database
from bot.storage import StoreError


def test_another_name_for_the_same_database_finds_the_lock(tmp_path: Path) -> None:
    real = tmp_path / "data"
    real.mkdir()
    db = real / "bot.db"
    db.touch()
    (tmp_path / "link.db").symlink_to(db)
    (tmp_path / "linked-folder").symlink_to(real)
    fd = lock_database(db)
    try:
        for other in (tmp_path / "link.db", tmp_path / "linked-folder" / "bot.db",
                      real / ".." / "data" / "bot.db"):
            with pytest.raises(StoreError, match="another briefbot is running"):
                lock_database(other)
    finally:
        unlock_database(fd)
