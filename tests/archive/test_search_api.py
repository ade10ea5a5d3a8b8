"""Search over HTTP: ranked, highlighted, paged, and never showing what the caller may not see."""

import pytest

from archive.models import Job
from archive.worker import Worker
from tests.archive.helpers import build_world, open_period
from tests.documents import pdf_bytes

pytestmark = pytest.mark.slow

PELAKSANAAN = pdf_bytes(
    ["LAPORAN PELAKSANAAN INOVASI POSYANDU AKTIF", "Tahun 2025"],
    ["Pelaksanaan inovasi dilakukan di 12 puskesmas.", "NIK 6308011201900001 Siti Aminah"],
)
PERBUP = pdf_bytes(
    [
        "PERATURAN BUPATI BALANGAN",
        "NOMOR 41 TAHUN 2021",
        "TENTANG",
        "PENERAPAN INOVASI DAERAH",
    ]
)
SK = pdf_bytes(
    [
        "KEPUTUSAN KEPALA BALITBANGDA",
        "NOMOR 188.4/69/BALITBANGDA-BLG/2020",
        "TENTANG",
        "TIM INOVASI SEKOLAH RAMAH ANAK",
    ]
)


@pytest.fixture
async def indexed(app, client):
    await open_period()
    world = await build_world(client)
    uploads = {}
    for key, innovation, role, content in [
        ("laporan", world.draft_a, "admin_a", PELAKSANAAN),
        ("perbup", world.draft_a, "admin_a", PERBUP),
        ("sk", world.draft_b, "admin_b", SK),
    ]:
        response = await client.post(
            f"/api/innovations/{innovation.id}/evidence",
            data={"indicator": "regulasi"},
            files={"file": (f"{key}.pdf", content)},
            headers=world.headers[role],
        )
        uploads[key] = response.json()
    settings = app.state.settings.model_copy(update={"extract_workers": 1})
    worker = Worker(settings)
    await worker.open_index()
    await worker.drain()
    yield world, uploads, worker
    await worker.stop()


