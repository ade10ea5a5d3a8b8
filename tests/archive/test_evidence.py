"""Evidence uploads: streamed, sniffed, content-addressed, versioned, never lost."""

import errno
import hashlib

import pytest

from archive.models import AuditEvent, Blob, Evidence, IndicatorClaim, Job
from archive.storage import BlobWriter
from tests.archive.helpers import build_world
from tests.archive.test_web_pages import sign_in
from tests.documents import docx_bytes, image_bytes, pdf_bytes, xlsx_bytes

DECREE = pdf_bytes("KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/123/2026", "Lampiran")


@pytest.fixture
async def world(client):
    return await build_world(client)


def url_of(innovation) -> str:
    return f"/api/innovations/{innovation.id}/evidence"


async def upload(client, world, content: bytes, name: str = "sk.pdf", role: str = "admin_a",
                 innovation=None, **fields):  # fmt: skip
    data = {"indicator": "regulasi", **{k: str(v) for k, v in fields.items()}}
    return await client.post(
        url_of(innovation or world.draft_a),
        data=data,
        files={"file": (name, content, "application/octet-stream")},
        headers=world.headers[role],
    )


def nothing_stored(settings) -> bool:
    blobs = (
        [p for p in settings.blob_dir.rglob("*") if p.is_file()]
        if settings.blob_dir.exists()
        else []
    )
    return not blobs


