"""Correcting document facts: who may, what wins, the audit trail and the checklist that follows."""

import anyio.to_thread
import pytest

from archive.models import (
    AuditEvent,
    Blob,
    Evidence,
    IndicatorClaim,
    Innovation,
    Job,
    JobKind,
    Role,
)
from archive.services import checklists, extraction
from archive.storage import BlobStore
from archive.worker import Worker
from indexer.extract import extract_file
from tests.archive.helpers import bearer, build_world, make_user, open_period, token
from tests.documents import pdf_bytes

# What extraction reads from a head of office's decree in their own name, naming the innovation.
OWN_NAME_DECREE = {
    "kind": "keputusan-kepala-perangkat-daerah",
    "number": "440/77/DINKES/2025",
    "date": "2025-02-03",
    "title": "TIM PELAKSANA INOVASI POSYANDU AKTIF",
    "issuer": "Dinas Kesehatan Kabupaten Balangan",
    "names_innovation": True,
}


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def upload(client, world, content: bytes, name: str, innovation=None) -> dict:
    innovation = innovation or world.draft_a
    role = "admin_a" if innovation.unit_id == world.unit_a.id else "staff"
    response = await client.post(
        f"/api/innovations/{innovation.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": (name, content)},
        headers=world.headers[role],
    )
    assert response.status_code == 201, response.text
    return response.json()


DECREE_LINES = [
    "KEPUTUSAN KEPALA DINAS KESEHATAN KABUPATEN BALANGAN",
    "NOMOR 440/77/DINKES/2025",
    "TENTANG",
    "TIM PELAKSANA INOVASI POSYANDU AKTIF",
    "KEPALA DINAS KESEHATAN KABUPATEN BALANGAN,",
    "Menimbang : bahwa untuk melaksanakan inovasi Posyandu Aktif perlu dibentuk tim pelaksana;",
    "MEMUTUSKAN:",
    "Menetapkan : Tim Pelaksana Inovasi Posyandu Aktif.",
    "Ditetapkan di Paringin",
    "pada tanggal 3 Februari 2025",
    "KEPALA DINAS KESEHATAN,",
]


async def read(settings, evidence_id: int) -> None:
    """The worker's own path, in-process: extract the stored file, then ``store_result``.

    Only the sandbox's child process is left out; the facts come from the text as in
    production, through the same transaction and checklist refresh.
    """
    evidence = await Evidence.get(id=evidence_id)
    blob = await Blob.get(sha256=evidence.blob_id)
    job = await Job.get(kind=JobKind.EXTRACT, ref=blob.sha256)
    path = BlobStore(settings.blob_dir).path(blob.sha256)
    result = await anyio.to_thread.run_sync(extract_file, str(path), blob.media_type)
    await extraction.store_result(job, result.to_dict())


@pytest.fixture
async def decree(client, world, settings) -> dict:
    """A decree uploaded to the DINKES draft and read as a head of office's own decree."""
    body = await upload(client, world, pdf_bytes(DECREE_LINES), "sk.pdf")
    await read(settings, body["id"])
    facts = (await Evidence.get(id=body["id"])).facts
    assert {key: facts[key] for key in OWN_NAME_DECREE} == OWN_NAME_DECREE
    return body


async def patch(client, world, evidence_id: int, body: dict, role: str = "verifier"):
    return await client.patch(
        f"/api/evidence/{evidence_id}/facts", json=body, headers=world.headers[role]
    )


async def regulasi(client, world, innovation=None) -> dict:
    innovation = innovation or world.draft_a
    response = await client.get(
        f"/api/innovations/{innovation.id}/checklist", headers=world.headers["staff"]
    )
    assert response.status_code == 200, response.text
    return next(i for i in response.json()["indicators"] if i["code"] == "regulasi")


def codes(indicator: dict) -> list[str]:
    return [f["code"] for f in indicator["findings"]]


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("verifier", 200), ("admin_a", 200), ("admin_b", 404),
     ("innovator", 403), ("judge", 404), ("anonymous", 401)],
)  # fmt: skip
async def test_who_may_correct(client, world, decree, role, status):
    response = await patch(client, world, decree["id"], {"number": "1 TAHUN 2025"}, role)
    assert response.status_code == status, response.text
    stored = await Evidence.get(id=decree["id"])
    if status == 200:
        assert response.json()["facts"]["number"] == "1 TAHUN 2025"
        assert stored.facts_corrected == {"number": "1 TAHUN 2025"}
    else:
        assert response.json()["detail"]
        assert stored.facts_corrected is None
        assert not await AuditEvent.exists(action="correct_facts")