async def find(client, world, role, q, **params):
    response = await client.get(
        "/api/search", params={"q": q, **params}, headers=world.headers[role]
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_verifier_finds_stemmed_words_first_with_marked_snippets(client, indexed):
    world, uploads, _ = indexed
    result = await find(client, world, "verifier", "pelaksanaan inovasi")
    first = result["hits"][0]
    assert first["evidence_id"] == uploads["laporan"]["id"]
    assert first["type"] == "evidence"
    assert first["page"] in (1, 2)
    assert "<mark>" in first["snippet"]
    assert "6308011201900001" not in str(result)
    # The stemmer lets another form of the word meet it.
    again = await find(client, world, "verifier", "dilaksanakan")
    assert any(h["evidence_id"] == uploads["laporan"]["id"] for h in again["hits"])


async def test_phrases_and_decree_numbers(client, indexed):
    world, uploads, _ = indexed
    phrase = await find(client, world, "verifier", '"Peraturan Bupati"')
    assert phrase["hits"][0]["evidence_id"] == uploads["perbup"]["id"]
    number = await find(client, world, "verifier", "188.4/69")
    assert number["hits"][0]["evidence_id"] == uploads["sk"]["id"]
    whole = await find(client, world, "verifier", "NOMOR 41 TAHUN 2021")
    assert whole["hits"][0]["evidence_id"] == uploads["perbup"]["id"]


async def test_another_units_admin_sees_nothing_unpublished_not_even_a_count(client, indexed):
    world, _, _ = indexed
    result = await find(client, world, "admin_b", "posyandu aktif")
    assert result["total"] == 0
    assert result["hits"] == []
    assert not result["suggestion"] or "posyandu" not in result["suggestion"].lower()
    mixed = await find(client, world, "admin_b", "pelaksanaan inovasi")
    assert {h["innovation_id"] for h in mixed["hits"]} <= {world.draft_b.id, world.published_b.id}
    own = await find(client, world, "admin_b", "188.4/69")
    assert own["total"] >= 1


async def test_anonymous_visitors_see_published_profiles_only(client, indexed):
    world, _, _ = indexed
    result = await find(client, world, "anonymous", "perpustakaan keliling")
    assert [h["innovation_id"] for h in result["hits"]] == [world.published_b.id]
    assert result["hits"][0]["type"] == "innovation"
    hidden = await find(client, world, "anonymous", "pelaksanaan inovasi")
    assert hidden["total"] == 0


async def test_filters_and_paging(client, indexed):
    world, _uploads, _ = indexed
    only_b = await find(client, world, "staff", "inovasi", unit="DISDIK")
    assert {h["unit"] for h in only_b["hits"]} == {"DISDIK"}
    page_one = await find(client, world, "staff", "inovasi", limit=1)
    page_two = await find(client, world, "staff", "inovasi", limit=1, offset=1)
    assert page_one["total"] == page_two["total"] >= 2
    assert page_one["hits"][0] != page_two["hits"][0]


async def test_a_deleted_evidence_disappears_at_once(client, indexed):
    world, uploads, worker = indexed
    await client.delete(
        f"/api/evidence/{uploads['perbup']['id']}", headers=world.headers["admin_a"]
    )
    assert await Job.filter(kind="index", state="pending").exists()  # the index has not heard yet
    result = await find(client, world, "verifier", '"Peraturan Bupati"')
    assert uploads["perbup"]["id"] not in [h["evidence_id"] for h in result["hits"]]
    await worker.drain()
    assert await Job.filter(kind="index", state="pending").count() == 0


async def test_innovation_profiles_are_searchable(client, indexed):
    world, _, worker = indexed
    await client.patch(
        f"/api/innovations/{world.draft_a.id}",
        json={"goals": "Menurunkan angka stunting balita"},
        headers=world.headers["admin_a"],
    )
    await worker.drain()
    result = await find(client, world, "admin_a", "stunting")
    assert result["hits"][0]["type"] == "innovation"
    assert result["hits"][0]["innovation_id"] == world.draft_a.id


@pytest.mark.parametrize(
    "q", ['"tidak seimbang', "*", "a AND OR (", "inovasi\x00\x07", "((((", "-"]
)
async def test_odd_queries_are_searched_literally(client, indexed, q):
    world, _, _ = indexed
    response = await client.get("/api/search", params={"q": q}, headers=world.headers["staff"])
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("q", "status"), [("x" * 10_000, 400), ("   ", 400)])
async def test_absurd_queries_get_400(client, indexed, q, status):
    world, _, _ = indexed
    response = await client.get("/api/search", params={"q": q}, headers=world.headers["staff"])
    assert response.status_code == status
    assert response.json()["detail"]


async def test_a_rebuild_streams_the_database_in_batches(
    app, client, indexed, tmp_path, monkeypatch
):
    from archive.models import Blob
    from archive.services import search as service

    # Never one query per file: fetching a single blob during the rebuild fails the test.
    async def one_by_one(*args, **kwargs):
        raise AssertionError("a blob fetched by itself during a rebuild")

    monkeypatch.setattr(Blob, "get_or_none", one_by_one)
    batches = [docs async for docs in service.document_batches(batch=2)]
    profiles, *pages = batches
    assert {d["type"] for d in profiles} == {"innovation"}
    # Three files, two to a batch; every page of each file is there.
    assert [len({d["evidence_id"] for d in b}) for b in pages] == [2, 1]
    # A rebuild from the batches holds exactly what they say, on whichever backend is in use.
    worker = indexed[2]
    written = await worker.index.rebuild(service.document_batches(batch=2))
    assert written == sum(len(b) for b in batches)
    assert await worker.index.doc_ids() == {d["doc_id"] for b in batches for d in b}
