"""Schema migrations: an old database upgrades in place, and the models match the migrations."""

import pkgutil

import archive.migrations
from archive.db import APP_LABEL, migrate_database, open_database, tortoise_config
from archive.models import Innovation, Unit
from archive.settings import Settings, load_settings
from tests.conftest import PG_URL, reset_postgres


def migration_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(archive.migrations.__path__))


async def test_a_database_at_the_first_migration_upgrades_to_the_latest(tmp_path):
    from tortoise import Tortoise, connections

    settings = load_settings(data_dir=tmp_path / "old", database_url=PG_URL)
    if PG_URL:
        await reset_postgres(PG_URL)
    first = migration_names()[0]
    await migrate_database(settings, target=f"{APP_LABEL}.{first}")

    # Rows written by the oldest schema, with plain SQL so later model fields cannot help.
    await Tortoise.init(config=tortoise_config(settings))
    conn = connections.get("default")
    await conn.execute_query(
        "INSERT INTO units (code, name, kind, created_at) "
        "VALUES ('LAMA', 'Unit Lama', 'skpd', '2021-01-05 00:00:00+00:00')"
    )
    await Tortoise.close_connections()

    await open_database(settings)  # what `sepeda serve` does on start
    try:
        unit = await Unit.get(code="LAMA")
        assert unit.name == "Unit Lama"
        innovation = await Innovation.create(year=2026, unit=unit, name="Setelah upgrade")
        assert innovation.status == "draft"
    finally:
        await Tortoise.close_connections()


async def test_models_have_no_changes_missing_a_migration():
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config(Settings(database_url="sqlite://:memory:"))
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "model changes without a migration: run tortoise makemigrations"


def test_every_added_column_can_be_added_to_a_table_with_rows():
    """A NOT NULL column added later needs a database default, or SQLite refuses it outright
    and PostgreSQL refuses it as soon as the table has rows."""
    import importlib

    from tortoise.migrations import operations as ops

    missing = []
    for name in migration_names():
        module = importlib.import_module(f"archive.migrations.{name}")
        for op in module.Migration.operations:
            if isinstance(op, ops.AddField) and not op.field.null and not op.field.has_db_default():
                missing.append(f"{name}: {op.model_name}.{op.name}")
    assert missing == []
