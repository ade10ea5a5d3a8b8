"""``sepeda migrate``: bring a database to the current schema, with a backup of it first.

A backup is written under ``<data dir>/backups/`` only when an existing database has
migrations to apply (a new one has nothing to lose): SQLite's online copy, or ``pg_dump
--format=custom`` for PostgreSQL. Blobs are never changed by a migration, so they are not
copied. ``sepeda serve`` runs this before it starts.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor

from archive.db import close_database, migrate_database, tortoise_config
from archive.errors import DomainError
from archive.settings import Settings
from archive.timeutil import utcnow


class BackupFailed(DomainError):
    status_code = 500


@dataclass
class MigrationReport:
    """What ``migrate`` did: the migrations applied, and the backup written before them."""

    applied: list[str] = field(default_factory=list)
    backup: Path | None = None
    fresh: bool = False  # the database had no schema yet


async def migration_state(settings: Settings) -> tuple[list[str], int]:
    """(migrations still to apply, in order; how many are applied already)."""
    config = tortoise_config(settings)
    await Tortoise.init(config=config, init_connections=False)
    try:
        executor = MigrationExecutor(get_connection("default"), config["apps"])
        pending = [
            f"{step.migration.app_label}.{step.migration.name}"
            for step in await executor.plan()
            if not step.backward
        ]
        applied = len(await executor.recorder.applied_migrations())
    finally:
        await close_database()
    return pending, applied


def backup_database(settings: Settings, label: str) -> Path:
    """A copy of the database in ``<data dir>/backups/``, named by time and ``label``."""
    folder = settings.data_dir / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    if settings.is_sqlite:
        target = folder / f"sepeda-{stamp}-{label}.sqlite3"
        source = sqlite3.connect(
            f"file:{settings.db_url.removeprefix('sqlite://')}?mode=ro", uri=True
        )
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    dump = shutil.which("pg_dump")
    if dump is None:
        raise BackupFailed(
            "pg_dump tidak ditemukan: pasang postgresql-client agar basis data dicadangkan "
            "sebelum diubah, atau jalankan `sepeda migrate --no-backup` setelah mencadangkannya."
        )
    target = folder / f"sepeda-{stamp}-{label}.dump"
    url = settings.db_url.replace("postgres://", "postgresql://", 1)
    run = subprocess.run(
        [dump, "--format=custom", "--file", str(target), url], capture_output=True, text=True
    )
    if run.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupFailed(f"pg_dump gagal: {run.stderr.strip()[:300]}")
    return target


async def migrate(settings: Settings, *, backup: bool = True) -> MigrationReport:
    """Apply every pending migration, after a backup when the database already had data."""
    pending, applied = await migration_state(settings)
    report = MigrationReport(applied=pending, fresh=applied == 0)
    if not pending:
        return report
    if backup and applied:
        report.backup = backup_database(settings, f"sebelum-{pending[0].split('.')[-1][:4]}")
    await migrate_database(settings)
    return report
