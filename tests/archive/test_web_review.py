"""Verification through the pages: a verifier reviews indicators and decides; staff publish.

The forms sit on the innovation page and go through the same services as the JSON API, so the
rules (role, own unit, state, stale version) are the API's; these tests check that the pages
offer the right forms, show refusals beside them and change nothing when refused.
"""

from __future__ import annotations

import re

import pytest

from archive.models import AuditEvent, Innovation, Notification, Review, Role
from tests.archive.helpers import build_world, make_user, open_period
from tests.archive.test_web_pages import csrf_of, sign_in
from tests.archive.test_workflow import fill


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def switch(client, username: str) -> str:
    """Sign the current page user out, then ``username`` in; returns the new CSRF token."""
    home = await client.get("/")
    if home.status_code == 200:
        await client.post("/logout", data={"csrf": csrf_of(home.text)})
    return await sign_in(client, username)


@pytest.fixture
async def submitted(client, world):
    """Posyandu Aktif with every mandatory indicator backed, submitted by its admin."""
    await fill(client, world, world.draft_a)
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/submit", headers=world.headers["admin_a"]
    )
    assert response.status_code == 200, response.text
    return await Innovation.get(id=world.draft_a.id)


def review_form(inn: Innovation, token: str, **fields) -> dict:
    return {
        "csrf": token,
        "version": str(inn.version),
        "verified_level": "2",
        "verdict": "sesuai",
        "note": "",
        **fields,
    }


async def test_a_verifier_reviews_an_indicator_on_the_page(client, world, submitted):
    csrf = await switch(client, "verif")
    page = await client.get(f"/inovasi/{submitted.id}")
    assert page.status_code == 200
    assert 'id="pemeriksaan"' in page.text
    action = f'action="/inovasi/{submitted.id}/indikator/regulasi/periksa"'
    assert action in page.text
    # Forms only for indicators with evidence: five mandatory ones were backed.
    assert page.text.count('class="review-form"') == 5
    assert 'id="decide-button"' in page.text

    response = await client.post(
        f"/inovasi/{submitted.id}/indikator/regulasi/periksa",
        data=review_form(submitted, csrf, verified_level="1", note="Perbup belum diundangkan"),
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/inovasi/{submitted.id}#review-regulasi"
    review = await Review.get(innovation_id=submitted.id, indicator="regulasi")
    assert (review.verified_level, str(review.verdict)) == (1, "sesuai")
    assert review.note == "Perbup belum diundangkan"
    assert await AuditEvent.filter(action="review", object_id=str(submitted.id)).exists()

    page = await client.get(f"/inovasi/{submitted.id}")
    assert "Hasil pemeriksaan indikator regulasi disimpan" in page.text
    row = re.search(r'<tr id="review-regulasi">.*?</tr>', page.text, re.S)
    assert row and "Perbup belum diundangkan" in row.group(0) and "oleh verif" in row.group(0)
    card = re.search(r'<article [^>]*id="ind-regulasi".*?</article>', page.text, re.S)
    assert card and "terverifikasi 1" in card.group(0)

    # The unit's admin reads the verdict and the note, without a form.
    await switch(client, "admin.a")
    page = await client.get(f"/inovasi/{submitted.id}")
    assert "Perbup belum diundangkan" in page.text
    assert 'class="review-form"' not in page.text and 'id="decide-button"' not in page.text


async def test_a_stale_form_is_refused_beside_it_and_changes_nothing(client, world, submitted):
    csrf = await switch(client, "verif")
    stale = review_form(submitted, csrf, version=str(submitted.version - 1))
    response = await client.post(f"/inovasi/{submitted.id}/indikator/sdm/periksa", data=stale)
    assert response.status_code == 409
    assert 'id="review-error"' in response.text and "Muat ulang" in response.text
    assert not await Review.exists(innovation_id=submitted.id)


async def test_an_indicator_without_evidence_cannot_be_reviewed(client, world, submitted):
    csrf = await switch(client, "verif")
    response = await client.post(
        f"/inovasi/{submitted.id}/indikator/jejaring/periksa", data=review_form(submitted, csrf)
    )
    assert response.status_code == 422
    assert 'id="review-error"' in response.text and "belum memiliki bukti" in response.text
    assert not await Review.exists(innovation_id=submitted.id)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"verified_level": "4"}, 422),
        ({"verdict": "mungkin"}, 422),
        ({"note": "x" * 5001}, 422),
        ({"verified_level": ""}, 422),  # nothing is pre-chosen: the verifier must choose
        ({"verdict": ""}, 422),
        ({"csrf": "bukan-token"}, 403),
    ],
)
async def test_bad_review_forms_are_refused(client, world, submitted, fields, status):
    csrf = await switch(client, "verif")
    response = await client.post(
        f"/inovasi/{submitted.id}/indikator/regulasi/periksa",
        data=review_form(submitted, csrf, **fields),
    )
    assert response.status_code == status
    assert not await Review.exists(innovation_id=submitted.id)


