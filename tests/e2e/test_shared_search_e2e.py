"""Two servers, one PostgreSQL: an upload to either is found through the other within a second.

The servers share the database (and the blob folder, as machines would share a network mount);
search lives in PostgreSQL, written through the outbox by whichever worker takes the job.
"""

import time

import httpx
import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.documents import pdf_bytes
from tests.e2e.server import WORKER_RUNS, start_server
from tests.e2e.test_evidence_e2e import ready_admin

pytestmark = [
    pytest.mark.slow,
    pytest.mark.solo,  # found through the other server within a second
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass (SEPEDA_TEST_DATABASE_URL)"),
]


def first_seen(clients: dict[str, httpx.Client], headers: dict, word: str, timeout: float) -> dict:
    """When each client first finds ``word`` (monotonic seconds), polling every 50 ms."""
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(clients) and time.monotonic() < deadline:
        for name, http in clients.items():
            if name in seen:
                continue
            found = http.get("/api/search", params={"q": word}, headers=headers).json()
            if found["total"]:
                seen[name] = time.monotonic()
        time.sleep(0.05)
    return seen


async def test_two_servers_sharing_postgresql_find_each_others_uploads(tmp_path):
    await reset_postgres(PG_URL)
    data_dir = tmp_path / "data"
    one = start_server(data_dir, "--demo", database_url=PG_URL)
    two = start_server(data_dir, database_url=PG_URL)
    try:
        with (
            httpx.Client(base_url=one.base_url, timeout=30) as a,
            httpx.Client(base_url=two.base_url, timeout=30) as b,
        ):
            assert a.get("/api/health").json()["checks"]["index"]["backend"] == "postgres"
            # Each server's worker says so once it can read files (its index open and its
            # reader started); until then it leaves uploads to the other.
            for server in (one, two):
                deadline = time.monotonic() + 60
                while WORKER_RUNS not in server.log():
                    assert time.monotonic() < deadline, server.log()[-2000:]
                    time.sleep(0.1)
            admin = ready_admin(a, one, "admin.dinkes")
            innovation = a.post(
                "/api/innovations",
                json={"year": 2026, "unit": "DINKES", "name": "Posyandu Bersama"},
                headers=admin,
            ).json()
            url = f"/api/innovations/{innovation['id']}/evidence"
            clients = {"one": a, "two": b}
            delays = []
            for n, (server, http) in enumerate([("one", a), ("two", b), ("one", a)]):
                # One token: letters only (digits would split it into three words, and the
                # search would fall back to pages holding any of them).
                word = f"kataunik{'abc'[n]}xyz"
                started = time.monotonic()
                response = http.post(
                    url,
                    data={"indicator": "regulasi"},
                    files={"file": (f"sk-{n}.pdf", pdf_bytes("KEPUTUSAN BUPATI", word.upper()))},
                    headers=admin,
                )
                assert response.status_code == 201, response.text
                seen = first_seen(clients, admin, word, timeout=30)
                assert set(seen) == {"one", "two"}, (server, seen, one.log()[-2000:])
                # Whichever server took the upload, the other finds it as soon as it does.
                assert abs(seen["one"] - seen["two"]) < 0.5, seen
                delays.append(max(seen.values()) - started)
            # From the upload's answer to both servers finding it (after a warm-up upload that
            # starts the extraction sandboxes): within a second.
            print("upload to found on both servers (s):", [round(d, 3) for d in delays])
            assert max(delays[1:]) < 1.0, delays

            # A deletion through one server leaves the other's results at once.
            evidence_id = response.json()["id"]
            assert b.delete(f"/api/evidence/{evidence_id}", headers=admin).status_code in (200, 204)
            assert (
                a.get("/api/search", params={"q": "kataunikcxyz"}, headers=admin).json()["total"]
                == 0
            )
    finally:
        two.stop()
        one.stop()
