"""Importing a profile document over HTTP: a draft filled from it, its gaps flagged on arrival."""

import io
import re

import pytest

from archive.models import AuditEvent, Innovation
from archive.services.profile_import import _budget
from archive.worker import Worker
from tests.archive.helpers import build_world
from tests.conftest import DATA, need
from tests.documents import docx_bytes, pdf_bytes, xlsx_bytes

PROFILE = DATA / "profiles" / "sepeda-baru-profil.md"
SEPEDA_BARU = "Sistem Penjaringan Inovasi Daerah Balangan Terpadu (SEPEDA BARU)"

SYNTHETIC = """PROFIL INOVASI DAERAH

1. Nama Inovasi
Posyandu Keliling Desa Sehat (POLIKLINIK)

2. Dibuat Oleh
Dinas Kesehatan Kabupaten Balangan

3. Tahapan Inovasi
Inovasi ini pada tahapan uji coba.

4. Jenis Inovasi
Digital

5. Rancang Bangun
Posyandu keliling mendatangi desa terpencil dengan jadwal tetap setiap bulan.

6. Hasil Inovasi

7. Waktu Uji Coba
5 Januari 2026

8. Anggaran
Rp 150.000.000,- dari APBD

Ringkasan
Ringkasan singkat untuk lomba inovasi.
"""


@pytest.fixture
async def world(client):
    return await build_world(client)


async def post_import(client, world, content: bytes, name: str, role: str = "admin_a",
                      unit: str = "DINKES", year: str = "2026", **extra):  # fmt: skip
    return await client.post(
        "/api/innovations/import",
        data={"unit": unit, "year": year, **extra},
        files={"file": (name, content, "application/octet-stream")},
        headers=world.headers[role],
    )


def finding_codes(body: dict, field: str) -> set[str]:
    return {f["code"] for f in body["findings"] if f["field"] == field}