@pytest.mark.parametrize(
    ("content", "name", "media_type"),
    [
        (DECREE, "SK Bupati.pdf", "application/pdf"),
        (
            docx_bytes("Daftar hadir bimtek"),
            "hadir.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx_bytes([["Nama", "Anggaran"], ["Bimtek", 1500000]]),
            "dpa.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (image_bytes("JPEG"), "foto.jpg", "image/jpeg"),
        (image_bytes("PNG"), "layar.png", "image/png"),
        (b"Laporan singkat kegiatan sosialisasi.\n", "catatan.txt", "text/plain"),
    ],
)
async def test_upload_and_download_byte_identical(client, world, content, name, media_type):
    response = await upload(client, world, content, name)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["media_type"] == media_type
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["filename"] == name
    assert body["extraction"]["status"] == "pending"
    assert body["version"] == 1
    download = await client.get(
        f"/api/evidence/{body['id']}/file", headers=world.headers["admin_a"]
    )
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")


async def test_a_link_is_evidence_too(client, world):
    response = await client.post(
        url_of(world.draft_a),
        data={"indicator": "video", "url": "https://www.youtube.com/watch?v=abc123"},
        headers=world.headers["admin_a"],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == "https://www.youtube.com/watch?v=abc123"
    assert body["sha256"] is None
    assert body["extraction"]["status"] == "not_applicable"
    missing = await client.get(f"/api/evidence/{body['id']}/file", headers=world.headers["admin_a"])
    assert missing.status_code == 404


async def test_same_bytes_are_stored_once_across_innovations(client, world, settings):
    first = await upload(client, world, DECREE)
    second = await upload(client, world, DECREE, role="admin_b", innovation=world.draft_b)
    assert first.json()["sha256"] == second.json()["sha256"]
    assert first.json()["id"] != second.json()["id"]
    assert await Blob.all().count() == 1
    assert len([p for p in settings.blob_dir.rglob("*") if p.is_file()]) == 1
    assert await Job.filter(kind="extract").count() == 1


async def test_level_sets_the_indicator_claim(client, world):
    await upload(client, world, DECREE, level=2)
    claim = await IndicatorClaim.get(innovation_id=world.draft_a.id, indicator="regulasi")
    assert claim.claimed_level == 2


async def test_replacing_keeps_every_version_readable(client, world):
    headers = world.headers["admin_a"]
    first = (await upload(client, world, DECREE)).json()
    newer = pdf_bytes("PERATURAN BUPATI BALANGAN NOMOR 41 TAHUN 2026")
    second = await upload(client, world, newer, "perbup.pdf", replaces=first["id"])
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2
    assert second.json()["chain_id"] == first["id"]
    listed = (await client.get(url_of(world.draft_a), headers=headers)).json()
    assert [e["id"] for e in listed] == [second.json()["id"]]
    versions = (await client.get(f"/api/evidence/{first['id']}/versions", headers=headers)).json()
    assert [v["version"] for v in versions] == [1, 2]
    old = await client.get(f"/api/evidence/{first['id']}/file", headers=headers)
    assert old.content == DECREE
    new = await client.get(f"/api/evidence/{second.json()['id']}/file", headers=headers)
    assert new.content == newer
    assert await AuditEvent.filter(action="replace", object_type="evidence").count() == 1
    again = await upload(client, world, newer, "perbup.pdf", replaces=first["id"])
    assert again.status_code == 409


async def test_delete_is_soft_and_audited(client, world, settings):
    headers = world.headers["admin_a"]
    evidence = (await upload(client, world, DECREE)).json()
    assert (
        await client.delete(f"/api/evidence/{evidence['id']}", headers=headers)
    ).status_code == 204
    assert (await client.get(url_of(world.draft_a), headers=headers)).json() == []
    kept = await client.get(f"/api/evidence/{evidence['id']}", headers=world.headers["staff"])
    assert kept.json()["deleted"] is True
    download = await client.get(
        f"/api/evidence/{evidence['id']}/file", headers=world.headers["staff"]
    )
    assert download.content == DECREE
    assert await AuditEvent.filter(action="delete", object_type="evidence").count() == 1
    again = await client.delete(f"/api/evidence/{evidence['id']}", headers=headers)
    assert again.status_code == 409


async def test_range_requests_serve_part_of_the_file(client, world):
    evidence = (await upload(client, world, DECREE)).json()
    response = await client.get(
        f"/api/evidence/{evidence['id']}/file",
        headers={**world.headers["admin_a"], "Range": "bytes=0-7"},
    )
    assert response.status_code == 206
    assert response.content == DECREE[:8]


async def test_downloads_are_audited_with_who_and_where(client, world):
    evidence = (await upload(client, world, DECREE)).json()
    await client.get(f"/api/evidence/{evidence['id']}/file", headers=world.headers["verifier"])
    event = await AuditEvent.get(action="download")
    assert (event.actor, event.object_id, event.ip) == ("verif", str(evidence["id"]), "127.0.0.1")


ROLE_UPLOAD = {
    "staff": 201,
    "admin_a": 201,
    "innovator": 201,
    "verifier": 403,
    "admin_b": 404,
    "judge": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize(("role", "status"), ROLE_UPLOAD.items())
async def test_who_may_upload(client, world, role, status):
    response = await upload(client, world, DECREE, role=role)
    assert response.status_code == status, response.text


ROLE_READ = {
    "staff": 200,
    "verifier": 200,
    "admin_a": 200,
    "innovator": 200,
    "admin_b": 404,
    "judge": 404,
    "anonymous": 404,
}


@pytest.mark.parametrize(("role", "status"), ROLE_READ.items())
async def test_who_may_read_and_download(client, world, role, status):
    evidence = (await upload(client, world, DECREE)).json()
    headers = world.headers[role]
    for path in ["", "/file", "/versions"]:
        response = await client.get(f"/api/evidence/{evidence['id']}{path}", headers=headers)
        assert response.status_code == status, path
        if status != 200:
            assert DECREE not in response.content


async def test_other_units_cannot_delete(client, world):
    evidence = (await upload(client, world, DECREE)).json()
    for role in ("admin_b", "verifier", "judge", "innovator"):
        response = await client.delete(
            f"/api/evidence/{evidence['id']}", headers=world.headers[role]
        )
        assert response.status_code in (403, 404), role
    assert await Evidence.filter(deleted_at=None).count() == 1


# -- bad input: a clear error, and no blob or row left behind ---------------------------------


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"", "kosong.pdf", 422),
        (b"<!doctype html><html><body>bukan pdf</body></html>", "sk.pdf", 415),
        (b"#!/bin/sh\nrm -rf /\n", "sk.pdf", 415),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 64, "sk.pdf", 415),
    ],
)
async def test_bad_files_are_refused_and_leave_nothing(
    client, world, settings, content, name, status
):
    response = await upload(client, world, content, name)
    assert response.status_code == status
    assert response.json()["detail"]
    assert await Evidence.all().count() == 0
    assert await Blob.all().count() == 0
    assert nothing_stored(settings)


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"indicator": "tidak_ada"}, "indicator"),
        ({"level": "7"}, "level"),
        ({"replaces": "abc"}, "replaces"),
        ({"surprise": "1"}, "surprise"),
    ],
)
async def test_bad_fields_are_refused_before_anything_is_stored(
    client, world, settings, fields, fragment
):
    data = {"indicator": "regulasi", **fields}
    response = await client.post(
        url_of(world.draft_a),
        data=data,
        files={"file": ("sk.pdf", DECREE)},
        headers=world.headers["admin_a"],
    )
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert await Evidence.all().count() == 0
    assert nothing_stored(settings)


