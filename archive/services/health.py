"""What `/api/health` reports: the database, the blob store, the index, the worker, the queue.

Only a failing database or blob store makes the installation "down" (503): nothing can be
stored. A missing index or a worker not seen for a minute is "degraded": pages work, but
uploads wait to be read and found, which the operator must hear about all the same.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tortoise import connections

from archive import heartbeat
from archive.models import Job, JobState
from archive.settings import Settings
from indexer import generations
from indexer.schema import INDEX_VERSION


@dataclass(frozen=True)
class Health:
    status: str  # ok | degraded | down
    checks: dict[str, dict[str, Any]]

    @property
    def serving(self) -> bool:
        return self.status != "down"


async def check(settings: Settings, *, worker_running: bool | None) -> Health:
    """``worker_running``: the state of this process's own worker, None when it has none."""
    database = await _database()
    blobs = "ok" if await asyncio.to_thread(_writable, settings.blob_dir) else "down"
    index = await asyncio.to_thread(_index_state, settings.index_dir)
    age = heartbeat.age(settings.data_dir)
    fresh = age is not None and age <= heartbeat.STALE_AFTER_S
    # A worker never seen is as useless as one gone silent: uploads wait either way.
    worker = "ok" if (worker_running if worker_running is not None else fresh) else "stale"
    last_seen = None if age is None else datetime.fromtimestamp(time.time() - age, UTC)
    pending = await Job.filter(state=JobState.PENDING).count() if database == "ok" else None
    if database != "ok" or blobs != "ok":
        status = "down"
    elif index != "ok" or worker != "ok":
        status = "degraded"
    else:
        status = "ok"
    checks: dict[str, dict[str, Any]] = {
        "database": {"status": database},
        "blobs": {"status": blobs},
        "index": {"status": index},
        "worker": {
            "status": worker,
            "last_seen": last_seen.isoformat(timespec="seconds") if last_seen else None,
            "jobs_pending": pending,
        },
    }
    return Health(status, checks)


async def _database() -> str:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure to answer is the answer
        return "down"
    return "ok"


def _writable(directory: Path) -> bool:
    """Can a file be created there now (a read-only mount, a full disk, wrong owner)?"""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".health-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError:
        return False
    return True


def _index_state(root: Path) -> str:
    folder = generations.current(root)
    if folder is None:
        return "absent"
    return "ok" if generations.read_version(folder) == INDEX_VERSION else "outdated"
