"""The verifier's desk: the queue, one indicator at a time, and forms that come back to it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from archive.models import Comment, Evidence, Innovation, Review, Role
from archive.services import queue
from archive.timeutil import utcnow
from tests.archive.helpers import make_user
from tests.archive.test_web_review import review_form, submitted, switch, world  # noqa: F401
from tests.archive.test_workflow import fill


async def test_admins_have_no_queue(client, world, submitted):  # noqa: F811
    await switch(client, "admin.a")
    assert (await client.get("/verifikasi")).status_code == 403


async def test_the_queue_shows_the_oldest_submission_first_with_its_progress(
    client,
    world,  # noqa: F811
    submitted,  # noqa: F811
):
    # A second innovation, submitted later, from the other unit.
    await fill(client, world, world.draft_b, headers=world.headers["admin_b"])
    await client.post(
        f"/api/innovations/{world.draft_b.id}/submit", headers=world.headers["admin_b"]
    )
    await Innovation.filter(id=submitted.id).update(submitted_at=utcnow() - timedelta(days=6))
    csrf = await switch(client, "verif")
    await client.post(
        f"/inovasi/{submitted.id}/indikator/regulasi/periksa", data=review_form(submitted, csrf)
    )
    page = await client.get("/verifikasi")
    assert page.status_code == 200
    rows = re.findall(
        r'<li class="card queue-row" data-innovation="(\d+)">(.*?)</li>', page.text, re.S
    )
    assert [int(i) for i, _ in rows] == [submitted.id, world.draft_b.id]
    first = rows[0][1]
    assert "Dinas Kesehatan" in first and "menunggu 6 hari" in first
    assert "Diperiksa <strong>1 dari 5</strong>" in first
    assert "4 indikator wajib belum diperiksa" in first

    only_b = await client.get("/verifikasi?unit=DISDIK")
    assert f'data-innovation="{world.draft_b.id}"' in only_b.text
    assert f'data-innovation="{submitted.id}"' not in only_b.text
    nothing = await client.get("/verifikasi?status=verified")
    assert 'id="queue-empty"' in nothing.text

    # New evidence after the review shows as "changed since the last review".
    await Evidence.filter(innovation_id=submitted.id, indicator="sdm").update(
        created_at=utcnow() + timedelta(minutes=5)
    )
    page = await client.get("/verifikasi")
    assert "bukti berubah sejak pemeriksaan terakhir" in page.text


async def test_the_desk_shows_one_indicator_with_nothing_pre_chosen(client, world, submitted):  # noqa: F811
    await switch(client, "verif")
    start = await client.get(f"/verifikasi/{submitted.id}")
    assert start.status_code == 303
    assert start.headers["location"] == f"/verifikasi/{submitted.id}/regulasi"
    page = await client.get(f"/verifikasi/{submitted.id}/regulasi")
    assert page.status_code == 200
    assert "<html" in page.text
    regulasi = await Evidence.get(innovation_id=submitted.id, indicator="regulasi")
    assert f'href="/bukti/{regulasi.id}' in page.text  # the file opens from the desk
    form = re.search(r'<form [^>]*id="review-form".*?</form>', page.text, re.S)
    assert form is not None
    assert " checked" not in form.group(0)
    assert '<option value="" selected>pilih tingkat</option>' in form.group(0)
    assert 'id="blockers"' in page.text and "belum diperiksa" in page.text
    assert "belum dapat: lihat daftar" in page.text

    # Moving to the next indicator swaps the desk only.
    partial = await client.get(f"/verifikasi/{submitted.id}/sdm", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<div id="desk"')
    assert partial.headers["HX-Push-Url"] == f"/verifikasi/{submitted.id}/sdm"
    assert (await client.get(f"/verifikasi/{submitted.id}/tidak-ada")).status_code == 404


async def test_a_review_from_the_desk_moves_on_and_a_refusal_stays(client, world, submitted):  # noqa: F811
    csrf = await switch(client, "verif")
    url = f"/inovasi/{submitted.id}/indikator/regulasi/periksa"
    desk = f"/verifikasi/{submitted.id}"
    empty = await client.post(
        url, data=review_form(submitted, csrf, verdict="", note="dicek", next=f"{desk}/sdm")
    )
    assert empty.status_code == 422
    assert 'id="review-error"' in empty.text and "kesesuaian" in empty.text
    assert 'id="desk"' in empty.text and "dicek" in empty.text  # typed note kept, on the desk
    assert not await Review.exists()

    saved = await client.post(url, data=review_form(submitted, csrf, next=f"{desk}/sdm"))
    assert saved.status_code == 303 and saved.headers["location"] == f"{desk}/sdm"
    # A "next" that is not this innovation's desk is ignored, never followed.
    for evil in ("//evil.example/x", "https://evil.example", f"/verifikasi/{submitted.id + 1}/sdm"):
        moved = await client.post(
            f"/inovasi/{submitted.id}/indikator/sdm/periksa",
            data=review_form(submitted, csrf, next=evil),
        )
        assert moved.headers["location"] == f"/inovasi/{submitted.id}#review-sdm"

    commented = await client.post(
        f"/inovasi/{submitted.id}/komentar",
        data={"csrf": csrf, "body": "Halaman 2 buram", "indicator": "sdm", "next": f"{desk}/sdm"},
    )
    assert commented.status_code == 303 and commented.headers["location"] == f"{desk}/sdm"
    assert await Comment.exists(indicator="sdm", body="Halaman 2 buram")


async def test_a_decision_from_the_desk_is_refused_beside_it(client, world, submitted):  # noqa: F811
    csrf = await switch(client, "verif")
    response = await client.post(
        f"/inovasi/{submitted.id}/keputusan",
        data={"csrf": csrf, "decision": "verified", "note": "Lengkap", "confirm": "1",
              "version": str(submitted.version), "next": f"/verifikasi/{submitted.id}/video"},
    )  # fmt: skip
    assert response.status_code == 409
    assert 'id="desk"' in response.text and 'id="decision-error"' in response.text
    assert (await Innovation.get(id=submitted.id)).status == "submitted"


@pytest.mark.parametrize("role", ["admin.a", "inovator"])
async def test_the_desk_is_for_verifiers_and_staff(client, world, submitted, role):  # noqa: F811
    await switch(client, role)
    assert (await client.get(f"/verifikasi/{submitted.id}/regulasi")).status_code == 403


async def test_a_verifier_of_the_unit_sees_the_desk_without_forms(client, world, submitted):  # noqa: F811
    await make_user("verif.dinkes", Role.VERIFIER, world.unit_a)
    await switch(client, "verif.dinkes")
    page = await client.get(f"/verifikasi/{submitted.id}/regulasi")
    assert page.status_code == 200
    assert 'id="review-form"' not in page.text and 'id="decision-form"' not in page.text
    queue = await client.get("/verifikasi")
    assert "Inovasi unit Anda sendiri" in queue.text


async def test_the_verifier_home_summarises_the_queue(client, world, submitted):  # noqa: F811
    await switch(client, "verif")
    home = await client.get("/")
    summary = re.search(r'<section class="card" id="queue-summary".*?</section>', home.text, re.S)
    assert summary is not None
    assert "<strong>1 inovasi</strong> menunggu" in summary.group(0)
    assert "1 belum diperiksa sama sekali" in summary.group(0)
    await switch(client, "admin.a")
    assert 'id="queue-summary"' not in (await client.get("/")).text


async def test_a_long_queue_is_paged_in_the_database_oldest_first(client, world, submitted):  # noqa: F811
    # 60 more waiting innovations, each submitted a day apart; one lost its date (legacy data).
    now = utcnow()
    await Innovation.bulk_create(
        [
            Innovation(
                year=2026,
                unit=world.unit_b,
                name=f"Antre {n:02d}",
                status="submitted",
                submitted_at=now - timedelta(days=n) if n else None,
            )
            for n in range(60)
        ]
    )
    await Innovation.filter(id=submitted.id).update(submitted_at=now - timedelta(days=100))
    await switch(client, "verif")
    first = await client.get("/verifikasi")
    names = re.findall(r'<h2 class="h3"><a href="/verifikasi/\d+">(.*?)</a>', first.text)
    assert len(names) == queue.PER_PAGE
    assert names[:3] == ["Posyandu Aktif", "Antre 59", "Antre 58"]
    assert "Inovasi 1–50 dari 61." in first.text
    assert 'href="/verifikasi?year=2026&amp;unit=&amp;status=submitted&amp;halaman=2"' in first.text
    second = await client.get("/verifikasi?halaman=2")
    rest = re.findall(r'<h2 class="h3"><a href="/verifikasi/\d+">(.*?)</a>', second.text)
    assert rest[-2:] == ["Antre 01", "Antre 00"]  # the undated one comes last, on every database
    assert len(rest) == 11 and not set(rest) & set(names)
    assert 'start="51"' in second.text
    beyond = await client.get("/verifikasi?halaman=9")  # a stale link shows the last page
    assert "Halaman 2 dari 2" in beyond.text

    summary = await queue.queue_summary(2026)
    assert (summary.waiting, summary.oldest_days, summary.untouched) == (61, 100, 61)
    await Review.create(innovation_id=submitted.id, indicator="regulasi", verified_level=2,
                        verdict="sesuai", reviewer_id=world.users["verifier"].id)  # fmt: skip
    assert (await queue.queue_summary(2026)).untouched == 60
