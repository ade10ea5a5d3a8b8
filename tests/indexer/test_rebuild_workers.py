"""The processes a rebuild forks (Whoosh's writers, PostgreSQL's analysers) never outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

POSTGRES = """
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

WHOOSH = """
import multiprocessing, sys, tempfile, threading, time
from indexer.search import SearchIndex
from tests.indexer.test_backend_contract import evidence

def report():
    while not (children := multiprocessing.active_children()):
        time.sleep(0.02)
    print(" ".join(str(c.pid) for c in children), flush=True)

threading.Thread(target=report, daemon=True).start()
docs = [evidence(n, n % 50 + 1, f"halaman {n} penetapan inovasi daerah " * 40) for n in range(8000)]
SearchIndex.open(tempfile.mkdtemp() + "/index").rebuild(docs, procs=2)
time.sleep(3600)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\\nState:\\tZ" not in status  # a zombie has ended; only its parent may reap it


@pytest.mark.parametrize("script", [WHOOSH, POSTGRES], ids=["whoosh", "postgres"])
def test_a_killed_rebuild_leaves_no_process_behind(script: str) -> None:
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True
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
