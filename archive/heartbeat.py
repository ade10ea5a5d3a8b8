"""The worker's heartbeat: a small file in the data dir that the health check reads.

A file rather than a row: beating every few seconds should not write to the database, and the
web processes and the worker share the data dir anyway (the blobs live there).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

FILE = "worker.heartbeat"
INTERVAL_S = 10.0
# A worker that has not beaten for this long is taken for dead (a few missed beats).
STALE_AFTER_S = 60.0


def beat(data_dir: Path) -> None:
    """Say the worker is alive, atomically (a reader never sees half a file)."""
    path = data_dir / FILE
    temp = path.with_name(f".{FILE}.{os.getpid()}")
    temp.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
    os.replace(temp, path)


def age(data_dir: Path) -> float | None:
    """Seconds since the last beat, or None when no worker ever beat here."""
    try:
        at = json.loads((data_dir / FILE).read_text())["at"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return max(0.0, time.time() - float(at))


def clear(data_dir: Path) -> None:
    """This worker stopped cleanly: no heartbeat rather than an old one (unless another
    worker's beat is there)."""
    path = data_dir / FILE
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink(missing_ok=True)
    except (OSError, ValueError, AttributeError):
        pass
