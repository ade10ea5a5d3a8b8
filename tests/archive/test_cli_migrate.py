"""``sepeda migrate``: a new database is created, a current one left alone, an older one backed
up before it changes; on SQLite and (with SEPEDA_TEST_DATABASE_URL) on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import uuid

import pytest
from typer.testing import CliRunner

from archive.cli import app as cli
from archive.db import close_database, migrate_database, open_database
from archive.migrate import migration_state
from archive.models import Unit, UnitKind
from archive.settings import load_settings
from tests.conftest import PG_BASE_URL

runner = CliRunner()
OLDER = "archive.0006_decisions_and_unit_deactivation"


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_BASE_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"] if PG_BASE_URL else ["sqlite"])
def settings(request, tmp_path, monkeypatch):
    """A data dir and an empty database the CLI reaches through SEPEDA_* variables."""
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SEPEDA_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        yield load_settings(data_dir=tmp_path / "data")
        return
    name = f"sepeda_migrate_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = f"{PG_BASE_URL.rsplit('/', 1)[0]}/{name}"
    monkeypatch.setenv("SEPEDA_DATABASE_URL", url)
    yield load_settings(data_dir=tmp_path / "data", database_url=url)
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _backups(settings) -> list:
    folder = settings.data_dir / "backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_new_database_is_created_and_nothing_is_backed_up(settings):
    result = runner.invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "Skema basis data dibuat" in result.output and OLDER in result.output
    assert _backups(settings) == []
    assert asyncio.run(migration_state(settings))[0] == []
    again = runner.invoke(cli, ["migrate"])
    assert again.exit_code == 0 and "sudah mutakhir" in again.output
    assert _backups(settings) == []


def test_an_older_database_is_backed_up_with_its_rows_before_it_changes(settings):
    async def older_with_a_unit() -> None:
        await migrate_database(settings, target=OLDER)
        await open_database(settings, run_migrations=False)
        try:
            await Unit.create(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.SKPD)
        finally:
            await close_database()

    asyncio.run(older_with_a_unit())
    pending, applied = asyncio.run(migration_state(settings))
    assert pending and applied == 6
    result = runner.invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "Cadangan basis data sebelum migrasi" in result.output
    assert "Skema basis data diperbarui" in result.output and pending[0] in result.output
    (backup,) = _backups(settings)
    if settings.is_sqlite:
        copy = sqlite3.connect(backup)
        try:
            assert copy.execute("SELECT name FROM units").fetchall() == [("Dinas Kesehatan",)]
            names = [row[0] for row in copy.execute("SELECT name FROM tortoise_migrations")]
            assert max(names) == OLDER.split(".")[1]  # the copy is of the database as it was
        finally:
            copy.close()
    else:
        listing = subprocess.run(["pg_restore", "--list", str(backup)], capture_output=True,
                                 text=True, check=True).stdout  # fmt: skip
        assert "TABLE DATA public units" in listing
    assert asyncio.run(migration_state(settings))[0] == []


def test_without_pg_dump_postgres_is_left_unchanged_and_sqlite_needs_none(settings, monkeypatch):
    asyncio.run(migrate_database(settings, target=OLDER))
    monkeypatch.setattr("archive.migrate.shutil.which", lambda name: None)
    result = runner.invoke(cli, ["migrate"])
    if settings.is_sqlite:  # copied by Python's own sqlite3: no outside tool involved
        assert result.exit_code == 0 and len(_backups(settings)) == 1
        return
    assert result.exit_code == 1 and "pg_dump tidak ditemukan" in result.output
    assert asyncio.run(migration_state(settings))[1] == 6  # still the older schema
    assert runner.invoke(cli, ["migrate", "--no-backup"]).exit_code == 0
    assert asyncio.run(migration_state(settings))[0] == []


def test_serve_migrates_first(settings):
    assert os.environ["SEPEDA_DATA_DIR"]  # the command reads the same data dir
    asyncio.run(migrate_database(settings, target=OLDER))
    from archive.cli.migrate import run_migrations

    run_migrations()
    assert asyncio.run(migration_state(settings))[0] == []
    assert len(_backups(settings)) == 1