async def test_no_review_for_admins_or_a_verifier_of_the_same_unit(client, world, submitted):
    csrf = await switch(client, "admin.a")
    refused = await client.post(
        f"/inovasi/{submitted.id}/indikator/regulasi/periksa", data=review_form(submitted, csrf)
    )
    assert refused.status_code == 403

    await make_user("verif.dinkes", Role.VERIFIER, world.unit_a)
    csrf = await switch(client, "verif.dinkes")
    page = await client.get(f"/inovasi/{submitted.id}")
    assert page.status_code == 200
    assert 'class="review-form"' not in page.text and 'id="decide-button"' not in page.text
    refused = await client.post(
        f"/inovasi/{submitted.id}/indikator/regulasi/periksa", data=review_form(submitted, csrf)
    )
    assert refused.status_code == 403
    assert "unitnya sendiri" in refused.text
    decided = await client.post(
        f"/inovasi/{submitted.id}/keputusan",
        data={"csrf": csrf, "decision": "verified", "version": str(submitted.version),
              "note": "ok", "confirm": "1"},
    )  # fmt: skip
    assert decided.status_code == 403
    assert not await Review.exists(innovation_id=submitted.id)
    assert (await Innovation.get(id=submitted.id)).status == "submitted"


async def test_a_draft_offers_no_review_forms(client, world):
    await switch(client, "verif")
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert page.status_code == 200
    assert 'class="review-form"' not in page.text and 'id="decide-button"' not in page.text


