"""The national-portal package: a ZIP with the accepted evidence and a manifest."""

import hashlib
import io
import json
import zipfile

from archive.models import Evidence, Innovation, Review
from tests.archive.helpers import build_world
from tests.documents import pdf_bytes

SK = pdf_bytes("KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/9/2025")
LAPORAN = pdf_bytes("LAPORAN MONEV 2025")


async def test_export_packs_accepted_evidence_with_a_manifest(client, settings):
    world = await build_world(client)
    url = f"/api/innovations/{world.draft_a.id}/evidence"
    for indicator, name, content in [("regulasi", "sk.pdf", SK), ("monev", "monev.pdf", LAPORAN)]:
        await client.post(url, data={"indicator": indicator}, files={"file": (name, content)},
                          headers=world.headers["admin_a"])  # fmt: skip
    await client.post(url, data={"indicator": "video", "url": "https://youtu.be/x"},
                      headers=world.headers["admin_a"])  # fmt: skip
    # A verifier accepted regulasi only (recorded as the review workflow does).
    await Innovation.filter(id=world.draft_a.id).update(status="verified")
    await Review.create(innovation_id=world.draft_a.id, indicator="regulasi", verified_level=2,
                        verdict="sesuai", seen=[hashlib.sha256(SK).hexdigest()])  # fmt: skip

    response = await client.get("/api/export?year=2026", headers=world.headers["staff"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(package.read("manifest.json"))
    entry = next(i for i in manifest["innovations"] if i["id"] == world.draft_a.id)
    assert [e["indicator"] for e in entry["evidence"]] == ["regulasi"]
    assert package.read(entry["evidence"][0]["path"]) == SK
    assert entry["evidence"][0]["sha256"] == hashlib.sha256(SK).hexdigest()

    everything = await client.get(
        f"/api/export?innovation={world.draft_a.id}&include=all", headers=world.headers["staff"]
    )
    package = zipfile.ZipFile(io.BytesIO(everything.content))
    entry = json.loads(package.read("manifest.json"))["innovations"][0]
    assert sorted(e["indicator"] for e in entry["evidence"]) == ["monev", "regulasi", "video"]
    video = next(e for e in entry["evidence"] if e["indicator"] == "video")
    assert video["url"] == "https://youtu.be/x" and video["path"] is None
    # Two files, the manifest, and the profile as JSON and as CSV in the national form's order.
    assert len(package.namelist()) == 5
    profile = json.loads(package.read("profil.json"))
    assert [p["name"] for p in profile] == [world.draft_a.name]
    header = package.read("profil.csv").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("ID,Kode unit,Perangkat daerah,Tahun,Status,Nama inovasi,Tahapan")
    assert await Evidence.all().count() == 3
    assert not list(settings.data_dir.glob("ekspor-*"))  # the temporary ZIP is removed
    assert not list(settings.data_dir.glob(".sepeda-paket-*"))


async def test_export_is_for_staff_only(client):
    world = await build_world(client)
    for role, status in [("verifier", 403), ("admin_a", 403), ("anonymous", 401)]:
        assert (await client.get("/api/export", headers=world.headers[role])).status_code == status
    bad = await client.get("/api/export?include=semua", headers=world.headers["staff"])
    assert bad.status_code == 422
