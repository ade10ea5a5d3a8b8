"""The processes a PostgreSQL rebuild analyses its pages in never outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = """
import asyncio, multiprocessing
from indexer.pg_backend import _analysed
from tests.indexer.test_backend_contract import DOCS

async def main():
    async def batches():
        while True:
            yield DOCS
            await asyncio.sleep(0.01)
    async for _rows in _analysed(batches()):
        children = multiprocessing.active_children()
        if children:
            print(" ".join(str(c.pid) for c in children), flush=True)
            await asyncio.sleep(3600)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\\nState:\\tZ" not in status  # a zombie has ended; only its parent may reap it


def test_a_killed_rebuild_leaves_no_analysing_process(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-c", SCRIPT], cwd=root, stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            children = [int(pid) for pid in proc.stdout.readline().split()]
            assert children and all(_alive(pid) for pid in children)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children)
