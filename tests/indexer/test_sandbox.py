"""The sandbox supervisor: hostile jobs are killed and the next job still succeeds."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.extract import DOCX, PDF, ExtractionResult
from indexer.sandbox import Crash, Job, Supervisor, default_workers

from .pdfbuild import assemble, text_pdf
from .test_extract_image import png_header_only
from .zipbuild import BILLION_LAUGHS, minimal_docx, zip_bomb

TIMEOUT_S = 2.0
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def supervisor() -> Iterator[Supervisor]:
    with Supervisor(workers=2, timeout_s=TIMEOUT_S, memory_mb=512) as sup:
        yield sup


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "good.pdf"
    path.write_bytes(text_pdf([["KEPUTUSAN BUPATI BALANGAN", "NOMOR 188.45/123/2024"]]))
    return path


def misbehaving(name: str, target: str, path: str = "-") -> Job:
    return Job(
        id=name, path=path, media_type="x/test", target=f"tests.indexer.sandbox_jobs:{target}"
    )


def assert_good(supervisor: Supervisor, good_pdf: Path) -> None:
    outcome = supervisor.run_one(Job("good", str(good_pdf), PDF))
    assert isinstance(outcome, ExtractionResult), outcome
    assert outcome.status == "done"
    assert "188.45/123/2024" in outcome.pages[0]


def test_round_trip(supervisor: Supervisor) -> None:
    outcome = supervisor.run_one(
        Job("e", "/a", "b", options={"k": 1}, target="tests.indexer.sandbox_jobs:echo")
    )
    assert isinstance(outcome, dict)
    assert outcome["options"] == {"k": 1}
    assert outcome["pid"] != os.getpid()


def test_memory_hog_is_stopped_and_next_job_succeeds(
    supervisor: Supervisor, good_pdf: Path
) -> None:
    outcome = supervisor.run_one(misbehaving("hog", "hog_memory"))
    assert outcome == Crash("memory", "killed: out of memory (limit 512 MB)")
    assert_good(supervisor, good_pdf)


def test_endless_loop_is_killed_and_next_job_succeeds(
    supervisor: Supervisor, good_pdf: Path
) -> None:
    started = time.monotonic()
    outcome = supervisor.run_one(misbehaving("spin", "spin"))
    elapsed = time.monotonic() - started
    assert outcome == Crash("timeout", f"timeout after {TIMEOUT_S:g} s")
    assert TIMEOUT_S <= elapsed < TIMEOUT_S + 5
    assert_good(supervisor, good_pdf)


def test_timeout_kills_grandchildren(supervisor: Supervisor, tmp_path: Path) -> None:
    # Tesseract runs as a grandchild; a killed job must not leave it running.
    pid_file = tmp_path / "pid"
    outcome = supervisor.run_one(misbehaving("gc", "spin_with_grandchild", str(pid_file)))
    assert isinstance(outcome, Crash) and outcome.kind == "timeout"
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(pid):
        time.sleep(0.05)
    assert not _running(pid)


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_per_job_timeout(supervisor: Supervisor) -> None:
    started = time.monotonic()
    job = Job("s", "-", "x", timeout_s=0.5, target="tests.indexer.sandbox_jobs:spin")
    assert supervisor.run_one(job) == Crash("timeout", "timeout after 0.5 s")
    assert time.monotonic() - started < TIMEOUT_S


@pytest.mark.parametrize(
    ("target", "kind", "reason"),
    [
        ("segfault", "signal", "crashed: SIGSEGV"),
        ("sigkill", "memory", "killed: out of memory (SIGKILL)"),
        ("boom", "error", "job raised ValueError: boom"),
    ],
)
def test_crashes_are_reported(
    supervisor: Supervisor, good_pdf: Path, target: str, kind: str, reason: str
) -> None:
    assert supervisor.run_one(misbehaving(target, target)) == Crash(kind, reason)
    assert_good(supervisor, good_pdf)


def test_run_yields_every_job(supervisor: Supervisor, good_pdf: Path) -> None:
    jobs = [
        misbehaving("hog", "hog_memory"),
        Job("pdf-1", str(good_pdf), PDF),
        misbehaving("boom", "boom"),
        Job("pdf-2", str(good_pdf), PDF),
    ]
    outcomes = dict(supervisor.run(jobs))
    assert set(outcomes) == {"hog", "pdf-1", "boom", "pdf-2"}
    assert isinstance(outcomes["hog"], Crash)
    assert isinstance(outcomes["boom"], Crash)
    for key in ("pdf-1", "pdf-2"):
        assert isinstance(outcomes[key], ExtractionResult)
        assert outcomes[key].status == "done"


async def test_async_extract_runs_in_parallel(supervisor: Supervisor, good_pdf: Path) -> None:
    started = time.monotonic()
    spin, good = await asyncio.gather(
        supervisor.extract(misbehaving("spin", "spin")),
        supervisor.extract(Job("good", str(good_pdf), PDF)),
    )
    assert isinstance(spin, Crash) and spin.kind == "timeout"
    assert isinstance(good, ExtractionResult) and good.status == "done"
    assert time.monotonic() - started < TIMEOUT_S + 5


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory, good_pdf: Path) -> list[Job]:
    folder = tmp_path_factory.mktemp("hostile")
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(good_pdf.read_bytes()[:300])
    loop = folder / "loop.pdf"
    loop.write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            ]
        )
    )
    bomb = zip_bomb(folder / "bomb.docx", "word/document.xml", megabytes=16)
    laughs = minimal_docx(folder / "laughs.docx", BILLION_LAUGHS)
    huge = png_header_only(folder / "huge.png", 30_000, 30_000)
    return [
        Job("truncated", str(truncated), PDF),
        Job("loop", str(loop), PDF),
        Job("bomb", str(bomb), DOCX),
        Job("laughs", str(laughs), DOCX),
        Job("huge", str(huge), "image/png"),
    ]


def test_hostile_files_fail_cleanly_in_the_sandbox(
    supervisor: Supervisor, hostile_files: list[Job], good_pdf: Path
) -> None:
    outcomes = dict(supervisor.run(hostile_files))
    for job in hostile_files:
        outcome = outcomes[job.id]
        assert isinstance(outcome, ExtractionResult), (job.id, outcome)
        assert outcome.status == "failed", (job.id, outcome)
        assert outcome.reason
    assert_good(supervisor, good_pdf)


def test_ocr_works_under_the_memory_limit(tmp_path: Path, needs_ocr: None) -> None:
    # A tight RLIMIT_AS breaks Tesseract; the sandbox lifts it for the tesseract process only.
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1240, 600), 255)
    ImageDraw.Draw(img).text(
        (80, 200), "NOMOR 188.45/123/2024", fill=0, font=ImageFont.load_default(size=40)
    )
    path = tmp_path / "scan.pdf"
    img.save(path, "PDF", resolution=150)
    with Supervisor(workers=1, timeout_s=60, memory_mb=400) as sup:
        outcome = sup.run_one(Job("scan", str(path), PDF))
    assert isinstance(outcome, ExtractionResult), outcome
    assert outcome.ocr is True
    assert "188.45/123/2024" in outcome.pages[0]


def test_crash_becomes_failed_result() -> None:
    result = Crash("timeout", "timeout after 120 s").as_failed()
    assert result.status == "failed"
    assert result.reason == "timeout after 120 s"
    assert result.meta == {"crash": "timeout"}


def test_default_workers_leaves_a_core_free(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert default_workers() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert default_workers() == 1


def test_closed_supervisor_refuses_jobs() -> None:
    sup = Supervisor(workers=1)
    sup.close()
    with pytest.raises(RuntimeError):
        sup.run_one(Job("x", "-", "text/plain"))


def test_children_are_reused_then_recycled() -> None:
    with Supervisor(workers=1, timeout_s=10, max_jobs_per_child=2) as sup:
        pids = [
            sup.run_one(Job(i, "-", "x", target="tests.indexer.sandbox_jobs:echo"))["pid"]
            for i in range(3)
        ]
    assert pids[0] == pids[1] != pids[2]


def test_the_child_that_served_last_serves_the_next_job() -> None:
    """Jobs one after another run in the child already started, not in a new one per slot
    (each new child costs an interpreter start before its first job)."""
    with Supervisor(workers=3, timeout_s=10) as sup:
        pids = {
            sup.run_one(Job(i, "-", "x", target="tests.indexer.sandbox_jobs:echo"))["pid"]
            for i in range(4)
        }
        assert len(pids) == 1


def _extract_children() -> set[int]:
    return {p.pid for p in mp.active_children() if p.name == "sepeda-extract" and p.pid}


def test_a_warmed_supervisor_has_a_child_ready_for_its_first_job() -> None:
    before = _extract_children()
    with Supervisor(workers=2, timeout_s=10) as sup:
        sup.warm().result(timeout=60)
        started = _extract_children() - before
        assert len(started) == 1
        served = sup.run_one(Job("w", "-", "x", target="tests.indexer.sandbox_jobs:echo"))
        assert {served["pid"]} == started
        # Ready means ready to read: the parsers loaded before the first file came.
        parsers = sup.run_one(Job("p", "-", "x", target="tests.indexer.sandbox_jobs:loaded"))
        assert parsers == {"pypdf": True, "docx": True, "openpyxl": True}
    assert not _extract_children() - before


def test_a_child_that_cannot_start_ahead_is_left_for_the_next_job(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A reader that fails to start while the worker opens its index is logged and stopped;
    the first job starts one of its own and is read."""
    from indexer import sandbox

    before = _extract_children()
    with Supervisor(workers=1, timeout_s=10) as sup:
        startup = sandbox.STARTUP_TIMEOUT_S
        monkeypatch.setattr(sandbox, "STARTUP_TIMEOUT_S", 0.0)  # no child says ready in 0 s
        sup.warm().result(timeout=60)
        assert "could not start ahead of a job" in caplog.text
        assert not _extract_children() - before  # the one that did not answer was stopped
        monkeypatch.setattr(sandbox, "STARTUP_TIMEOUT_S", startup)
        served = sup.run_one(Job("w", "-", "x", target="tests.indexer.sandbox_jobs:echo"))
        assert isinstance(served, dict) and served["pid"] != os.getpid()
    assert not _extract_children() - before