def markdown_to_docx(text: str) -> bytes:
    """The profile as an office would write it: bold titles, plain paragraphs."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if not line.strip():
            continue
        bold = re.fullmatch(r"\*\*(.+?)\*\*", line.strip())
        paragraph = document.add_paragraph()
        paragraph.add_run(bold.group(1) if bold else line.replace("**", "")).bold = bool(bold)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nothing_left(settings) -> bool:
    """No blob and no scratch file: a profile is read, never kept."""
    kept = [p for p in settings.data_dir.rglob("*") if p.is_file()
            and ("blobs" in p.parts or "imports" in p.parts)]  # fmt: skip
    return not kept


async def assert_sepeda_baru(client, world, response) -> None:
    assert response.status_code == 201, response.text
    body = response.json()
    fields = body["fields"]
    assert fields["name"] == SEPEDA_BARU
    assert fields["stage"] == "penerapan"
    assert fields["type"] == "non digital"
    assert fields["trial_date"] == "2021-01-05"
    assert fields["implementation_date"] == "2021-01-26"
    assert fields["design"].startswith("Latar Belakang")
    assert len(fields["design"].split()) > 300
    assert fields["results"] is None
    assert "FIELD_EMPTY" in finding_codes(body, "results")
    assert set(fields["proposal"]) >= {"summary", "innovative_idea", "collaboration"}
    assert all(f["message"] for f in body["findings"])

    stored = await client.get(f"/api/innovations/{body['id']}", headers=world.headers["admin_a"])
    innovation = stored.json()
    assert (innovation["status"], innovation["unit"], innovation["year"]) == ("draft", "DINKES",
                                                                             2026)  # fmt: skip
    assert innovation["name"] == SEPEDA_BARU
    assert innovation["design"] == fields["design"]
    assert innovation["proposal"] == fields["proposal"]
    checklist = await client.get(
        f"/api/innovations/{body['id']}/checklist", headers=world.headers["admin_a"]
    )
    profile = checklist.json()["profile"]["findings"]
    assert any(f["code"] == "FIELD_EMPTY" and f.get("field") == "results" for f in profile)


@pytest.mark.slow
async def test_the_real_profile_imports_from_markdown(client, world, settings):
    need(PROFILE.exists(), "tests/data is missing")
    response = await post_import(client, world, PROFILE.read_bytes(), "sepeda-baru-profil.md")
    await assert_sepeda_baru(client, world, response)
    assert nothing_left(settings)
    created = str(response.json()["id"])
    event = await AuditEvent.get(action="import", object_id=created)
    assert event.actor == "admin.a"
    assert event.after["filename"] == "sepeda-baru-profil.md"
    assert len(event.after["sha256"]) == 64
    assert await AuditEvent.exists(action="create", object_id=created)


@pytest.mark.slow
async def test_the_real_profile_imports_from_docx(client, world):
    need(PROFILE.exists(), "tests/data is missing")
    content = markdown_to_docx(PROFILE.read_text("utf-8"))
    response = await post_import(client, world, content, "Profil SEPEDA BARU.docx")
    await assert_sepeda_baru(client, world, response)


@pytest.mark.slow
async def test_a_synthetic_profile_as_text_and_pdf(client, world):
    text = await post_import(client, world, SYNTHETIC.encode(), "profil.txt", role="staff",
                             unit="DISDIK", year="2025")  # fmt: skip
    assert text.status_code == 201, text.text
    body = text.json()
    fields = body["fields"]
    assert fields["name"] == "Posyandu Keliling Desa Sehat (POLIKLINIK)"
    assert fields["stage"] == "uji coba"
    assert fields["type"] == "digital"
    assert fields["trial_date"] == "2026-01-05"
    assert fields["budget"] == 150_000_000
    assert fields["proposal"] == {"summary": "Ringkasan singkat untuk lomba inovasi."}
    assert "FIELD_EMPTY" in finding_codes(body, "results")
    assert "NOT_FOUND" in finding_codes(body, "implementation_date")
    stored = await Innovation.get(id=body["id"]).prefetch_related("unit")
    assert (stored.unit.code, stored.year, stored.budget) == ("DISDIK", 2025, 150_000_000)

    pdf = await post_import(client, world, pdf_bytes(SYNTHETIC.splitlines()), "profil.pdf")
    assert pdf.status_code == 201, pdf.text
    assert pdf.json()["fields"]["name"] == fields["name"]
    assert pdf.json()["fields"]["budget"] == 150_000_000


@pytest.mark.slow
async def test_what_does_not_validate_is_dropped_with_a_finding(client, world):
    profile = SYNTHETIC.replace("Inovasi ini pada tahapan uji coba.", "Sedang berjalan.")
    profile += "\n9. Waktu Penerapan\n1 Desember 2025\n"  # before the trial: not imported
    response = await post_import(client, world, profile.encode(), "profil.md")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fields"]["stage"] is None
    assert "INVALID_VALUE" in finding_codes(body, "stage")
    assert body["fields"]["trial_date"] == "2026-01-05"
    assert body["fields"]["implementation_date"] is None
    assert "DATE_ORDER" in finding_codes(body, "implementation_date")


@pytest.mark.slow
async def test_a_document_without_sections_imports_what_it_can(client, world):
    prose = (
        "Dinas Kesehatan mengembangkan inovasi yang diberi nama Posyandu Digital. "
        "Inovasi ini berada pada tahapan penerapan sejak implementasi pada 2 Maret 2024."
    )
    response = await post_import(client, world, docx_bytes(prose), "catatan.docx")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fields"]["name"] == "Posyandu Digital"
    assert body["fields"]["stage"] == "penerapan"
    assert "NOT_FOUND" in finding_codes(body, "profile")
    assert "NOT_FOUND" in finding_codes(body, "design")

    nameless = await post_import(client, world, b"Catatan rapat tanpa isi profil.\n",
                                 "notulen_rapat-2026.txt")  # fmt: skip
    assert nameless.status_code == 201, nameless.text
    assert nameless.json()["fields"]["name"] == "notulen rapat 2026"
    assert "NAME_FROM_FILE" in finding_codes(nameless.json(), "name")


@pytest.mark.slow
async def test_the_running_workers_sandbox_reads_the_profile(app, client, world):
    settings = app.state.settings.model_copy(update={"extract_workers": 1, "extract_timeout_s": 60})
    worker = Worker(settings)
    extract, used = worker.supervisor.extract, []

    async def spy(job):
        used.append(job.media_type)
        return await extract(job)

    worker.supervisor.extract = spy
    app.state.worker = worker
    try:
        response = await post_import(client, world, SYNTHETIC.encode(), "profil.md")
    finally:
        app.state.worker = None
        await worker.stop()
    assert response.status_code == 201, response.text
    assert response.json()["fields"]["stage"] == "uji coba"
    assert used == ["text/plain"]


REFUSALS = [
    # (role, unit, year, content, name, status)
    ("admin_a", "DINKES", "2026", b"<!doctype html><html><body>Profil</body></html>",
     "profil.html", 415),
    ("admin_a", "DINKES", "2026", b"<html><body>1. Nama Inovasi</body></html>", "profil.md",
     415),
    ("admin_a", "DINKES", "2026", xlsx_bytes([["Nama Inovasi", "X"]]), "profil.xlsx", 415),
    ("verifier", "DINKES", "2026", SYNTHETIC.encode(), "profil.txt", 403),
    ("innovator", "DINKES", "2026", SYNTHETIC.encode(), "profil.txt", 403),
    ("judge", "DINKES", "2026", SYNTHETIC.encode(), "profil.txt", 403),
    ("admin_a", "DISDIK", "2026", SYNTHETIC.encode(), "profil.txt", 403),
    ("anonymous", "DINKES", "2026", SYNTHETIC.encode(), "profil.txt", 401),
    ("admin_a", "NOPE", "2026", SYNTHETIC.encode(), "profil.txt", 422),
    ("admin_a", "DINKES", "dua ribu", SYNTHETIC.encode(), "profil.txt", 422),
    ("admin_a", "DINKES", "1999", SYNTHETIC.encode(), "profil.txt", 422),
    ("admin_a", "DINKES", "2026", b"", "kosong.txt", 422),
]  # fmt: skip


@pytest.mark.parametrize(("role", "unit", "year", "content", "name", "status"), REFUSALS)
async def test_refusals_leave_nothing_behind(client, world, settings, role, unit, year, content,
                                             name, status):  # fmt: skip
    before = await Innovation.all().count()
    response = await post_import(client, world, content, name, role=role, unit=unit, year=year)
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert await Innovation.all().count() == before
    assert not await AuditEvent.exists(action="import")
    assert nothing_left(settings)


async def test_a_missing_file_or_an_unknown_field_is_refused(client, world, settings):
    no_file = await client.post(
        "/api/innovations/import",
        data={"unit": "DINKES", "year": "2026"},
        files={"file": ("", b"")},  # what a browser sends when no file was chosen
        headers=world.headers["admin_a"],
    )
    assert no_file.status_code == 422
    assert no_file.json()["detail"].startswith("file:")
    extra = await post_import(client, world, SYNTHETIC.encode(), "p.txt", status="verified")
    assert extra.status_code == 422
    assert "status" in extra.json()["detail"]
    assert await Innovation.all().count() == 3
    assert nothing_left(settings)


async def test_a_too_large_profile_is_413(app, client, world, settings):
    app.state.settings = settings.model_copy(update={"max_upload_mb": 1})
    response = await post_import(client, world, b"x" * (2 * 1024 * 1024), "besar.txt")
    assert response.status_code == 413
    assert await Innovation.all().count() == 3
    assert nothing_left(settings)


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("Rp 150.000.000,-", 150_000_000),
        ("Rp. 25.500.000,00 dari APBD 2021", 25_500_000),
        ("Tahun 2021 sebesar Rp 1,5 miliar", 1_500_000_000),
        ("Rp 75 juta", 75_000_000),
        ("12,000,000", 12_000_000),
        ("Rp 0", 0),
    ],
)
def test_budgets_are_read_as_rupiah(text, rupiah):
    findings: list = []
    assert _budget(text, findings) == rupiah
    assert findings == []


def test_a_budget_without_an_amount_is_a_finding():
    findings: list = []
    assert _budget("Tanpa anggaran khusus", findings) is None
    assert findings[0]["code"] == "INVALID_VALUE"