async def test_send_back_then_staff_publish_and_reopen_through_the_pages(client, world, submitted):
    csrf = await switch(client, "verif")
    sent_back = await client.post(
        f"/inovasi/{submitted.id}/keputusan",
        data={
            "csrf": csrf,
            "decision": "revision",
            "note": "Lengkapi SK tim",
            "confirm": "1",
            "version": str(submitted.version),
        },
    )
    assert sent_back.status_code == 303, sent_back.text
    inn = await Innovation.get(id=submitted.id)
    assert inn.status == "revision"
    assert await Notification.filter(user__username="admin.a", kind="revision").exists()
    page = await client.get(f"/inovasi/{inn.id}")
    assert "dikembalikan kepada admin unit" in page.text
    assert 'id="decide-button"' not in page.text  # nothing left to decide

    # The admin resubmits through the API, the verifier verifies on the page.
    resubmitted = await client.post(
        f"/api/innovations/{inn.id}/submit", headers=world.headers["admin_a"]
    )
    assert resubmitted.status_code == 200
    inn = await Innovation.get(id=inn.id)
    page = await client.get(f"/inovasi/{inn.id}")
    assert 'id="blockers"' in page.text  # nothing reviewed yet: "verified" cannot be chosen
    decide = {"csrf": csrf_of(page.text), "decision": "verified", "version": str(inn.version),
              "note": "Semua bukti sesuai", "confirm": "1"}  # fmt: skip
    refused = await client.post(f"/inovasi/{inn.id}/keputusan", data=decide)
    assert refused.status_code == 409
    assert 'id="decision-error"' in refused.text and "belum diperiksa" in refused.text
    assert "Semua bukti sesuai" in refused.text  # the typed note is kept
    for code in ("regulasi", "sdm", "kecepatan", "kemanfaatan", "video"):
        reviewed = await client.post(
            f"/inovasi/{inn.id}/indikator/{code}/periksa", data=review_form(inn, decide["csrf"])
        )
        assert reviewed.status_code == 303, reviewed.text
    unconfirmed = await client.post(f"/inovasi/{inn.id}/keputusan", data={**decide, "confirm": ""})
    assert unconfirmed.status_code == 422 and "konfirmasi" in unconfirmed.text
    no_note = await client.post(f"/inovasi/{inn.id}/keputusan", data={**decide, "note": " "})
    assert no_note.status_code == 422 and "catatan alasan" in no_note.text.lower()
    assert (await Innovation.get(id=inn.id)).status == "submitted"
    verified = await client.post(f"/inovasi/{inn.id}/keputusan", data=decide)
    assert verified.status_code == 303
    inn = await Innovation.get(id=inn.id)
    assert inn.status == "verified"

    csrf = await switch(client, "staf")
    page = await client.get(f"/inovasi/{inn.id}")
    assert 'id="publish-button"' in page.text and 'id="reopen-button"' in page.text
    stale = await client.post(
        f"/inovasi/{inn.id}/publikasi", data={"csrf": csrf, "version": str(inn.version - 1)}
    )
    assert stale.status_code == 409 and 'id="decision-error"' in stale.text
    published = await client.post(
        f"/inovasi/{inn.id}/publikasi", data={"csrf": csrf, "version": str(inn.version)}
    )
    assert published.status_code == 303
    inn = await Innovation.get(id=inn.id)
    assert inn.status == "published"
    page = await client.get(f"/inovasi/{inn.id}")
    assert "Inovasi dipublikasikan di katalog" in page.text
    assert 'id="publish-button"' not in page.text

    reopen = {"csrf": csrf_of(page.text), "version": str(inn.version)}
    no_reason = await client.post(f"/inovasi/{inn.id}/buka-kembali", data=reopen)
    assert no_reason.status_code == 422 and 'id="reopen-error"' in no_reason.text
    reopened = await client.post(
        f"/inovasi/{inn.id}/buka-kembali", data={**reopen, "note": "Data kunjungan keliru"}
    )
    assert reopened.status_code == 303
    assert (await Innovation.get(id=inn.id)).status == "draft"
    told = await Notification.filter(user__username="admin.a", kind="reopened").first()
    assert told is not None and "Data kunjungan keliru" in told.message
    actions = await AuditEvent.filter(object_id=str(inn.id)).values_list("action", flat=True)
    assert {"revision", "verified", "publish", "reopen"} <= set(actions)

    # The admin reads the whole history on the page: who, what, why.
    await switch(client, "admin.a")
    page = await client.get(f"/inovasi/{inn.id}")
    history = re.search(r'<ol class="history" id="history">.*?</ol>', page.text, re.S)
    assert history is not None
    for text in ("Lengkapi SK tim", "Semua bukti sesuai", "Data kunjungan keliru", "Verif"):
        assert text in history.group(0)


async def test_staff_withdraw_a_decision_on_the_page(client, world, submitted):
    csrf = await switch(client, "staf")
    page = await client.get(f"/inovasi/{submitted.id}")
    sent_back = await client.post(
        f"/inovasi/{submitted.id}/keputusan",
        data={"csrf": csrf, "decision": "revision", "note": "Kurang SK", "confirm": "1",
              "version": str(submitted.version)},
    )  # fmt: skip
    assert sent_back.status_code == 303
    page = await client.get(f"/inovasi/{submitted.id}")
    assert 'id="withdraw-form"' in page.text
    inn = await Innovation.get(id=submitted.id)
    form = {"csrf": csrf, "version": str(inn.version)}
    refused = await client.post(f"/inovasi/{inn.id}/tarik-keputusan", data=form)
    assert refused.status_code == 422 and 'id="withdraw-error"' in refused.text
    withdrawn = await client.post(
        f"/inovasi/{inn.id}/tarik-keputusan", data={**form, "note": "SK ternyata sudah ada"}
    )
    assert withdrawn.status_code == 303
    assert (await Innovation.get(id=inn.id)).status == "submitted"
    page = await client.get(f"/inovasi/{inn.id}")
    assert "SK ternyata sudah ada" in page.text


async def test_a_verifier_cannot_publish_or_reopen(client, world, submitted):
    csrf = await switch(client, "verif")
    for path in ("publikasi", "buka-kembali"):
        response = await client.post(
            f"/inovasi/{submitted.id}/{path}",
            data={"csrf": csrf, "version": str(submitted.version)},
        )
        assert response.status_code in {403, 409}
    assert (await Innovation.get(id=submitted.id)).status == "submitted"
