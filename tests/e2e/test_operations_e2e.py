"""Operations, end to end: several web processes, two `sepeda worker` processes on one queue,
the health check, `/metrics` and JSON logs, as a regency's server runs them."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import PG_URL, need, reset_postgres
from tests.e2e.server import WORKER_RUNS, Server, cli_environment, sepeda, start_server

pytestmark = pytest.mark.slow

ENVIRONMENT = {"SEPEDA_METRICS": "true", "SEPEDA_LOG_FORMAT": "json"}


@pytest.fixture
async def server(tmp_path) -> Iterator[Server]:
    if PG_URL:
        await reset_postgres(PG_URL)
    # Two web processes and no worker of their own: the demo's documents wait in the queue.
    running = start_server(
        tmp_path / "data", "--demo", "--workers", "2", "--no-worker",
        database_url=PG_URL, environment=ENVIRONMENT,
    )  # fmt: skip
    yield running
    running.stop()


def start_worker(data_dir: Path, log_path: Path) -> subprocess.Popen:
    one_slot = {"SEPEDA_EXTRACT_WORKERS": "1", "SEPEDA_WORKER_POLL_S": "0.2"}
    env = cli_environment(data_dir, PG_URL, {**ENVIRONMENT, **one_slot})
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "archive", "worker"],
            cwd=data_dir.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def wait_for(http: httpx.Client, condition, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        health = http.get("/api/health").json()
        if condition(health) or time.monotonic() > deadline:
            return health
        time.sleep(0.5)


SMALL_FILES = 6


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def drained(http: httpx.Client) -> None:
    """Nothing waits in the queue and nothing is in a worker's hands."""
    health = wait_for(http, lambda h: h["checks"]["worker"]["jobs_pending"] == 0)
    assert health["status"] == "ok", health
    # None waiting is not none being read: the last claimed document may still be in a
    # worker's hands; wait until the queue (waiting or being read) is empty too.
    wait_until(lambda: "sepeda_extraction_queue_length 0.0" in http.get("/metrics").text)


def scan_pdf(pages: int) -> bytes:
    """A scan without a text layer: only OCR reads it, a second or more a page."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    images = []
    for page in range(pages):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        font = ImageFont.load_default(size=40)
        for line in range(24):
            draw.text((120, 150 + line * 85), f"LAPORAN KEGIATAN HALAMAN {page} BARIS {line}",
                      fill=0, font=font)  # fmt: skip
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def ingest(data_dir: Path, folder: Path, http: httpx.Client) -> subprocess.CompletedProcess:
    """`sepeda ingest` the scan first, then the small files, into a demo innovation."""
    from tests.documents import pdf_bytes

    folder.mkdir()
    paths = [folder / "pindaian.pdf"]
    paths[0].write_bytes(scan_pdf(3))
    for n in range(SMALL_FILES):
        paths.append(folder / f"kecil-{n}.pdf")
        paths[-1].write_bytes(pdf_bytes(f"NOTULEN RAPAT KOORDINASI NOMOR {n}"))
    innovation = http.get("/api/innovations").json()[0]["id"]
    return sepeda(data_dir, "ingest", *map(str, paths), "--innovation", str(innovation),
                  "--indicator", "regulasi", database_url=PG_URL)  # fmt: skip


def ingested_shas(folder: Path) -> list[str]:
    return [hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())]


def test_two_workers_share_the_queue_and_the_operator_sees_it(server: Server, tmp_path):
    need(shutil.which("tesseract") is not None, "Tesseract is not installed")
    data_dir = tmp_path / "data"
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        before = http.get("/api/health")
        assert before.status_code == 200
        assert before.json()["checks"]["worker"]["status"] == "stale"
        assert before.json()["status"] == "degraded"
        queued = before.json()["checks"]["worker"]["jobs_pending"]
        assert queued >= 4  # the demo's documents, unread

        logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
        workers = [start_worker(data_dir, path) for path in logs]
        try:
            drained(http)
            # Both workers run now (each printed so, after opening the index). A scan read
            # by OCR keeps one of them busy for seconds, and the small files queued behind
            # it are read meanwhile: by the other worker, since both share the queue.
            for path in logs:
                wait_until(lambda p=path: WORKER_RUNS in p.read_text())
            ingested = ingest(data_dir, tmp_path / "berkas", http)
            assert ingested.returncode == 0, ingested.stdout
            drained(http)

            # Every document was read exactly once, and both workers did some of the reading.
            extracted = [
                [line["message"].split()[1].rstrip(":") for line in json_lines(path)
                 if line["message"].startswith("extracted ")]
                for path in logs
            ]  # fmt: skip
            both = Counter(sha for shas in extracted for sha in shas)
            assert both and max(both.values()) == 1, both
            assert set(ingested_shas(tmp_path / "berkas")) <= set(both)
            assert all(extracted), extracted

            # A Prometheus scrape sees the drained queue and the requests above.
            scrape = http.get("/metrics")
            assert scrape.status_code == 200
            samples = {
                (s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(scrape.text)
                for s in family.samples
            }
            assert samples[("sepeda_extraction_queue_length", ())] == 0
            assert samples[("sepeda_extraction_failures_total", ())] == 0
            assert samples[("sepeda_uploads_total", ())] >= len(both)
            assert any(name == "sepeda_http_requests_total" and ("route", "/api/health") in labels
                       for name, labels in samples)  # fmt: skip

            # The answer names its request, and the web log carries the same id.
            answered = http.get("/api/health", headers={"X-Request-ID": "ops-check-1"})
            assert answered.headers["X-Request-ID"] == "ops-check-1"
        finally:
            for process in workers:
                process.send_signal(signal.SIGTERM)
            codes = [process.wait(timeout=60) for process in workers]
        assert codes == [0, 0]  # systemd's stop is a clean stop
        # Both stopped cleanly: no heartbeat is left to pretend a worker still runs.
        assert http.get("/api/health").json()["checks"]["worker"]["last_seen"] is None

    for _ in range(20):
        web_log = json_lines(server.log_path)
        if any(line.get("request_id") == "ops-check-1" for line in web_log):
            break
        time.sleep(0.2)
    access = [line for line in web_log if line.get("request_id") == "ops-check-1"]
    assert len(access) == 1
    entry = access[0]
    assert entry["logger"] == "archive.access"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/health", 200)
    assert entry["duration_ms"] >= 0
