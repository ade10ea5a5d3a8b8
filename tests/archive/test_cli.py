"""The ``sepeda`` command line: accounts from the terminal."""

import pytest
from typer.testing import CliRunner

from archive.cli import app as cli
from tests.conftest import PG_URL

runner = CliRunner()


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SEPEDA_DATABASE_URL", PG_URL)
    monkeypatch.setenv("SEPEDA_PASSWORD", "dari-terminal-1")
    return settings


def run(*args: str):
    return runner.invoke(cli, list(args))


def test_user_add_creates_an_account_that_can_log_in(env):
    result = run("user", "add", "operator", "--role", "staff", "--full-name", "Operator")
    assert result.exit_code == 0, result.output
    assert "operator" in result.output

    import asyncio

    from archive.db import close_database, open_database
    from archive.models import User
    from archive.security import verify_password

    async def check() -> User:
        await open_database(env)
        try:
            return await User.get(username="operator")
        finally:
            await close_database()

    user = asyncio.run(check())
    assert user.role == "staff"
    assert verify_password(user.password_hash, "dari-terminal-1")
    assert not user.must_change_password


def test_user_add_refuses_duplicates_and_bad_input(env):
    assert run("user", "add", "operator", "--role", "staff").exit_code == 0
    duplicate = run("user", "add", "operator", "--role", "staff")
    assert duplicate.exit_code == 1
    assert "sudah dipakai" in duplicate.output
    assert run("user", "add", "x", "--role", "raja").exit_code == 2
    no_unit = run("user", "add", "admin.x", "--role", "admin")
    assert no_unit.exit_code == 1
    assert "unit" in no_unit.output
    unknown_unit = run("user", "add", "admin.y", "--role", "admin", "--unit", "NONE")
    assert unknown_unit.exit_code == 1


def test_user_add_refuses_a_weak_password(env, monkeypatch):
    monkeypatch.setenv("SEPEDA_PASSWORD", "123")
    result = run("user", "add", "lemah", "--role", "verifier")
    assert result.exit_code == 1
    assert "minimal 8" in result.output


def test_a_worker_does_not_start_on_a_schema_migrate_has_not_brought_up(tmp_path, monkeypatch):
    if PG_URL:
        import asyncio

        from tests.conftest import reset_postgres

        asyncio.run(reset_postgres(PG_URL))
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SEPEDA_DATABASE_URL", PG_URL)
    refused = run("worker")
    assert refused.exit_code == 1
    assert "sepeda migrate" in refused.output
    assert not (tmp_path / "data" / "worker.heartbeat").exists()


def test_each_web_process_leaves_its_start_up_objects_out_of_garbage_collection(env, monkeypatch):
    """`sepeda serve` and each process of `--workers N` freeze what start-up built
    (`archive.heap`): a year's page no longer pays for collections over all of it."""
    import gc

    import uvicorn

    from archive.app import app_from_environment

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(gc.get_freeze_count()))
    monkeypatch.setenv("SEPEDA_WORKER", "false")  # serve sets it for its web processes
    assert gc.get_freeze_count() == 0
    try:
        result = run("serve", "--no-worker")
        assert result.exit_code == 0, result.output
        gc.unfreeze()
        app_from_environment()
        from_environment = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    # Everything alive after start-up: the modules, routes and templates of the app.
    assert served and served[0] > 50_000
    assert from_environment > 50_000
