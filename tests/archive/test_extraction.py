"""Extraction through the real worker: upload, the sandbox reads, the API serves the text."""

import asyncio
import io
import shutil

import pytest

from archive.models import Blob, Job
from archive.services.extraction import LONG_LANE
from archive.worker import Worker
from tests.archive.helpers import build_world
from tests.archive.test_web_pages import sign_in
from tests.conftest import DATA, need
from tests.documents import docx_bytes, image_bytes, pdf_bytes

pytestmark = pytest.mark.slow

DECREE = pdf_bytes(
    [
        "KEPUTUSAN BUPATI BALANGAN",
        "NOMOR 188.45/321/2026",
        "TENTANG",
        "PENETAPAN INOVASI POSYANDU AKTIF",
        "Ditetapkan di Paringin pada tanggal 12 Juli 2026",
        "BUPATI BALANGAN,",
    ],
    ["LAMPIRAN", "NIK 6308011201900001 Siti Aminah"],
)


@pytest.fixture
async def worker(app):
    """The app's own worker, as `sepeda serve` runs it, with one sandbox slot."""
    settings = app.state.settings.model_copy(update={"extract_workers": 1, "extract_timeout_s": 60})
    running = Worker(settings)
    app.state.worker = running
    yield running
    await running.stop()
    app.state.worker = None


@pytest.fixture
async def world(client):
    return await build_world(client)


async def upload(client, world, content, name, indicator="regulasi"):
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": indicator},
        files={"file": (name, content)},
        headers=world.headers["admin_a"],
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_text_pdf_is_read_with_its_facts_and_masked_personal_numbers(client, world, worker):
    evidence = await upload(client, world, DECREE, "sk.pdf")
    await worker.drain()
    body = (
        await client.get(f"/api/evidence/{evidence['id']}", headers=world.headers["admin_a"])
    ).json()
    assert body["extraction"]["status"] == "done"
    assert body["extraction"]["pages"] == 2
    assert body["extraction"]["ocr"] is False
    assert body["facts"]["kind"] == "keputusan-kepala-daerah"
    assert body["facts"]["number"] == "188.45/321/2026"
    assert body["facts"]["date"] == "2026-07-12"
    assert body["facts"]["names_innovation"] is True
    text = (
        await client.get(f"/api/evidence/{evidence['id']}/text", headers=world.headers["verifier"])
    ).json()
    assert "NOMOR 188.45/321/2026" in text["pages"][0]
    assert "6308011201900001" not in text["text"]
    assert len(text["pages"]) == 2


async def test_docx_and_photo_and_text(client, world, worker):
    docx = await upload(client, world, docx_bytes("Daftar Hadir Sosialisasi", "1. Budi"), "h.docx")
    photo = await upload(client, world, image_bytes("PNG", (40, 40)), "foto.png", "sosialisasi")
    await worker.drain()
    headers = world.headers["admin_a"]
    read = (await client.get(f"/api/evidence/{docx['id']}/text", headers=headers)).json()
    assert "Daftar Hadir Sosialisasi" in read["text"]
    image = (await client.get(f"/api/evidence/{photo['id']}", headers=headers)).json()
    assert image["extraction"]["status"] in ("no_text", "done")
    assert image["facts"]["kind"] == "foto"


async def test_a_scanned_decree_comes_back_through_ocr(client, world, worker):
    need(shutil.which("tesseract") is not None, "Tesseract is not installed")
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1654, 800), 255)
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    except OSError:
        font = ImageFont.load_default(size=44)
    for row, line in enumerate(["KEPUTUSAN BUPATI BALANGAN", "NOMOR 188.45/654/2026",
                                "TENTANG INOVASI DAERAH"]):  # fmt: skip
        draw.text((120, 120 + row * 90), line, fill=0, font=font)
    scan = io.BytesIO()
    page.save(scan, format="PDF", resolution=200)
    evidence = await upload(client, world, scan.getvalue(), "scan-sk.pdf")
    await worker.drain()
    body = (
        await client.get(f"/api/evidence/{evidence['id']}", headers=world.headers["admin_a"])
    ).json()
    assert body["extraction"]["status"] == "done", body["extraction"]
    assert body["extraction"]["ocr"] is True
    text = (
        await client.get(f"/api/evidence/{evidence['id']}/text", headers=world.headers["admin_a"])
    ).json()
    assert "188.45/654/2026" in text["text"]


