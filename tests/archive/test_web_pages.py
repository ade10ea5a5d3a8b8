"""The everyday pages: an innovation, evidence upload and download, search, reports.

Each page is scoped exactly as the API: another unit's admin gets 404, anonymous visitors are
sent to /login, and every form is refused without the session's CSRF token.
"""

import re

import pytest

from archive.models import AuditEvent, Evidence, Notification, Role
from archive.web.templating import marked_snippet
from tests.archive.helpers import PASSWORD, build_world, open_period
from tests.documents import pdf_bytes

DECREE = pdf_bytes(["PERATURAN BUPATI BALANGAN", "NOMOR 41 TAHUN 2021", "TENTANG POSYANDU"])


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form without a CSRF token"
    return match.group(1)


async def sign_in(client, username: str) -> str:
    """Sign in through the login form; returns a CSRF token of the new session."""
    page = await client.get("/login")
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 303, response.text
    return csrf_of((await client.get("/")).text)


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


def nothing_stored(settings) -> bool:
    root = settings.blob_dir
    return not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


async def upload_form(client, innovation_id: int, csrf: str, content: bytes = DECREE, **fields):
    data = {"csrf": csrf, "indicator": "regulasi", "level": "", "url": "", **fields}
    return await client.post(
        f"/inovasi/{innovation_id}/bukti",
        data=data,
        files={"file": ("Perbup 41.pdf", content, "application/pdf")},
    )


PAGES = ["/", "/inovasi/1", "/cari?q=posyandu", "/laporan", "/bukti/1/unduh"]


@pytest.mark.parametrize("path", PAGES)
async def test_anonymous_visitors_are_sent_to_the_login_page(client, world, path):
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


async def test_the_innovation_page_shows_profile_checklist_and_the_forms(client, world):
    await sign_in(client, "admin.a")
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert page.status_code == 200
    html = page.text
    assert "Posyandu Aktif" in html and "Dinas Kesehatan" in html
    assert "Draf" in html
    assert 'id="checklist"' in html and "Regulasi Inovasi Daerah" in html
    assert "Belum ada bukti" in html  # the status of an indicator without evidence
    assert "kematangan bila diperbaiki" in html  # what fixing an indicator is worth
    assert f'action="/inovasi/{world.draft_a.id}/bukti"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Ajukan untuk verifikasi" in html
    assert html.count('name="csrf"') >= 3  # logout, submit, upload


async def test_another_units_admin_gets_404_on_every_page_of_an_innovation(client, world):
    csrf = await sign_in(client, "admin.b")
    inn = world.draft_a.id
    page = await client.get(f"/inovasi/{inn}")
    assert page.status_code == 404
    assert "Posyandu Aktif" not in page.text
    assert "tidak ditemukan" in page.text.lower()
    assert (await upload_form(client, inn, csrf)).status_code == 404
    assert (await client.post(f"/inovasi/{inn}/ajukan", data={"csrf": csrf})).status_code == 404
    assert await Evidence.filter(innovation_id=inn).count() == 0


async def test_a_verifier_reads_an_innovation_but_gets_no_forms_to_change_it(client, world):
    csrf = await sign_in(client, "verif")
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert page.status_code == 200
    assert "Unggah berkas" not in page.text
    assert "Ajukan untuk verifikasi" not in page.text
    refused = await upload_form(client, world.draft_a.id, csrf)
    assert refused.status_code == 403
    assert await Evidence.filter(innovation_id=world.draft_a.id).count() == 0


async def test_an_upload_through_the_page_is_stored_and_shown_as_being_read(
    client, world, settings
):
    csrf = await sign_in(client, "admin.a")
    response = await upload_form(client, world.draft_a.id, csrf, level="2")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/inovasi/{world.draft_a.id}#ind-regulasi"
    evidence = await Evidence.get(innovation_id=world.draft_a.id)
    assert evidence.filename == "Perbup 41.pdf" and evidence.media_type == "application/pdf"
    assert not nothing_stored(settings)
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert "tersimpan untuk indikator Regulasi Inovasi Daerah" in page.text  # the flash message
    assert "Perbup 41.pdf" in page.text
    # The card says the file is being read, and asks again until it is.
    card = re.search(r'<div class="state" id="state-regulasi".*?>', page.text, re.S)
    assert card and 'hx-trigger="every 2s"' in card.group(0)
    assert "Sedang dibaca" in page.text
    assert f'href="/bukti/{evidence.id}/unduh"' in page.text
    again = await client.get(f"/inovasi/{world.draft_a.id}")
    assert "tersimpan untuk indikator" not in again.text  # shown once


