"""Database set-up: Tortoise configuration, migrations on start, SQLite pragmas."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate

from archive.settings import Settings

APP_LABEL = "archive"
MODELS_MODULE = "archive.models"
MIGRATIONS_MODULE = "archive.migrations"


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise config dict for these settings (also used by the migration tooling)."""
    return {
        "connections": {"default": _connection(settings)},
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(settings: Settings) -> str | dict[str, Any]:
    if not settings.is_sqlite:
        return settings.db_url
    # Transactions begin with BEGIN IMMEDIATE (archive.sqlite_client explains why). Tortoise
    # turns on WAL, so readers go on while another process writes; a write waits for the
    # other's lock up to Python's sqlite3 timeout (5 s) instead of failing at once.
    credentials = expand_db_url(settings.db_url)["credentials"]
    return {"engine": "archive.sqlite_client", "credentials": credentials}


async def migrate_database(settings: Settings, target: str | None = None) -> None:
    """Apply every pending migration (or up to ``target``, e.g. ``archive.0001_initial``)."""
    try:
        await migrate(config=tortoise_config(settings), target=target)
    finally:
        # Also after a failed migration: an open aiosqlite thread keeps the process alive.
        await close_database()


async def open_database(settings: Settings, *, run_migrations: bool = True) -> None:
    """Migrate, then open the connections for the app and the worker."""
    if run_migrations:
        await migrate_database(settings)
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()
    # Tortoise caches compiled queries per connection name, not per dialect: a process that
    # reopens "default" on another backend (tests, `sepeda restore`) must not reuse them.
    EXECUTOR_CACHE.clear()
