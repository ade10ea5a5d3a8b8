"""Shared fixtures: a fresh data dir and database per test, the app over real HTTP (ASGI).

``SEPEDA_TEST_DATABASE_URL`` runs the suite against PostgreSQL instead of SQLite; each test
then starts from an empty schema.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from archive import create_app, load_settings
from archive.settings import Settings

PG_BASE_URL = os.environ.get("SEPEDA_TEST_DATABASE_URL", "")
# Each test run gets its own database beside the given one, so two runs on one server (a
# developer and CI, or parallel sessions) cannot drop each other's tables.
PG_URL = f"{PG_BASE_URL.rsplit('/', 1)[0]}/sepeda_test_{os.getpid()}" if PG_BASE_URL else ""
IN_CI = os.environ.get("CI", "").lower() == "true"
# Real documents the tests read, copied from the team's corpus (sources in tests/data/*/README.md).
DATA = Path(__file__).resolve().parent / "data"


def need(condition: bool, reason: str) -> None:
    """Skip when a tool or service is missing; under CI=true that is a failure instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


async def reset_postgres(url: str) -> None:
    """Drop everything: the database is migrated from nothing."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


async def empty_postgres(url: str) -> None:
    """Empty every table but the migration records and restart the ids: a fresh database,
    minus re-migrating. DELETE with foreign-key triggers off costs a few milliseconds where
    TRUNCATE of every table costs ninety, once per test."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT LIKE 'tortoise_migrations%'"
        )
        deletes = "".join(f'DELETE FROM "{row["tablename"]}";' for row in tables)
        await conn.execute(
            "SET session_replication_role = replica;" + deletes + "RESET session_replication_role;"
            "SELECT setval(oid::regclass, 1, false) FROM pg_class"
            " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace;"
        )
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
def postgres_database() -> Iterator[None]:
    """Create this run's PostgreSQL database, and drop it at the end."""
    if not PG_URL:
        yield
        return
    import asyncio

    import asyncpg

    name = PG_URL.rsplit("/", 1)[1]

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(PG_BASE_URL)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per session; each test starts from a copy (SQLite) or emptied tables (PG)."""
    import asyncio

    from archive.db import migrate_database

    data_dir = tmp_path_factory.mktemp("template")
    template_settings = load_settings(data_dir=data_dir, database_url=PG_URL)

    async def prepare() -> None:
        if PG_URL:
            await reset_postgres(PG_URL)
        await migrate_database(template_settings)

    asyncio.run(prepare())
    return data_dir / "sepeda.sqlite3"


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """Undo what a test's ``dictConfig`` did (``serve`` and the log tests configure logging):
    a handler left on the stream of a finished test's capture fails on every later record."""
    import logging

    def loggers() -> list[logging.Logger]:
        known = logging.root.manager.loggerDict.values()
        return [logging.root, *(lg for lg in known if isinstance(lg, logging.Logger))]

    saved = {lg: (lg.handlers[:], lg.level, lg.propagate, lg.disabled) for lg in loggers()}
    yield
    # Loggers born during the test keep what their module gave them.
    for logger, (handlers, level, propagate, disabled) in saved.items():
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2, with the smallest cost: the default costs half a second a hash here."""
    from argon2 import PasswordHasher

    import archive.security

    monkeypatch.setattr(
        archive.security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
async def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if PG_URL:
        await empty_postgres(PG_URL)
    else:
        shutil.copyfile(migrated_template, data_dir / "sepeda.sqlite3")
    # The background worker is off by default; extraction tests turn it on.
    return load_settings(data_dir=data_dir, database_url=PG_URL, login_max_failures=3, worker=False)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that never touch a database ``nodb``: the pure cores (``checklist/``,
    ``indexer/`` with Whoosh). CI's PostgreSQL pass leaves them out; they ran in the first.

    Under pytest-xdist (``-n auto``) the end-to-end tests go first: they are the longest
    (a minute for the reindex crash test), and last they would leave one worker running
    them alone at the end while the other sits idle."""
    for item in items:
        parts = item.path.parts
        pure = "checklist" in parts or ("indexer" in parts and "postgres" not in item.nodeid)
        if pure and "tests" in parts:
            item.add_marker(pytest.mark.nodb)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: "e2e" not in item.path.parts)  # stable: same order in all


# Tests marked ``solo`` time something against the wall clock (a wake-up within half a
# second, an upload found through another server within a second). Under pytest-xdist they
# run while no other test runs: every test holds a shared lock on one file for its whole
# run (setup to teardown), a solo test an exclusive one. Everyone queues at a second file
# first, so a waiting solo test is not starved by the other workers' stream of shared locks.
LOCKS = "SEPEDA_TEST_LOCKS"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None):
        # The controller, before it starts the workers (they inherit its environment).
        os.environ[LOCKS] = tempfile.mkdtemp(prefix="sepeda-test-locks-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and os.environ.get(LOCKS):
        shutil.rmtree(os.environ.pop(LOCKS), ignore_errors=True)


@contextmanager
def _turn(solo: bool) -> Iterator[None]:
    folder = os.environ.get(LOCKS)
    if not folder:
        yield
        return
    with open(Path(folder) / "queue", "a") as queue, open(Path(folder) / "room", "a") as room:
        fcntl.flock(queue, fcntl.LOCK_EX)
        try:
            fcntl.flock(room, fcntl.LOCK_EX if solo else fcntl.LOCK_SH)
        finally:
            fcntl.flock(queue, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(room, fcntl.LOCK_UN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    with _turn(item.get_closest_marker("solo") is not None):
        return (yield)
