"""Worker processes forked from a running process: how they start, and that they end with it.

Whoosh's parallel rebuild writers (`indexer.codec`) and the PostgreSQL rebuild's analysers
(`indexer.pg_backend`) are forked (Linux's default before Python 3.14, set explicitly): no
re-import of the caller's main module, so a rebuild works from any entry point, a script
without a ``__main__`` guard included. A child only reads its job queue and does its own work,
so locks that other threads of the caller (event loop helpers, progress bars) held at fork
time are never needed there, and it ends with ``os._exit``, never touching the connections it
inherited.

A forked child holds both ends of its job pipe, so when its parent is SIGKILLed it waits on
that pipe forever: `exit_with_parent` ends it instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Any

CONTEXT: Any = multiprocessing.get_context(
    "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
)
# How often a child looks whether its parent is still there.
PARENT_CHECK_S = 0.5


def exit_with_parent(parent: int) -> None:
    """In a child: end this process once ``parent`` (a pid) is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="sepeda-parent-watch", daemon=True).start()
