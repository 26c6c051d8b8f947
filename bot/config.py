"""Settings: one frozen dataclass built once from the environment (and a `.env` file)."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

TELEGRAM_API_DEFAULT = "https://api.telegram.org/bot"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A setting has a value the bot cannot use."""


class StartupError(Exception):
    """The bot cannot start; the message is one line naming the cause and what to fix."""


def briefs_folder_error(folder: Path) -> ConfigError | None:
    """The one line every command gives for a briefs folder it cannot read (missing, a file,
    unreadable), or None when the folder is there to read."""
    if not folder.exists():
        problem = "not found"
    elif not folder.is_dir():
        problem = "is a file, not a folder"
    elif not os.access(folder, os.R_OK | os.X_OK):
        problem = "cannot be read"
    else:
        return None
    return ConfigError(f"briefs folder {problem}: {folder} (set BRIEFBOT_BRIEFS_DIR; the "
                       "default is ./briefs in the working directory)")


# Every default and limit, defined here once (.env.example and docs/operators.md repeat them).
SECONDS_PER_DAY = 86_400
# Half a year of questions: enough for editors to see what readers keep asking across a
# season of news, short enough that old questions do not pile up (docs/operators.md, privacy).
DEFAULT_LOG_RETENTION_DAYS = 180
MAX_LOG_RETENTION_DAYS = 36_500  # a hundred years: "keep them", without overflowing dates
# Telegram's bot FAQ: no more than about 30 messages per second across chats (broadcasts);
# 28 leaves headroom for the replies sent meanwhile.
MAX_ALERTS_PER_SECOND = 30
DEFAULT_ALERTS_PER_SECOND = 28
# The alert sender takes the outbox this many rows at a time (oldest first) and sends them all
# before reading again: about 7 s of sends at 28/s, so one read stays small however many chats
# subscribe.
OUTBOX_BATCH = 200
# An idle alert sender reads the outbox again after this many seconds even without a poke: how
# soon rows queued without one are sent (a reload that failed half-way, after queuing some) and
# how often an unreadable outbox is retried; an idle bot pays one cheap query every 2 s.
OUTBOX_IDLE_SECONDS = 2.0
# A published file is served within this many seconds; a scan is a cheap stat() per file.
DEFAULT_RELOAD_SECONDS = 10.0
MIN_RELOAD_SECONDS = 0.05  # the tests' pace; any faster only burns CPU
MAX_RELOAD_SECONDS = float(SECONDS_PER_DAY)
# Updates in progress at once (one chat's stay in order): enough to hide a slow Telegram
# round trip behind others on 2 cores (docs/performance.md); 256 is PTB's connection pool.
DEFAULT_CONCURRENT_UPDATES = 4
MAX_CONCURRENT_UPDATES = 256
# /stats in Telegram: the last month, the window editors review (docs/editors.md).
STATS_WINDOW_DAYS = 30
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Settings:
    """Every setting briefbot reads; one field per environment variable."""

    briefs_dir: Path
    db_path: Path
    telegram_token: str = field(default="", repr=False)
    telegram_api_base_url: str = TELEGRAM_API_DEFAULT
    admin_ids: frozenset[int] = frozenset()
    log_retention_days: int = DEFAULT_LOG_RETENTION_DAYS
    reload_seconds: float = DEFAULT_RELOAD_SECONDS
    alerts_per_second: int = DEFAULT_ALERTS_PER_SECOND
    concurrent_updates: int = DEFAULT_CONCURRENT_UPDATES
    log_level: str = "INFO"
    seeds_dir: Path | None = None  # None: the seeds/ folder beside the briefs folder
    pseudonym_key: str = field(default="", repr=False)  # else a key file beside the database
    new_key: bool = False  # `briefbot run --new-key`: accept a key the records were not made with

    def require_token(self) -> str:
        """Return the bot token, or raise ConfigError when it is missing or malformed."""
        if not self.telegram_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        if not TOKEN_PATTERN.match(self.telegram_token):
            raise ConfigError("TELEGRAM_BOT_TOKEN is malformed (expected '<digits>:<secret>')")
        return self.telegram_token


def default_briefs_dir(cwd: Path) -> Path:
    """`./briefs` of the working directory (like `.env`), wherever briefbot is installed."""
    return cwd / "briefs"


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw[:40]!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be from {minimum} to {maximum}, got {raw[:40]}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, minimum: float,
           maximum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw[:40]!r}") from None
    if not (math.isfinite(value) and minimum <= value <= maximum):
        raise ConfigError(f"{name} must be a number from {minimum:g} to {maximum:g}, "
                          f"got {raw[:40]}")
    return value


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"BRIEFBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, "
                          f"got {raw.strip()[:40]!r}")
    return level


def _api_url(raw: str) -> str:
    url = raw.strip() or TELEGRAM_API_DEFAULT
    if not re.match(r"^https?://[^/\s]+", url):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must be an http(s) URL, got {url[:60]!r}")
    return url


def _pseudonym_key(raw: str) -> str:
    key = raw.strip()
    if key and len(key) < 32:
        raise ConfigError("BRIEFBOT_PSEUDONYM_KEY must be at least 32 characters "
                          "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    return key


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ConfigError(f"BRIEFBOT_ADMIN_IDS must be comma-separated user ids, got {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def settings_from_env(env: Mapping[str, str], cwd: Path) -> Settings:
    """Build Settings from a mapping of environment variables (pure; easy to test)."""
    briefs = env.get("BRIEFBOT_BRIEFS_DIR", "").strip()
    db = env.get("BRIEFBOT_DB", "").strip()
    seeds = env.get("BRIEFBOT_SEEDS_DIR", "").strip()
    return Settings(
        briefs_dir=Path(briefs).expanduser() if briefs else default_briefs_dir(cwd),
        db_path=Path(db).expanduser() if db else cwd / "briefbot.db",
        telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
        telegram_api_base_url=_api_url(env.get("TELEGRAM_API_BASE_URL", "")),
        admin_ids=_admin_ids(env.get("BRIEFBOT_ADMIN_IDS", "")),
        log_retention_days=_int(env, "BRIEFBOT_LOG_RETENTION_DAYS", DEFAULT_LOG_RETENTION_DAYS,
                                1, MAX_LOG_RETENTION_DAYS),
        reload_seconds=_float(env, "BRIEFBOT_RELOAD_SECONDS", DEFAULT_RELOAD_SECONDS,
                              MIN_RELOAD_SECONDS, MAX_RELOAD_SECONDS),
        alerts_per_second=_int(env, "BRIEFBOT_ALERTS_PER_SECOND", DEFAULT_ALERTS_PER_SECOND,
                               1, MAX_ALERTS_PER_SECOND),
        concurrent_updates=_int(env, "BRIEFBOT_CONCURRENT_UPDATES", DEFAULT_CONCURRENT_UPDATES,
                                1, MAX_CONCURRENT_UPDATES),
        log_level=_log_level(env.get("BRIEFBOT_LOG_LEVEL", "")),
        pseudonym_key=_pseudonym_key(env.get("BRIEFBOT_PSEUDONYM_KEY", "")),
        seeds_dir=Path(seeds).expanduser() if seeds else None,
    )


def load_settings(cwd: Path | None = None) -> Settings:
    """Read `.env` from the working directory (never overriding real env vars), then build."""
    from dotenv import dotenv_values

    here = cwd or Path.cwd()
    env: dict[str, str] = {
        k: v for k, v in dotenv_values(here / ".env").items() if v is not None
    }
    env.update(os.environ)
    return settings_from_env(env, here)