async def test_file_and_url_together_or_neither_are_refused(client, world, settings):
    headers = world.headers["admin_a"]
    neither = await client.post(url_of(world.draft_a), data={"indicator": "video"}, headers=headers)
    assert neither.status_code == 422
    both = await client.post(
        url_of(world.draft_a),
        data={"indicator": "video", "url": "https://x.id/v"},
        files={"file": ("sk.pdf", DECREE)},
        headers=headers,
    )
    assert both.status_code == 422
    bad_url = await client.post(
        url_of(world.draft_a),
        data={"indicator": "video", "url": "javascript:alert(1)"},
        headers=headers,
    )
    assert bad_url.status_code == 422
    assert await Evidence.all().count() == 0
    assert nothing_stored(settings)


async def test_replaces_cannot_point_at_another_innovation(client, world):
    theirs = (await upload(client, world, DECREE, role="admin_b", innovation=world.draft_b)).json()
    response = await upload(client, world, pdf_bytes("lain"), replaces=theirs["id"])
    assert response.status_code == 422
    assert (await Evidence.get(id=theirs["id"])).is_current


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a" * 500 + ".pdf", None),
    ],
)
async def test_hostile_file_names_are_sanitised(client, world, raw, expected):
    response = await upload(client, world, DECREE, raw)
    assert response.status_code == 201, response.text
    name = response.json()["filename"]
    assert "/" not in name and "\x00" not in name and len(name) <= 200
    assert name.endswith(".pdf")
    if expected:
        assert name == expected
    download = await client.get(
        f"/api/evidence/{response.json()['id']}/file", headers=world.headers["admin_a"]
    )
    assert "\n" not in download.headers["content-disposition"]


async def test_nul_bytes_in_the_raw_file_name_are_dropped(client, world):
    # httpx escapes NUL in file names, so the body is written by hand as a hostile client would.
    boundary = "batas123"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="indicator"\r\n\r\nregulasi\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
    ).encode() + b'filename="sk\x00bupati.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    body += DECREE + f"\r\n--{boundary}--\r\n".encode()
    response = await client.post(
        url_of(world.draft_a),
        content=body,
        headers={
            **world.headers["admin_a"],
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "skbupati.pdf"


async def test_too_large_gets_413_json_and_leaves_nothing(app, client, world, settings):
    app.state.settings = settings.model_copy(update={"max_upload_mb": 1})
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = await upload(client, world, big, "besar.pdf")
    assert response.status_code == 413
    assert "detail" in response.json()
    assert await Evidence.all().count() == 0
    assert nothing_stored(settings)
    assert (await upload(client, world, DECREE)).status_code == 201


async def test_a_full_disk_answers_507_and_leaves_nothing(client, world, settings, monkeypatch):
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The one mock here: a disk cannot be filled for real in a test.
    monkeypatch.setattr(BlobWriter, "_os_write", staticmethod(full))
    response = await upload(client, world, DECREE)
    assert response.status_code == 507
    assert await Evidence.all().count() == 0
    monkeypatch.undo()
    assert nothing_stored(settings)
    assert (await upload(client, world, DECREE)).status_code == 201


async def test_a_huge_file_is_bounded_in_the_index_and_says_so(client, world):
    """Per file, only the first pages go into the search index and the text is capped; the
    evidence (API and page) tells which part is searchable, and the file stays whole."""
    from archive.services import search as search_service
    from indexer.search_backend import MAX_INDEXED_PAGES

    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("daftar-panjang.pdf", pdf_bytes("DAFTAR PANJANG"))},
        headers=world.headers["admin_a"],
    )
    evidence = await Evidence.get(id=uploaded.json()["id"])
    pages = [f"baris {n}" for n in range(1, MAX_INDEXED_PAGES + 501)]
    # What the reader stores for such a file (the worker is off in this test).
    await Blob.filter(sha256=evidence.blob_id).update(
        extraction_status="done",
        pages=pages,
        page_count=len(pages),
        chars=sum(map(len, pages)),
        meta={"truncated": True},
    )
    documents, _, _ = await search_service.documents_for(f"e{evidence.id}")
    assert len(documents) == MAX_INDEXED_PAGES
    assert documents[-1]["page"] == MAX_INDEXED_PAGES

    body = (
        await client.get(f"/api/evidence/{evidence.id}", headers=world.headers["admin_a"])
    ).json()
    assert body["extraction"]["pages"] == MAX_INDEXED_PAGES + 500
    assert body["extraction"]["searchable_pages"] == MAX_INDEXED_PAGES
    assert body["extraction"]["truncated"] is True

    await sign_in(client, "admin.a")
    page = (await client.get(f"/bukti/{evidence.id}")).text
    assert 'id="extraction-bounds"' in page
    assert "hanya 2.000 halaman pertama dari 2.500 yang dapat dicari" in page
