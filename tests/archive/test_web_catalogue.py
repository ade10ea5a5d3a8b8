"""The public catalogue over HTTP: what an anonymous visitor reads, and what they never read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from archive.models import AuditEvent, Blob, Evidence, ExtractionStatus, Innovation
from archive.services.evidence import record_blob
from archive.storage import BlobStore
from tests.archive.test_web_review import switch, world  # noqa: F401
from tests.documents import pdf_bytes

ATOM = "{http://www.w3.org/2005/Atom}"
NIK = "6308 0112 3456 0001"


async def add_document(settings, innovation: Innovation, name: str, text: str) -> Evidence:
    """A current PDF of the innovation whose text was already read (as the worker leaves it)."""
    blob = BlobStore(settings.blob_dir).put_bytes(pdf_bytes([text]))
    await record_blob(blob, "application/pdf", queue="unit:1")
    await Blob.filter(sha256=blob.sha256).update(
        extraction_status=ExtractionStatus.DONE, pages=[text], page_count=1, chars=len(text)
    )
    return await Evidence.create(
        innovation=innovation, indicator="regulasi", blob_id=blob.sha256, filename=name,
        media_type="application/pdf", size=blob.size,
    )  # fmt: skip


@pytest.fixture
async def catalogue(client, world, settings):  # noqa: F811
    """The published innovation with a public and a private document, beside a draft."""
    published = world.published_b
    await Innovation.filter(id=published.id).update(
        affairs="Pendidikan, Perpustakaan", stage="penerapan", type="digital",
        design=f"Mobil perpustakaan singgah di desa. Kontak NIK {NIK}.",
    )  # fmt: skip
    public = await add_document(settings, published, "SK Perpustakaan.pdf", "KEPUTUSAN BUPATI")
    await Evidence.filter(id=public.id).update(public=True)
    private = await add_document(settings, published, "Daftar hadir.pdf", "DAFTAR HADIR")
    secret = await add_document(settings, world.draft_a, "SK Posyandu.pdf", "KEPUTUSAN")
    await Evidence.filter(id=secret.id).update(public=True)  # public, but not published
    return {"public": public, "private": private, "secret": secret}


async def test_an_anonymous_visitor_reads_the_catalogue_and_its_page(client, world, catalogue):  # noqa: F811
    listing = await client.get("/katalog")
    assert listing.status_code == 200
    assert "Perpustakaan Keliling" in listing.text
    assert "Posyandu Aktif" not in listing.text and "Sekolah Ramah Anak" not in listing.text
    assert 'property="og:title"' in listing.text

    page = await client.get(f"/katalog/{world.published_b.id}")
    assert page.status_code == 200
    assert "<title>Perpustakaan Keliling" in page.text
    assert 'content="article"' in page.text
    assert "SK Perpustakaan.pdf" in page.text and "Daftar hadir.pdf" not in page.text
    # A number typed into the profile is masked for the public.
    assert NIK not in page.text and "Mobil perpustakaan singgah" in page.text
    assert 'id="maturity"' in page.text

    document = await client.get(f"/katalog/{world.published_b.id}/dokumen/{catalogue['public'].id}")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert document.headers["content-disposition"].startswith("attachment")
    assert document.headers["x-content-type-options"] == "nosniff"
    # Decided (issue 21): the evidence API stays closed to anonymous callers even for a
    # published innovation (files may hold personal data); what staff made public is served
    # here, the rest of its evidence is not served at all.
    for evidence in (catalogue["public"], catalogue["private"]):
        assert (await client.get(f"/api/evidence/{evidence.id}")).status_code in (401, 404)
        assert (await client.get(f"/api/evidence/{evidence.id}/file")).status_code in (401, 404)


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ("year=2026", True),
        ("year=2025", False),
        ("unit=DISDIK", True),
        ("unit=DINKES", False),
        ("affair=Perpustakaan", True),
        ("affair=Kesehatan", False),
        ("stage=penerapan", True),
        ("stage=inisiatif", False),
        ("type=digital", True),
        ("type=non+digital", False),
    ],
)
async def test_filters_narrow_the_catalogue(client, world, catalogue, filters, found):  # noqa: F811
    page = await client.get(f"/katalog?{filters}")
    assert page.status_code == 200
    assert ("Perpustakaan Keliling" in page.text) is found
    if not found:
        assert 'id="empty"' in page.text and "hapus saringan" in page.text


async def test_unpublished_and_private_things_never_appear_on_a_public_route(
    client,
    world,  # noqa: F811
    catalogue,
):
    draft, published = world.draft_a, world.published_b
    pages = {
        "/katalog": 200,
        "/katalog?q=posyandu": 200,
        "/katalog/angka": 200,
        "/katalog/feed.atom": 200,
        "/sitemap.xml": 200,
        "/robots.txt": 200,
        f"/katalog/{published.id}": 200,
        f"/katalog/{draft.id}": 404,
        f"/katalog/{world.draft_b.id}": 404,
        f"/katalog/{draft.id}/dokumen/{catalogue['secret'].id}": 404,
        f"/katalog/{published.id}/dokumen/{catalogue['private'].id}": 404,
        # An evidence id of another innovation under a published one's path.
        f"/katalog/{published.id}/dokumen/{catalogue['secret'].id}": 404,
    }
    for path, status in pages.items():
        response = await client.get(path)
        assert response.status_code == status, path
        for hidden in ("Posyandu Aktif", "Sekolah Ramah Anak", "Daftar hadir.pdf", NIK,
                       "SK Posyandu.pdf", f"/katalog/{draft.id}\""):  # fmt: skip
            assert hidden not in response.text, (path, hidden)


async def test_the_atom_feed_is_valid_atom(client, world, catalogue):  # noqa: F811
    csrf = await switch(client, "staf")
    # Publishing through the workflow stamps the time the feed sorts by.
    await Innovation.filter(id=world.draft_a.id).update(status="verified")
    published = await client.post(f"/inovasi/{world.draft_a.id}/publikasi", data={"csrf": csrf})
    assert published.status_code == 303, published.text
    await client.post("/logout", data={"csrf": csrf})
    response = await client.get("/katalog/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and a self link.
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "Posyandu Aktif"  # the newest publication first
    assert "Perpustakaan Keliling" in titles
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").startswith("http")
        assert NIK not in (entry.findtext(f"{ATOM}summary") or "")
    assert await Innovation.filter(id=world.draft_a.id, published_at__not_isnull=True).exists()


async def test_the_figures_of_a_year(client, world, catalogue):  # noqa: F811
    page = await client.get("/katalog/angka?year=2026")
    assert page.status_code == 200
    assert 'id="total">1<' in page.text
    assert "Perpustakaan" in page.text and "Dinas Pendidikan" in page.text
    # A published innovation counts as verified: the verified index has a predicate.
    assert 'id="predicate"' in page.text and "Belum ada" not in page.text


async def test_no_published_innovation_yet(client, world):  # noqa: F811
    await Innovation.filter(id=world.published_b.id).update(status="draft")
    assert 'id="empty"' in (await client.get("/katalog")).text
    assert 'id="empty"' in (await client.get("/katalog/angka")).text
    feed = ET.fromstring((await client.get("/katalog/feed.atom")).content)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


async def test_staff_offer_a_document_but_never_one_with_a_nik(client, world, settings):  # noqa: F811
    clean = await add_document(settings, world.published_b, "SK.pdf", "KEPUTUSAN BUPATI")
    listed = await add_document(
        settings, world.published_b, "Daftar penerima.pdf", f"1. Siti NIK: {NIK}"
    )
    csrf = await switch(client, "admin.b")
    refused = await client.post(f"/bukti/{clean.id}/publik", data={"csrf": csrf, "public": "true"})
    assert refused.status_code == 403
    csrf = await switch(client, "staf")
    page = await client.get(f"/bukti/{clean.id}")
    assert 'id="public-form"' in page.text
    offered = await client.post(f"/bukti/{clean.id}/publik", data={"csrf": csrf, "public": "true"})
    assert offered.status_code == 303
    assert (await Evidence.get(id=clean.id)).public
    assert await AuditEvent.exists(action="publish-document", object_id=str(clean.id))

    with_nik = await client.post(
        f"/bukti/{listed.id}/publik", data={"csrf": csrf, "public": "true"}
    )
    assert with_nik.status_code == 409
    assert 'id="public-error"' in with_nik.text and "NIK/NIP" in with_nik.text
    assert not (await Evidence.get(id=listed.id)).public

    withdrawn = await client.post(
        f"/bukti/{clean.id}/publik", data={"csrf": csrf, "public": "false"}
    )
    assert withdrawn.status_code == 303 and not (await Evidence.get(id=clean.id)).public