async def test_a_link_can_be_added_through_the_same_form(client, world):
    csrf = await sign_in(client, "admin.a")
    fields = {"csrf": csrf, "indicator": "video", "level": "", "url": "https://youtu.be/abc"}
    # What a browser sends when no file was chosen: an empty part with filename="".
    parts = [f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             for k, v in fields.items()]  # fmt: skip
    parts.append(
        '--b\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"
    )
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        content="".join(parts).encode(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 303, response.text
    evidence = await Evidence.get(innovation_id=world.draft_a.id)
    assert evidence.url == "https://youtu.be/abc" and evidence.blob_id is None


@pytest.mark.parametrize("token", [None, "palsu"])
async def test_an_upload_without_the_sessions_csrf_token_stores_nothing(
    client, world, settings, token
):
    await sign_in(client, "admin.a")
    data = {"indicator": "regulasi"} | ({"csrf": token} if token else {})
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data=data,
        files={"file": ("sk.pdf", DECREE, "application/pdf")},
    )
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.text
    assert nothing_stored(settings)
    assert await Evidence.filter(innovation_id=world.draft_a.id).count() == 0


async def test_a_refused_upload_shows_the_reason_on_the_page(client, world, settings):
    csrf = await sign_in(client, "admin.a")
    response = await upload_form(client, world.draft_a.id, csrf, indicator="bukan-kode")
    assert response.status_code == 422
    assert 'id="error-summary"' in response.text and "bukan-kode" in response.text
    assert nothing_stored(settings)
    bad_type = await upload_form(client, world.draft_a.id, csrf, content=b"MZ\x90\x00 not a doc")
    assert bad_type.status_code == 415
    assert nothing_stored(settings)


async def test_the_download_link_serves_the_bytes_with_the_session_and_is_audited(client, world):
    csrf = await sign_in(client, "admin.a")
    await upload_form(client, world.draft_a.id, csrf)
    evidence = await Evidence.get(innovation_id=world.draft_a.id)
    response = await client.get(f"/bukti/{evidence.id}/unduh")
    assert response.status_code == 200
    assert response.content == DECREE
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert await AuditEvent.exists(
        action="download", object_type="evidence", object_id=str(evidence.id), actor="admin.a"
    )
    await client.post("/logout", data={"csrf": csrf_of((await client.get("/")).text)})
    await sign_in(client, "admin.b")
    assert (await client.get(f"/bukti/{evidence.id}/unduh")).status_code == 404


async def test_the_submit_refusal_shows_its_reasons(client, world):
    csrf = await sign_in(client, "admin.a")
    response = await client.post(f"/inovasi/{world.draft_a.id}/ajukan", data={"csrf": csrf})
    assert response.status_code == 409
    html = response.text
    assert 'id="submit-refused"' in html and "Pengajuan ditolak" in html
    assert "Indikator wajib yang belum berbukti" in html
    # Each reason names the indicator in words and links to its card.
    assert re.search(r'href="#ind-regulasi">Regulasi Inovasi Daerah</a>', html)
    assert "Isian profil yang perlu dilengkapi" in html
    await world.draft_a.refresh_from_db()
    assert world.draft_a.status == "draft"


async def test_the_submit_button_needs_the_csrf_token(client, world):
    await sign_in(client, "admin.a")
    response = await client.post(f"/inovasi/{world.draft_a.id}/ajukan", data={"csrf": "palsu"})
    assert response.status_code == 403


async def test_the_home_page_links_each_innovation_and_counts_notifications(client, world):
    await Notification.create(user=world.users["admin_a"], kind="x", message="Halo")
    await sign_in(client, "admin.a")
    page = await client.get("/")
    assert f'href="/inovasi/{world.draft_a.id}"' in page.text
    assert 'href="/cari"' in page.text
    assert 'href="/laporan"' not in page.text  # reports are for staff and verifiers
    assert re.search(r'id="notif-count"[^>]*>1<', page.text)