async def test_a_verifier_does_not_correct_their_own_units_evidence(client, world, decree):
    own = await make_user("verif.dinkes", Role.VERIFIER, world.unit_a)
    response = await client.patch(
        f"/api/evidence/{decree['id']}/facts",
        json={"kind": "sop"},
        headers=bearer(await token(client, own.username)),
    )
    assert response.status_code == 403


async def test_an_admin_cannot_correct_another_units_published_evidence(client, world):
    body = await upload(client, world, pdf_bytes("SK"), "sk.pdf", innovation=world.published_b)
    response = await patch(client, world, body["id"], {"kind": "sop"}, role="admin_a")
    assert response.status_code == 403  # readable (published) but not theirs


async def test_corrections_win_show_as_corrected_and_null_brings_detection_back(
    client, world, decree
):
    response = await patch(
        client, world, decree["id"],
        {"kind": "keputusan-kepala-daerah", "date": "2025-02-04", "issuer": "Bupati Balangan"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    facts = response.json()["facts"]
    assert facts["kind"] == "keputusan-kepala-daerah"
    assert facts["date"] == "2025-02-04"
    assert facts["number"] == "440/77/DINKES/2025"  # untouched: still what was read
    assert facts["names_innovation"] is True
    assert facts["corrected"] == ["date", "issuer", "kind"]
    shown = await client.get(f"/api/evidence/{decree['id']}", headers=world.headers["admin_a"])
    assert shown.json()["facts"] == facts

    cleared = await patch(client, world, decree["id"], {"kind": None, "issuer": None})
    facts = cleared.json()["facts"]
    assert facts["kind"] == "keputusan-kepala-perangkat-daerah"  # detection shows again
    assert facts["issuer"] == "Dinas Kesehatan Kabupaten Balangan"
    assert facts["corrected"] == ["date"]
    stored = await Evidence.get(id=decree["id"])
    assert stored.facts["kind"] == "keputusan-kepala-perangkat-daerah"  # what was read is kept
    assert stored.facts_corrected == {"date": "2025-02-04"}


async def test_corrections_are_audited_with_before_and_after(client, world, decree):
    await patch(client, world, decree["id"], {"kind": "peraturan-kepala-daerah"}, role="admin_a")
    await patch(client, world, decree["id"], {"kind": None}, role="staff")
    events = await AuditEvent.filter(action="correct_facts").order_by("id")
    assert [(e.actor, e.object_type, e.object_id) for e in events] == [
        ("admin.a", "evidence", str(decree["id"])),
        ("staf", "evidence", str(decree["id"])),
    ]
    first, second = events
    assert first.before == {"kind": "keputusan-kepala-perangkat-daerah", "corrected": []}
    assert first.after == {"kind": "peraturan-kepala-daerah", "corrected": ["kind"]}
    assert second.before == first.after
    assert second.after == first.before
    assert first.ip == "127.0.0.1"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "peraturan-bupati"},
        {"kind": ""},
        {"date": "12-07-2021"},
        {"date": "2021-02-30"},
        {"date": "20210712"},
        {"number": ""},
        {"names_innovation": True},
        {"number": 41},
        {},
    ],
)
async def test_invalid_corrections_are_refused(client, world, decree, body):
    response = await patch(client, world, decree["id"], body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert (await Evidence.get(id=decree["id"])).facts_corrected is None


async def test_an_unknown_kind_is_explained_in_bahasa_indonesia(client, world, decree):
    response = await patch(client, world, decree["id"], {"kind": "perbup"})
    assert "jenis dokumen tidak dikenal" in response.json()["detail"]
    assert "peraturan-kepala-daerah" in response.json()["detail"]


async def test_unknown_and_deleted_evidence(client, world, decree):
    assert (await patch(client, world, 99999, {"kind": "sop"})).status_code == 404
    deleted = await client.delete(f"/api/evidence/{decree['id']}", headers=world.headers["staff"])
    assert deleted.status_code == 204
    assert (await patch(client, world, decree["id"], {"kind": "sop"})).status_code == 409


async def test_a_submitted_innovation_is_corrected_by_the_verifier_not_the_admin(
    client, world, decree
):
    await Innovation.filter(id=world.draft_a.id).update(status="submitted")
    admin = await patch(client, world, decree["id"], {"kind": "sop"}, role="admin_a")
    assert admin.status_code == 409
    verifier = await patch(client, world, decree["id"], {"kind": "sop"}, role="verifier")
    assert verifier.status_code == 200


async def test_correcting_the_kind_changes_the_checklist(client, world, decree):
    await IndicatorClaim.create(innovation_id=world.draft_a.id, indicator="regulasi",
                                claimed_level=2)  # fmt: skip
    await checklists.refresh(world.draft_a.id)
    before = await regulasi(client, world)
    assert before["status"] == "weak"
    assert before["supported_level"] == 0
    assert "WRONG_KIND" in codes(before)

    response = await patch(client, world, decree["id"], {"kind": "peraturan-kepala-daerah"})
    assert response.status_code == 200
    after = await regulasi(client, world)
    assert (after["supported_level"], after["status"]) == (2, "ok")
    assert "WRONG_KIND" not in codes(after)


async def test_an_issuer_correction_to_another_regency_is_an_issuer_mismatch(client, world, decree):
    await patch(client, world, decree["id"], {"kind": "keputusan-kepala-daerah"})
    assert (await regulasi(client, world))["supported_level"] == 1
    await patch(client, world, decree["id"], {"issuer": "Kabupaten Tabalong"})
    after = await regulasi(client, world)
    assert "ISSUER_MISMATCH" in codes(after)
    assert after["supported_level"] == 0
    assert "Kabupaten Tabalong" in next(
        f["message"] for f in after["findings"] if f["code"] == "ISSUER_MISMATCH"
    )


# -- through the real worker: the sandbox reads real PDFs ----------------------------------


@pytest.fixture
async def extracted(app, client, world):
    """Upload a PDF and let a real worker (one sandbox slot) read it."""
    settings = app.state.settings.model_copy(update={"extract_workers": 1, "extract_timeout_s": 60})
    worker = Worker(settings)

    async def run(content: bytes, name: str) -> dict:
        body = await upload(client, world, content, name)
        await worker.drain()
        response = await client.get(f"/api/evidence/{body['id']}", headers=world.headers["staff"])
        return response.json()

    yield run
    await worker.stop()


DEPT_DECREE = [
    "PEMERINTAH KABUPATEN BALANGAN",
    "DINAS KESEHATAN",
    "KEPUTUSAN KEPALA DINAS KESEHATAN",
    "NOMOR 440/77/DINKES/2025",
    "TENTANG",
    "TIM PELAKSANA INOVASI POSYANDU AKTIF",
    "Menimbang : bahwa perlu dibentuk tim pelaksana;",
    "Ditetapkan di Paringin",
    "pada tanggal 3 Februari 2025",
    "a.n. BUPATI BALANGAN",
    "KEPALA DINAS KESEHATAN,",
    "dr. RIDUAN",
]


@pytest.mark.slow
async def test_a_decree_signed_on_behalf_of_the_bupati_is_a_regional_head_decree(
    client, world, extracted
):
    body = await extracted(pdf_bytes(DEPT_DECREE), "sk-an-bupati.pdf")
    assert body["extraction"]["status"] == "done"
    assert body["facts"]["kind"] == "keputusan-kepala-daerah"
    assert body["facts"]["number"] == "440/77/DINKES/2025"
    assert body["facts"]["corrected"] == []
    assert (await regulasi(client, world))["supported_level"] == 1


@pytest.mark.slow
async def test_after_extraction_a_corrected_kind_moves_regulasi(client, world, extracted):
    own_name = [line for line in DEPT_DECREE if line != "a.n. BUPATI BALANGAN"]
    body = await extracted(pdf_bytes(own_name), "sk-kadis.pdf")
    assert body["facts"]["kind"] == "keputusan-kepala-perangkat-daerah"
    claim = await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/regulasi",
        json={"claimed_level": 2},
        headers=world.headers["admin_a"],
    )
    assert claim.status_code == 200
    assert "WRONG_KIND" in codes(await regulasi(client, world))

    fixed = await patch(client, world, body["id"], {"kind": "peraturan-kepala-daerah"})
    assert fixed.json()["facts"]["kind"] == "peraturan-kepala-daerah"
    assert fixed.json()["facts"]["corrected"] == ["kind"]
    after = await regulasi(client, world)
    assert (after["supported_level"], after["status"]) == (2, "ok")


@pytest.mark.slow
async def test_another_regencys_decree_gets_issuer_mismatch(client, world, extracted):
    tabalong = [
        "BUPATI TABALONG",
        "KEPUTUSAN BUPATI TABALONG",
        "NOMOR 188.45/322/2025",
        "TENTANG",
        "PENETAPAN INOVASI DAERAH POSYANDU AKTIF",
        "BUPATI TABALONG,",
        "Menimbang : bahwa ...",
        "Ditetapkan di Tanjung",
        "pada tanggal 30 September 2025",
        "BUPATI TABALONG,",
    ]
    body = await extracted(pdf_bytes(tabalong), "sk-tabalong.pdf")
    assert body["facts"]["kind"] == "keputusan-kepala-daerah"
    assert "Tabalong" in body["facts"]["issuer"]
    indicator = await regulasi(client, world)
    assert "ISSUER_MISMATCH" in codes(indicator)
    assert indicator["supported_level"] == 0
