"""SIGKILL during a full `sepeda reindex`, while the server takes uploads, round after round.

A rebuild writes a new index generation beside the live one and swaps it in with one rename,
so a kill at any moment leaves the old index serving (and the half-written one is swept when
the writer opens the index again): after every round no child of the
server or of the reindex survives, and after the last restart `sepeda fsck` finds database,
blobs and index in agreement and search finds every acknowledged upload by its own word.
PostgreSQL's search rebuild is one transaction (nothing to crash-test beyond the database);
this runs in the SQLite pass, on the on-disk Whoosh index.
"""

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL
from tests.documents import pdf_bytes
from tests.e2e.server import cli_environment, start_server
from tests.e2e.test_crash_e2e import alive, descendants
from tests.e2e.test_evidence_e2e import ready_admin
from tests.e2e.test_search_e2e import search, settled

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(PG_URL), reason="the on-disk index; runs in the SQLite pass"),
]

ROUNDS = 2
SEED = 20261207


def word(n: int) -> str:
    """A letters-only word of its own per upload (digits would split it into three tokens)."""
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if n == 0:
            return f"reindekskrash{letters}"


def start_reindex(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "archive", "reindex"],
        cwd=data_dir.parent,
        env=cli_environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def upload_until(stop, base_url: str, auth: dict, url: str, counter, acked: list) -> None:
    """Upload PDFs, each with its own word, until told to stop or the server dies."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        while not stop.is_set():
            unique = word(next(counter))
            content = pdf_bytes(f"KEPUTUSAN BUPATI {unique}", "LAMPIRAN " * 100)
            try:
                answer = http.post(
                    url,
                    data={"indicator": "regulasi"},
                    files={"file": (f"sk-{unique}.pdf", content)},
                    headers=auth,
                )
            except httpx.HTTPError:
                return  # the server is gone: this upload was never acknowledged
            if answer.status_code == 201:
                acked.append((answer.json()["id"], unique))


def building(index_dir: Path) -> bool:
    """A generation folder is being written beside the live one."""
    live = (index_dir / "CURRENT").read_text().strip() if (index_dir / "CURRENT").exists() else ""
    return any(p.name.startswith("g-") and p.name != live for p in index_dir.glob("g-*"))


def test_a_reindex_killed_at_any_moment_leaves_a_working_index(tmp_path):
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    acked: list[tuple[int, str]] = []
    auth: dict[str, str] = {}
    url = ""
    killed_mid_build = 0
    counter = itertools.count(1)
    for round_ in range(ROUNDS):
        server = start_server(data_dir, *(["--demo"] if round_ == 0 else []))
        try:
            with httpx.Client(base_url=server.base_url, timeout=30) as http:
                if round_ == 0:
                    auth = ready_admin(http, server, "admin.dinkes")
                    innovation = http.post(
                        "/api/innovations",
                        json={"year": 2026, "unit": "DINKES", "name": "Uji Bangun Ulang"},
                        headers=auth,
                    ).json()
                    url = f"/api/innovations/{innovation['id']}/evidence"
                stop = threading.Event()
                uploader = threading.Thread(
                    target=upload_until, args=(stop, server.base_url, auth, url, counter, acked)
                )
                uploader.start()
                time.sleep(0.3)  # uploads in flight when the rebuild reads the database
                reindex = start_reindex(data_dir)
                deadline = time.monotonic() + 60
                while not building(data_dir / "index") and reindex.poll() is None:
                    assert time.monotonic() < deadline, "the reindex never started writing"
                    time.sleep(0.005)
                # The first round kills as soon as the writing starts; later ones somewhere in it.
                time.sleep(rng.uniform(0, 0.05) if round_ else 0)
                below = descendants(server.process.pid) | descendants(reindex.pid)
                killed_mid_build += reindex.poll() is None and building(data_dir / "index")
                os.kill(reindex.pid, signal.SIGKILL)
                server.kill()
                reindex.wait()
                stop.set()
                uploader.join(timeout=30)
            end = time.monotonic() + 10
            while any(alive(p) for p in below) and time.monotonic() < end:
                time.sleep(0.1)
            assert not [p for p in below if alive(p)], f"round {round_}: children survived"
        finally:
            server.stop()

    assert killed_mid_build >= 1, "no round killed the rebuild while it was writing"
    print(f"{ROUNDS} rounds, {killed_mid_build} killed mid-build, {len(acked)} uploads checked")
    final = start_server(data_dir)
    try:
        assert "sesuai" in settled(data_dir, timeout=120)
        # The half-written generations of the killed rebuilds were swept at the restart.
        index_dir = data_dir / "index"
        live = (index_dir / "CURRENT").read_text().strip()
        assert [p.name for p in index_dir.glob("g-*")] == [live]
        with httpx.Client(base_url=final.base_url, timeout=30) as http:
            for evidence_id, unique in acked:
                hits = [h["evidence_id"] for h in search(http, auth, unique)["hits"]]
                assert evidence_id in hits, (unique, hits)
    finally:
        final.stop()
