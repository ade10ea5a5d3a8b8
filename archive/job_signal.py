"""Waking the workers of other processes when jobs are queued, so they start at once instead
of at their next poll.

With PostgreSQL, a ``NOTIFY`` on one channel that every worker on every machine listens to
(delivered when the queuing transaction commits). With SQLite, which lives on one machine, the
modification time of a file in the data dir, which the workers watch. Polling
(``worker_poll_s``) stays underneath: a lost signal delays a job by one poll, never loses it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tortoise import connections

from archive.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "sepeda_jobs"
WAKE_FILE = ".jobs-queued"
# How often a SQLite worker looks at the file: a stat call, not a query.
WATCH_INTERVAL_S = 0.1
# How long a PostgreSQL listener waits before connecting again after losing its connection.
RECONNECT_S = 5.0


async def jobs_queued(app: Any) -> None:
    """New jobs wait in the queue: wake this process's worker, if it has one, and the others."""
    worker = getattr(app.state, "worker", None)
    if worker is not None:
        worker.wake()
    await announce(app.state.settings)


async def announce(settings: Settings) -> None:
    """Tell the workers of every process that jobs are waiting."""
    try:
        if settings.is_sqlite:
            (settings.data_dir / WAKE_FILE).touch()
        else:
            await connections.get("default").execute_script(f"NOTIFY {CHANNEL}")
    except Exception:  # the workers' poll finds the jobs anyway
        log.warning("could not signal the workers; they find the jobs at their next poll")


async def listen(settings: Settings, wake: Callable[[], None]) -> None:
    """Call ``wake`` whenever some process announces jobs; runs until cancelled."""
    if settings.is_sqlite:
        await _watch(settings.data_dir / WAKE_FILE, wake)
    else:
        await _listen_postgres(settings.db_url, wake)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


async def _watch(path: Path, wake: Callable[[], None]) -> None:
    last = _mtime(path)
    while True:
        await asyncio.sleep(WATCH_INTERVAL_S)
        now = _mtime(path)
        if now != last:
            last = now
            wake()


async def _listen_postgres(url: str, wake: Callable[[], None]) -> None:
    import asyncpg  # type: ignore[import-untyped]

    def notified(*_: object) -> None:
        wake()

    while True:
        try:
            conn = await asyncpg.connect(url)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("cannot listen for queued jobs; polling until connected again")
            await asyncio.sleep(RECONNECT_S)
            continue
        try:
            await conn.add_listener(CHANNEL, notified)
            wake()  # whatever was queued while nobody listened
            while not conn.is_closed():
                await asyncio.sleep(1.0)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("listening for queued jobs failed; connecting again")
        finally:
            if not conn.is_closed():
                await conn.close()
