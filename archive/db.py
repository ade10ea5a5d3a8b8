"""Database set-up: Tortoise configuration, migrations on start, SQLite pragmas."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate

from archive.settings import Settings

APP_LABEL = "archive"
MODELS_MODULE = "archive.models"
MIGRATIONS_MODULE = "archive.migrations"


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise config dict for these settings (also used by the migration tooling)."""
    return {
        "connections": {"default": settings.db_url},
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
    if settings.is_sqlite:
        # WAL lets readers go on while the worker writes; a busy timeout waits for the
        # other process's short write transactions instead of failing at once.
        conn = connections.get("default")
        await conn.execute_script("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;")


async def close_database() -> None:
    await Tortoise.close_connections()
    # Tortoise caches compiled queries per connection name, not per dialect: a process that
    # reopens "default" on another backend (tests, `sepeda restore`) must not reuse them.
    EXECUTOR_CACHE.clear()
