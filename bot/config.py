"""Settings: one frozen dataclass built once from the environment (and a `.env` file)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BRIEFS_DIR = PROJECT_ROOT / "briefs"
TELEGRAM_API_DEFAULT = "https://api.telegram.org/bot"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class ConfigError(ValueError):
    """A setting has a value the bot cannot use."""


DEFAULT_CONCURRENT_UPDATES = 4  # updates in progress at once (one chat's stay in order)


@dataclass(frozen=True)
class Settings:
    """Every setting briefbot reads; one field per environment variable."""

    briefs_dir: Path
    db_path: Path
    telegram_token: str = field(default="", repr=False)
    telegram_api_base_url: str = TELEGRAM_API_DEFAULT
    admin_ids: frozenset[int] = frozenset()
    log_retention_days: int = 180
    reload_seconds: float = 10.0
    alerts_per_second: int = 28
    concurrent_updates: int = DEFAULT_CONCURRENT_UPDATES
    log_level: str = "INFO"
    seeds_dir: Path | None = None  # None: the seeds/ folder beside the briefs folder

    def require_token(self) -> str:
        """Return the bot token, or raise ConfigError when it is missing or malformed."""
        if not self.telegram_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        if not TOKEN_PATTERN.match(self.telegram_token):
            raise ConfigError("TELEGRAM_BOT_TOKEN is malformed (expected '<digits>:<secret>')")
        return self.telegram_token


def default_briefs_dir(cwd: Path) -> Path:
    """`./briefs` when the working directory has one, else the folder shipped with briefbot."""
    local = cwd / "briefs"
    return local if local.is_dir() else SHIPPED_BRIEFS_DIR


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw}")
    return value


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
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip()
        or TELEGRAM_API_DEFAULT,
        admin_ids=_admin_ids(env.get("BRIEFBOT_ADMIN_IDS", "")),
        log_retention_days=_int(env, "BRIEFBOT_LOG_RETENTION_DAYS", 180, minimum=1),
        reload_seconds=_float(env, "BRIEFBOT_RELOAD_SECONDS", 10.0),
        alerts_per_second=_int(env, "BRIEFBOT_ALERTS_PER_SECOND", 28, minimum=1),
        concurrent_updates=_int(env, "BRIEFBOT_CONCURRENT_UPDATES", DEFAULT_CONCURRENT_UPDATES,
                                minimum=1),
        log_level=env.get("BRIEFBOT_LOG_LEVEL", "").strip().upper() or "INFO",
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
