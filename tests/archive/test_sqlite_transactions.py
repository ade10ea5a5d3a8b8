"""SQLite shared by several processes: a transaction that read first still writes after
another process wrote (the web processes, the worker and the CLI share one file)."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest
from tortoise.transactions import in_transaction

from archive.models import Job, JobKind, JobState


def _other_process_queues(path: str, ref: str) -> None:
    """Another process (its own connection, Python's sqlite3) queues a job and commits."""
    other = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        other.execute(
            "INSERT INTO jobs (kind, ref, queue, slow, state, attempts, created_at, updated_at)"
            " VALUES ('extract', ?, 'cli', 0, 'pending', 0, datetime('now'), datetime('now'))",
            (ref,),
        )
    finally:
        other.close()


async def test_a_transaction_that_read_first_writes_after_another_process_wrote(settings, app):
    if not settings.is_sqlite:
        pytest.skip("SQLite's locking; PostgreSQL locks rows")
    path = settings.db_url.removeprefix("sqlite://")
    await Job.create(kind=JobKind.EXTRACT, ref="a" * 64, queue="cli")

    async with in_transaction():
        # The claim of a job: read what waits, then take it.
        waiting = await Job.filter(state=JobState.PENDING).first()
        assert waiting is not None
        # Meanwhile another process writes. With a deferred BEGIN its commit lands between
        # our read and our write, and our write then fails at once ("database is locked");
        # with BEGIN IMMEDIATE it waits for our commit.
        other = asyncio.create_task(asyncio.to_thread(_other_process_queues, path, "b" * 64))
        await asyncio.sleep(0.5)
        taken = await Job.filter(id=waiting.id, state=JobState.PENDING).update(
            state=JobState.RUNNING
        )
        assert taken == 1
    await other

    states = dict(await Job.all().values_list("ref", "state"))
    assert states == {"a" * 64: JobState.RUNNING, "b" * 64: JobState.PENDING}


async def test_a_write_waits_for_another_process_that_holds_the_lock(settings, app):
    """Every connection waits (the busy timeout) instead of failing at once while another
    process writes; here the other holds its write lock for half a second."""
    if not settings.is_sqlite:
        pytest.skip("SQLite's locking; PostgreSQL locks rows")
    path = settings.db_url.removeprefix("sqlite://")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")

    def release_later() -> None:
        time.sleep(0.5)
        other.execute("COMMIT")
        other.close()

    releasing = asyncio.create_task(asyncio.to_thread(release_later))
    await Job.create(kind=JobKind.EXTRACT, ref="c" * 64, queue="cli")
    await releasing
    assert await Job.filter(ref="c" * 64).exists()
