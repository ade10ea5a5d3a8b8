"""Schemathesis over the OpenAPI document of the real server: no input makes it answer 5xx.

Run as staff (every route) and as a unit's admin (scoped routes), with a fixed seed and
budget, against `sepeda serve --demo` on the suite's database. Schemathesis generates cases
from the schema (boundaries, wrong types, huge numbers, odd strings, stateful sequences) and
fails on any server error.
"""

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.e2e.server import start_server
from tests.e2e.test_evidence_e2e import ready_admin

pytestmark = [
    pytest.mark.slow,
    # One pass is enough for CI's time budget: SQLite's (the crash test takes PostgreSQL's).
    pytest.mark.skipif(bool(PG_URL), reason="runs in the SQLite pass"),
]

SEED = "20261206"
EXAMPLES = "10"  # per operation and phase; about 3,000 requests a role


@pytest.fixture
async def server(tmp_path):
    if PG_URL:
        await reset_postgres(PG_URL)
    running = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    yield running
    running.stop()


@pytest.mark.parametrize("username", ["staf.brida", "admin.dinkes"])
def test_no_generated_request_gets_a_server_error(server, username):
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        auth = ready_admin(http, server, username)["Authorization"]
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "run",
            f"{server.base_url}/openapi.json",
            "--header",
            f"Authorization: {auth}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            EXAMPLES,
            "--seed",
            SEED,
            "--request-timeout",
            "30",
            # Logging out or changing the password would end the run's own session.
            "--exclude-path-regex",
            "/api/auth/(logout|password)",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # On failure: Schemathesis's failures section (each with a curl line to reproduce it) and
    # the server's traceback.
    failures = result.stdout.split("FAILURES", 1)[-1].split("SUMMARY", 1)[0]
    traceback = server.log().split("Traceback", 1)[-1][:4000] if "Traceback" in server.log() else ""
    report = failures[-8000:] + result.stderr[-2000:] + "\nserver: " + traceback
    assert result.returncode == 0, report
    generated = re.search(r"(\d+) generated", result.stdout)
    assert generated and int(generated.group(1)) >= 1000, report
    assert "Internal Server Error" not in server.log()
