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
from archive.search_engine import open_search
from archive.settings import Settings
from indexer.search_backend import SearchBackend


@dataclass(frozen=True)
class Health:
    status: str  # ok | degraded | down
    checks: dict[str, dict[str, Any]]

    @property
    def serving(self) -> bool:
        return self.status != "down"


async def check(
    settings: Settings, *, worker_running: bool | None, search: SearchBackend | None = None
) -> Health:
    """``worker_running``: the state of this process's own worker, None when it has none;
    ``search``: the app's open search backend (None: open one for this check)."""
    database = await _database()
    blobs = "ok" if await asyncio.to_thread(_writable, settings.blob_dir) else "down"
    readable = database == "ok" or settings.search_engine == "whoosh"
    index, engine = await _index_state(settings, search) if readable else ("unknown", None)
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
        "index": {"status": index, "backend": engine},
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


async def _index_state(settings: Settings, search: SearchBackend | None) -> tuple[str, str]:
    """``ok``, ``absent`` (not built yet) or ``outdated``, and the backend's name."""
    backend = search
    try:
        if backend is None:
            backend = await open_search(settings, writer=False)
    except Exception:  # an unreadable index is as good as none
        return "absent", settings.search_engine
    try:
        state = await backend.state()
    except Exception:
        state = "missing"
    finally:
        if search is None:  # opened for this check only
            await backend.close()
    return ("absent" if state == "missing" else state), backend.name
