"""Hypothesis mutates real PDFs, DOCX and XLSX files; uploading and reading them never fails
the server: every upload answers 201 or a 4xx, every stored file is read to an end state in
bounded time, and the archive keeps serving."""

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.worker import Worker
from tests.archive.helpers import build_world
from tests.conftest import DATA
from tests.documents import docx_bytes, xlsx_bytes

pytestmark = pytest.mark.slow

SEEDS = [
    ("contoh.pdf", (DATA / "sample-pdfs" / "pdflatex-4-pages.pdf").read_bytes()),
    ("contoh-2.pdf", (DATA / "sample-pdfs" / "multicolumn.pdf").read_bytes()),
    ("daftar-hadir.docx", docx_bytes("Daftar hadir sosialisasi", "1. Siti Aminah", "2. Budi")),
    ("anggaran.xlsx", xlsx_bytes([["Uraian", "Jumlah"], ["Honor narasumber", 1500000]])),
]
END_STATES = {"done", "no_text", "not_applicable", "encrypted", "failed"}

# One mutation: where (a share of the file), what (flip bytes, cut, insert, repeat a slice).
mutation = st.tuples(
    st.sampled_from(["flip", "cut", "insert", "repeat"]),
    st.floats(min_value=0, max_value=1),
    st.binary(min_size=1, max_size=32),
)
cases = st.tuples(st.integers(0, len(SEEDS) - 1), st.lists(mutation, min_size=1, max_size=4))


def mutate(content: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(content)
    for kind, where, payload in steps:
        at = int(where * max(len(data) - 1, 0))
        if kind == "flip":
            data[at : at + len(payload)] = bytes(
                b ^ p for b, p in zip(data[at:], payload, strict=False)
            )
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = payload
        else:
            data[at:at] = data[at : at + 4096] * 3
    return bytes(data)


@pytest.fixture
async def world(client):
    return await build_world(client)


@pytest.fixture
async def worker(app):
    settings_ = app.state.settings.model_copy(
        update={"extract_workers": 1, "extract_timeout_s": 30}
    )
    running = Worker(settings_)
    yield running
    await running.stop()


@settings(
    max_examples=24,
    derandomize=True,  # the same cases on every run: CI stays reproducible
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases)
async def test_mutated_files_are_refused_or_read_never_a_server_error(client, world, worker, case):
    seed, steps = case
    name, original = SEEDS[seed]
    content = mutate(original, steps)
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": (name, content)},
        headers=world.headers["admin_a"],
    )
    assert response.status_code in (201, 413, 415, 422), response.text
    if response.status_code != 201:
        assert response.json()["detail"]  # a reason, in Indonesian
        return
    await asyncio.wait_for(worker.drain(), timeout=90)
    evidence = await client.get(
        f"/api/evidence/{response.json()['id']}", headers=world.headers["admin_a"]
    )
    assert evidence.status_code == 200
    assert evidence.json()["extraction"]["status"] in END_STATES
    text = await client.get(
        f"/api/evidence/{response.json()['id']}/text", headers=world.headers["admin_a"]
    )
    assert text.status_code in (200, 404, 409), text.text
