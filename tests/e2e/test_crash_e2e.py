"""SIGKILL at random moments during concurrent uploads and extraction, round after round.

After every crash no child of the server survives (the sandbox's readers die with it); after
the last restart every upload the server acknowledged is there with its exact bytes, and
`sepeda fsck` finds database, blobs and index in agreement (blobs of uploads cut off before
their answer are at most noted as recent, never an error).
"""

import hashlib
import random
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.documents import pdf_bytes
from tests.e2e.server import start_server
from tests.e2e.test_evidence_e2e import ready_admin
from tests.e2e.test_search_e2e import settled

pytestmark = [
    pytest.mark.slow,
    # One pass is enough for CI's time budget: PostgreSQL's (SQLite's WAL durability is
    # crash-tested in tests/e2e/test_search_e2e.py).
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass"),
]

ROUNDS = 3
UPLOADERS = 3
SEED = 20261206


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def upload_until(stop: threading.Event, base_url: str, auth: dict, url: str, tag: str, acked: list):
    """Upload distinct PDFs until told to stop or the server dies; keep what was answered."""
    n = 0
    with httpx.Client(base_url=base_url, timeout=10) as http:
        while not stop.is_set():
            n += 1
            content = pdf_bytes(f"KEPUTUSAN BUPATI {tag} NOMOR {n}", "LAMPIRAN " * 200)
            try:
                response = http.post(
                    url,
                    data={"indicator": "regulasi"},
                    files={"file": (f"sk-{tag}-{n}.pdf", content)},
                    headers=auth,
                )
            except httpx.HTTPError:
                return  # the server is gone: this upload was never acknowledged
            if response.status_code == 201:
                acked.append((response.json()["id"], hashlib.sha256(content).hexdigest()))


async def test_uploads_acknowledged_before_a_crash_survive_every_round(tmp_path):
    if PG_URL:
        await reset_postgres(PG_URL)
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    acked: list[tuple[int, str]] = []
    auth: dict[str, str] = {}
    url = ""
    for round_ in range(ROUNDS):
        server = start_server(data_dir, *(["--demo"] if round_ == 0 else []), database_url=PG_URL)
        try:
            if round_ == 0:
                with httpx.Client(base_url=server.base_url, timeout=30) as http:
                    auth = ready_admin(http, server, "admin.dinkes")
                    innovation = http.post(
                        "/api/innovations",
                        json={"year": 2026, "unit": "DINKES", "name": "Uji Ketahanan"},
                        headers=auth,
                    ).json()
                url = f"/api/innovations/{innovation['id']}/evidence"
            stop = threading.Event()
            threads = [
                threading.Thread(
                    target=upload_until,
                    args=(stop, server.base_url, auth, url, f"R{round_}U{i}", acked),
                )
                for i in range(UPLOADERS)
            ]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.5, 2.5))  # mid-upload, mid-extraction, mid-commit
            below = descendants(server.process.pid)
            server.kill()
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            # No reader of the sandbox outlives the server it served.
            deadline = time.monotonic() + 10
            while any(alive(p) for p in below) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [p for p in below if alive(p)], f"round {round_}: children survived"
        finally:
            server.stop()

    assert len(acked) >= ROUNDS  # the rounds did upload something
    print(f"{ROUNDS} crashes, {len(acked)} acknowledged uploads checked")
    final = start_server(data_dir, database_url=PG_URL)
    try:
        report = settled(data_dir, timeout=120)
        assert "sesuai" in report
        with httpx.Client(base_url=final.base_url, timeout=30) as http:
            for evidence_id, sha in acked:
                body = http.get(f"/api/evidence/{evidence_id}/file", headers=auth)
                assert body.status_code == 200, (evidence_id, body.text[:200])
                assert hashlib.sha256(body.content).hexdigest() == sha
    finally:
        final.stop()