def test_closing_while_a_child_warms_leaves_no_child_behind() -> None:
    before = _extract_children()
    sup = Supervisor(workers=1, timeout_s=10)
    sup.warm()
    sup.close()
    assert not _extract_children() - before


def test_children_die_with_a_killed_parent(tmp_path: Path) -> None:
    # A server killed with SIGKILL cannot stop its children: they must notice and go, with
    # the Tesseract they started.
    import signal
    import subprocess
    import sys

    pid_file = tmp_path / "grandchild"
    script = tmp_path / "parent.py"
    script.write_text(
        "from indexer.sandbox import Job, Supervisor\n"
        "if __name__ == '__main__':  # the children are spawned: they import this file\n"
        "    sup = Supervisor(workers=1, timeout_s=300)\n"
        f"    job = Job('x', {str(pid_file)!r}, 'x/test', "
        "target='tests.indexer.sandbox_jobs:spin_with_grandchild')\n"
        "    sup.run_one(job)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}  # the job lives in tests/, beside indexer/
    parent = subprocess.Popen([sys.executable, str(script)], cwd=root, env=env)
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    children = [int(p) for p in Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
                .read_text().split()]  # fmt: skip
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    alive = [pid for pid in [grandchild, *children] if _running(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in alive if _running(pid)]
    assert not alive, f"still running after the parent died: {alive}"