async def test_the_report_page_is_for_staff_and_verifiers(client, world):
    await sign_in(client, "verif")
    home = await client.get("/")
    assert 'href="/laporan"' in home.text
    page = await client.get("/laporan")
    assert page.status_code == 200
    html = page.text
    assert "Laporan tahun 2026" in html
    assert 'id="index"' in html and "Predikat" in html
    # Aggregates per unit (a verifier's link opens that unit's queue), not 1,000 rows.
    row = re.search(r'<tr id="unit-DISDIK">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/verifikasi?unit=DISDIK"' in row and "Dinas Pendidikan" in row
    assert 'data-label="Inovasi">2<' in row
    assert 'id="national-package"' not in html  # the portal package is for staff
    csv = await client.get("/laporan/kelengkapan.csv?year=2026")
    assert csv.status_code == 200
    assert csv.content.startswith("\ufeff".encode()) and b"Posyandu Aktif" in csv.content
    assert csv.headers["content-disposition"].startswith("attachment;")
    xlsx = await client.get("/laporan/kelengkapan.xlsx?year=2026")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


async def test_an_admin_is_refused_the_report_page_but_gets_their_units_completeness(client, world):
    await sign_in(client, "admin.a")
    assert (await client.get("/laporan")).status_code == 403
    assert (await client.get("/laporan/unit.csv?year=2026")).status_code == 403
    assert (await client.get("/laporan/kelengkapan.xlsx?year=2026")).status_code == 403
    # Decided (issue 21): the per-innovation CSV is theirs too, for their own unit only, as in
    # the API, and linked from their home page.
    assert 'href="/laporan/kelengkapan.csv?year=2026"' in (await client.get("/")).text
    csv = await client.get("/laporan/kelengkapan.csv?year=2026")
    assert csv.status_code == 200
    assert b"Posyandu Aktif" in csv.content and b"Sekolah Ramah Anak" not in csv.content


def test_snippets_are_trusted_only_when_their_only_markup_is_mark():
    assert str(marked_snippet("a <mark>posyandu</mark> &amp; b")) == (
        "a <mark>posyandu</mark> &amp; b"
    )
    hostile = marked_snippet('<mark>x</mark><img src=x onerror="alert(1)">')
    assert "<img" not in str(hostile) and "&lt;img" in str(hostile)


@pytest.mark.slow
async def test_the_search_page_shows_marked_snippets_and_pages(client, world, app, monkeypatch):
    from archive.worker import Worker
    from indexer import evaluate

    csrf = await sign_in(client, "admin.a")
    for number in range(12):
        content = pdf_bytes([f"LAPORAN POSYANDU KE-{number}", "Kegiatan posyandu balita"])
        response = await upload_form(client, world.draft_a.id, csrf, content=content)
        assert response.status_code == 303
    worker = Worker(app.state.settings.model_copy(update={"extract_workers": 1}))
    await worker.open_index()
    await worker.drain()
    try:
        page = await client.get("/cari", params={"q": "posyandu"})
        assert page.status_code == 200
        assert "<mark>" in page.text.lower()
        assert 'id="total">' in page.text
        assert 'aria-current="page">1<' in page.text
        assert "page=2" in page.text
        second = await client.get("/cari", params={"q": "posyandu", "page": 2})
        assert 'aria-current="page">2<' in second.text
        typo = await client.get("/cari", params={"q": "posyando"})
        assert 'id="suggestion"' in typo.text and "q=posyandu" in typo.text
        phrase = {"q": '"kegiatan posyandu balita"'}
        exact = await client.get("/cari", params=phrase)
        assert 'id="total">12 hasil' in exact.text
        # Past the checking budget a Whoosh phrase total is estimated (the hits are checked),
        # and the page and the API say so; PostgreSQL matches phrases by position and counts.
        if app.state.settings.search_engine == "whoosh":
            monkeypatch.setattr(evaluate, "MAX_CHECKED", 2)
            monkeypatch.setattr(evaluate, "CHECK_BATCH", 1)
            estimated = await client.get("/cari", params=phrase)
            assert 'id="total">sekitar 12 hasil' in estimated.text
            listed = estimated.text.split('id="hits"', 1)[1].split("</ol>", 1)[0]
            assert listed.count('<li class="card">') == 10  # a full first page, all checked
            admin = world.headers["admin_a"]
            api = await client.get("/api/search", params={**phrase, "limit": 5}, headers=admin)
            found = api.json()
            assert (found["estimated"], found["total"], len(found["hits"])) == (True, 12, 5)
    finally:
        await worker.stop()
    await client.post("/logout", data={"csrf": csrf_of((await client.get("/")).text)})
    await sign_in(client, "admin.b")
    other = await client.get("/cari", params={"q": "posyandu"})
    assert "Perbup" not in other.text and "<mark>" not in other.text.lower()


async def test_an_upload_to_a_submitted_innovation_shows_why_it_is_refused(client, world):
    csrf = await sign_in(client, "admin.a")
    world.draft_a.status = "submitted"
    await world.draft_a.save()
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert "Unggah berkas" not in page.text and "Ajukan untuk verifikasi" not in page.text
    response = await upload_form(client, world.draft_a.id, csrf)
    assert response.status_code == 409
    assert 'id="error-summary"' in response.text and "tidak dapat diubah" in response.text


async def test_a_non_ascii_csrf_token_is_refused_not_a_server_error(client, world):
    await sign_in(client, "admin.a")
    response = await client.post(f"/inovasi/{world.draft_a.id}/ajukan", data={"csrf": "é"})
    assert response.status_code == 403


async def test_the_search_page_without_a_query_shows_the_form_and_odd_input_is_handled(
    client, world
):
    await sign_in(client, "verif")
    empty = await client.get("/cari")
    assert empty.status_code == 200 and 'role="search"' in empty.text
    assert 'id="total"' not in empty.text
    long = await client.get("/cari", params={"q": "a" * 400, "year": "abcd"})
    assert long.status_code == 200
    assert 'role="alert"' in long.text or 'id="total"' in long.text


async def test_the_search_filter_lists_the_indicators_of_the_newest_periods_pack(client):
    from archive.models import Period
    from tests.archive.helpers import make_user

    await Period.create(
        year=2024, rulepack="iid-2024", opens="2024-01-05", closes="2024-12-15",
        review_closes="2024-12-31",
    )  # fmt: skip
    await make_user("verif", Role.VERIFIER)
    await sign_in(client, "verif")
    page = await client.get("/cari")
    assert "Penggunaan IT" in page.text  # the iid-2024 name of alat_kerja
    assert "Alat kerja" not in page.text  # its iid-2026 name
    chosen = await client.get("/cari", params={"year": "2026"})
    assert "Alat kerja" in chosen.text and "Penggunaan IT" not in chosen.text