async def test_an_encrypted_pdf_is_reported_as_such(client, world, worker):
    sample = DATA / "sample-pdfs" / "libreoffice-writer-password.pdf"
    need(sample.exists(), "tests/data is missing")
    evidence = await upload(client, world, sample.read_bytes(), "rahasia.pdf")
    await worker.drain()
    body = (
        await client.get(f"/api/evidence/{evidence['id']}", headers=world.headers["admin_a"])
    ).json()
    assert body["extraction"]["status"] == "encrypted"


async def test_a_truncated_pdf_fails_with_a_reason_and_the_next_job_succeeds(client, world, worker):
    broken = await upload(client, world, DECREE[: len(DECREE) // 3], "putus.pdf")
    good = await upload(client, world, pdf_bytes("LAPORAN MONEV 2026"), "monev.pdf", "monev")
    await worker.drain()
    headers = world.headers["admin_a"]
    failed = (await client.get(f"/api/evidence/{broken['id']}", headers=headers)).json()
    assert failed["extraction"]["status"] in ("failed", "no_text")
    assert failed["extraction"]["reason"]
    ok = (await client.get(f"/api/evidence/{good['id']}", headers=headers)).json()
    assert ok["extraction"]["status"] == "done"


async def test_a_document_that_kills_its_worker_three_times_is_failed(app, client, world):
    settings = app.state.settings.model_copy(update={"extract_workers": 1, "extract_timeout_s": 2})
    killer = Worker(settings, target="tests.indexer.sandbox_jobs:sigkill")
    try:
        evidence = await upload(client, world, DECREE, "sk.pdf")
        for _ in range(5):
            await killer.run_pending()
        blob = await Blob.get(sha256=evidence["sha256"])
        assert blob.extraction_status == "failed"
        assert blob.extraction_attempts == 3
        assert "percobaan ke-3" in blob.extraction_reason
        assert await Job.filter(state="failed").count() == 1
        assert await killer.run_pending() == 0  # never retried forever
    finally:
        await killer.stop()


async def test_jobs_left_running_by_a_crash_resume_on_start(app, client, world):
    evidence = await upload(client, world, DECREE, "sk.pdf")
    await Job.all().update(state="running")  # as if the server died mid-extraction
    settings = app.state.settings.model_copy(update={"extract_workers": 1, "worker_poll_s": 0.1})
    restarted = Worker(settings)
    await restarted.start()
    try:
        for _ in range(300):
            blob = await Blob.get(sha256=evidence["sha256"])
            if blob.extraction_status != "pending":
                break
            await asyncio.sleep(0.1)
        assert blob.extraction_status == "done"
    finally:
        await restarted.stop()


async def test_the_text_preview_masks_numbers_written_in_groups_as_search_does(
    client, world, worker
):
    attendance = pdf_bytes(
        [
            "DAFTAR HADIR SOSIALISASI INOVASI",
            "1. Siti Aminah NIK 6308 0112 3456 0001",
            "2. Ahmad NIP. 19700512-199803-1-006",
        ]
    )
    evidence = await upload(client, world, attendance, "daftar-hadir.pdf", "sosialisasi")
    await worker.drain()
    text = (
        await client.get(f"/api/evidence/{evidence['id']}/text", headers=world.headers["verifier"])
    ).json()["text"]
    assert "Siti Aminah" in text
    assert "6308 0112 3456 0001" not in text and "**** **** **** ****" in text
    assert "19700512-199803-1-006" not in text and "********-******-*-***" in text


async def test_workers_claiming_at_once_never_take_the_same_job(app):
    from archive.services.extraction import claim_jobs

    await Job.bulk_create([Job(kind="extract", ref=f"{n:064x}") for n in range(60)])
    taken: list[int] = []
    while batches := await asyncio.gather(*(claim_jobs("extract", 7) for _ in range(4))):
        claimed = [job.id for batch in batches for job in batch]
        if not claimed:
            break
        taken += claimed
    assert len(taken) == len(set(taken)) == 60
    assert await Job.filter(state="running").count() == 60


async def test_a_queue_emptied_by_another_worker_mid_claim_is_passed_over(app):
    """Claimers see the units waiting, then each unit's oldest job: a unit whose only file
    another worker took in between has nothing left, and the claim goes on without it."""
    from archive.services.extraction import claim_jobs

    await Job.bulk_create(
        [Job(kind="extract", ref=f"{n:064x}", queue=f"unit:{n}") for n in range(24)]
    )

    async def claimer(n: int) -> list[Job]:
        # Started one query apart, so one claims while the next is between its reads.
        await asyncio.sleep(n * 0.002)
        return await claim_jobs("extract", 1)

    taken: list[int] = []
    while batches := await asyncio.gather(*(claimer(n) for n in range(8))):
        claimed = [job.id for batch in batches for job in batch]
        if not claimed:
            break
        taken += claimed
    assert len(taken) == len(set(taken)) == 24


async def test_a_job_whose_worker_died_is_taken_again_and_a_live_ones_is_not(app):
    from datetime import timedelta

    from archive.services.extraction import claim_jobs, renew_leases, requeue_abandoned
    from archive.timeutil import utcnow

    await Job.bulk_create([Job(kind="extract", ref=f"{n:064x}") for n in range(2)])
    alive, dead = await claim_jobs("extract", 2)
    # Both were claimed 2 minutes ago; only the live worker's heartbeat renewed its lease.
    await Job.all().update(updated_at=utcnow() - timedelta(minutes=2))
    await renew_leases({alive.id})
    assert await requeue_abandoned(60) == 1
    assert (await Job.get(id=dead.id)).state == "pending"
    assert (await Job.get(id=alive.id)).state == "running"
    retaken = await claim_jobs("extract", 5)
    assert [job.id for job in retaken] == [dead.id]


async def test_one_units_many_files_do_not_hold_up_another_units_one(client, world):
    """The extraction queue takes turns between units: a unit that uploads a year's files at
    the deadline does not make another unit's single upload wait behind all of them."""
    from archive.models import JobKind
    from archive.services.extraction import claim_jobs

    for n in range(12):
        await upload(client, world, pdf_bytes(f"DOKUMEN DINKES {n}"), f"dinkes-{n}.pdf")
    other = await client.post(
        f"/api/innovations/{world.draft_b.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("disdik.pdf", pdf_bytes("DOKUMEN DISDIK"))},
        headers=world.headers["admin_b"],
    )
    assert other.status_code == 201, other.text
    disdik = await Job.get(kind=JobKind.EXTRACT, queue=f"unit:{world.unit_b.id}")

    first = await claim_jobs(JobKind.EXTRACT, 2)
    # The oldest DINKES file and the DISDIK file, not the two oldest DINKES files.
    assert {job.queue for job in first} == {
        f"unit:{world.unit_a.id}",
        f"unit:{world.unit_b.id}",
    }
    assert disdik.id in {job.id for job in first}
    # Then DINKES's remaining files in order; nothing is claimed twice.
    rest = await claim_jobs(JobKind.EXTRACT, 20)
    assert len(rest) == 11 and len({j.id for j in first + rest}) == 12 + 1
    assert [j.id for j in rest] == sorted(j.id for j in rest)


@pytest.mark.solo  # searchable within 10 s
async def test_a_file_read_during_the_workers_round_is_indexed_without_waiting_a_poll(
    app, client, world, monkeypatch
):
    """A slot that finishes a file while the worker's loop is still in its round (here, slow
    rechecks) wakes the loop for the next round: the file is searchable at once, not after the
    poll (30 s here; a second by default, which made two servers miss "within a second")."""
    from archive import worker as worker_module

    recheck = worker_module.checklists.recheck_pending

    async def slow_recheck() -> int:
        await asyncio.sleep(1.5)
        return await recheck()

    monkeypatch.setattr(worker_module.checklists, "recheck_pending", slow_recheck)
    settings = app.state.settings.model_copy(update={"worker_poll_s": 30, "extract_workers": 1})
    live = Worker(settings)
    app.state.worker = live
    try:
        await live.start()
        await asyncio.sleep(0.5)  # the loop's first round is under way
        started = asyncio.get_running_loop().time()
        await upload(client, world, pdf_bytes("KEPUTUSAN TENTANG KATAUNIKPOLL"), "sk-poll.pdf")
        while True:
            found = await client.get(
                "/api/search", params={"q": "kataunikpoll"}, headers=world.headers["admin_a"]
            )
            if found.json()["total"]:
                break
            waited = asyncio.get_running_loop().time() - started
            assert waited < 10, "the finished file waited for the worker's poll"
            await asyncio.sleep(0.1)
    finally:
        await live.stop()


@pytest.mark.solo  # read within 5 s
async def test_a_huge_file_does_not_hold_up_another_units_reading(app, client, world):
    """Unit A's two huge files outlast the express lane and move to the long lane; unit B's
    small file, uploaded while they are read, is read in the express slot within seconds."""
    settings = app.state.settings.model_copy(
        update={"extract_workers": 1, "extract_express_s": 1.5, "extract_timeout_s": 20}
    )
    live = Worker(settings, target="tests.indexer.sandbox_jobs:slow_if_marked")
    app.state.worker = live
    try:
        huge = [
            await upload(client, world, pdf_bytes(f"HUGE DINKES {n}"), f"besar-{n}.pdf")
            for n in range(2)
        ]
        await live.start()
        await asyncio.sleep(2.5)  # both tried in the express lane; one in the long lane now
        small = await client.post(
            f"/api/innovations/{world.draft_b.id}/evidence",
            data={"indicator": "regulasi"},
            files={"file": ("kecil.pdf", pdf_bytes("KEPUTUSAN KEPALA DINAS PENDIDIKAN"))},
            headers=world.headers["admin_b"],
        )
        assert small.status_code == 201, small.text
        started = asyncio.get_running_loop().time()
        small_blob = small.json()["sha256"]
        while (await Blob.get(sha256=small_blob)).extraction_status != "done":
            assert asyncio.get_running_loop().time() - started < 5, "B waited behind A's files"
            await asyncio.sleep(0.1)
        waiting = await Blob.filter(sha256__in=[h["sha256"] for h in huge]).values_list(
            "extraction_status", flat=True
        )
        assert list(waiting).count("done") < 2  # A's files are still being read
        # Their uploader is told why they take long, in the API and on the evidence page.
        await sign_in(client, "admin.a")
        told = 0
        for item in huge:
            url = f"/api/evidence/{item['id']}"
            shown = (await client.get(url, headers=world.headers["admin_a"])).json()["extraction"]
            if shown["status"] == "pending" and (shown["reason"] or "").startswith(LONG_LANE):
                page = await client.get(f"/bukti/{item['id']}")
                told += "dibaca di antrean panjang" in page.text
        assert told, "nobody said why the file takes long"
        # The long lane reads them whole, without counting a failed attempt.
        deadline = asyncio.get_running_loop().time() + 40
        for item in huge:
            while (blob := await Blob.get(sha256=item["sha256"])).extraction_status != "done":
                assert asyncio.get_running_loop().time() < deadline, blob.extraction_status
                await asyncio.sleep(0.2)
            assert blob.extraction_attempts == 0
            assert "HUGE" in " ".join(blob.pages)
        assert await Job.filter(slow=True).count() == 2  # both moved to the long lane
    finally:
        await live.stop()
        app.state.worker = None
