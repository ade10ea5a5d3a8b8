"""The review workflow: submit, review per indicator, decide, publish, reopen, deadlines."""

from datetime import timedelta

import pytest

from archive import runtime
from archive.models import AuditEvent, Evidence, Innovation, Notification, Period, Review, User
from archive.services import notifications
from archive.timeutil import utcnow
from tests.archive.helpers import build_world
from tests.documents import pdf_bytes

MANDATORY = ["regulasi", "sdm", "kecepatan", "kemanfaatan", "video"]
PROFILE = {
    "made_by": "Dinas Kesehatan",
    "stage": "penerapan",
    "initiator": "OPD",
    "type": "digital",
    "form": "Pelayanan Publik",
    "affairs": "Kesehatan",
    "design": " ".join(["Rancang bangun posyandu aktif yang terukur dan terdokumentasi."] * 40),
    "goals": "Meningkatkan kunjungan",
    "benefits": "Balita terpantau",
    "results": "Naik 30%",
    "trial_date": "2024-03-01",
    "implementation_date": "2024-06-01",
    "budget": 10_000_000,
}


@pytest.fixture
async def world(client):
    today = utcnow().date()
    await Period.create(
        year=2026,
        rulepack="iid-2026",
        opens=today - timedelta(days=30),
        closes=today + timedelta(days=30),
        review_closes=today + timedelta(days=60),
    )
    return await build_world(client)


async def fill(client, world, innovation, headers=None):
    """A complete profile and a document for every mandatory indicator."""
    url = f"/api/innovations/{innovation.id}"
    headers = headers or world.headers["admin_a"]
    owner = world.headers["admin_b" if innovation.unit_id == world.unit_b.id else "admin_a"]
    response = await client.patch(url, json=PROFILE, headers=owner)
    assert response.status_code == 200, response.text
    for code in MANDATORY:
        if code == "video":
            data = {"indicator": code, "url": "https://youtu.be/posyandu"}
            response = await client.post(f"{url}/evidence", data=data, headers=headers)
        else:
            files = {"file": (f"{code}.pdf", pdf_bytes(f"Bukti {code} Posyandu Aktif"))}
            response = await client.post(
                f"{url}/evidence", data={"indicator": code}, files=files, headers=headers
            )
        assert response.status_code == 201, response.text


async def test_submit_is_refused_with_what_is_missing(client, world):
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/submit", headers=world.headers["admin_a"]
    )
    assert response.status_code == 409
    body = response.json()
    assert set(body["missing"]) == set(MANDATORY)
    assert body["findings"]
    assert (await Innovation.get(id=world.draft_a.id)).status == "draft"


async def test_the_whole_story(client, world):
    """Invite, upload, submit, send back, replace, accept, verify, publish; the audit tells it."""
    url = f"/api/innovations/{world.draft_a.id}"
    admin, verifier, staff = (world.headers[r] for r in ("admin_a", "verifier", "staff"))

    invited = await client.post(
        f"{url}/innovators",
        json={"username": "bidan.sari", "full_name": "Bidan Sari"},
        headers=admin,
    )
    assert invited.status_code == 201
    assert invited.json()["reset_token"]
    await client.post(
        "/api/auth/reset",
        json={"token": invited.json()["reset_token"], "new_password": "bidan-sari-123"},
    )
    login = {"username": "bidan.sari", "password": "bidan-sari-123"}
    token = (await client.post("/api/auth/token", data=login)).json()
    innovator = {"Authorization": f"Bearer {token['access_token']}"}
    await fill(client, world, world.draft_a, headers=innovator)
    uploads = await Evidence.filter(innovation_id=world.draft_a.id)
    assert {e.uploaded_by_id for e in uploads} == {(await User.get(username="bidan.sari")).id}  # type: ignore[attr-defined]
    assert (await client.post(f"{url}/submit", headers=innovator)).status_code == 403

    submitted = await client.post(f"{url}/submit", headers=admin)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert (await client.post(f"{url}/submit", headers=admin)).status_code == 409
    assert await Notification.filter(user__username="verif", kind="submitted").exists()

    version = submitted.json()["version"]
    sent_back = await client.post(
        f"{url}/indicators/regulasi/review",
        json={
            "verified_level": 0,
            "verdict": "tidak_sesuai",
            "note": "Unggah Perbup, bukan nota dinas",
            "version": version,
        },
        headers=verifier,
    )
    assert sent_back.status_code == 200, sent_back.text
    stale = await client.post(
        f"{url}/indicators/sdm/review",
        json={"verified_level": 1, "verdict": "sesuai", "version": 1},
        headers=verifier,
    )
    assert stale.status_code == 409
    revision = await client.post(
        f"{url}/decision",
        json={"decision": "revision", "note": "Perbaiki regulasi"},
        headers=verifier,
    )
    assert revision.json()["status"] == "revision"
    assert await Notification.filter(user__username="admin.a", kind="revision").exists()

    old = await Evidence.get(innovation_id=world.draft_a.id, indicator="regulasi")
    replaced = await client.post(
        f"{url}/evidence",
        data={"indicator": "regulasi", "replaces": str(old.id)},
        files={"file": ("perbup.pdf", pdf_bytes("PERATURAN BUPATI BALANGAN NOMOR 3 TAHUN 2025"))},
        headers=admin,
    )
    assert replaced.status_code == 201
    waiting = (await client.get(f"{url}/reviews", headers=verifier)).json()
    regulasi = next(r for r in waiting if r["indicator"] == "regulasi")
    assert regulasi["state"] == "waiting"
    assert regulasi["changed"]["added"] == [replaced.json()["sha256"]]

    assert (await client.post(f"{url}/submit", headers=admin)).json()["status"] == "submitted"
    for code in MANDATORY:
        accept = {"verified_level": 2, "verdict": "sesuai"}
        ok = await client.post(f"{url}/indicators/{code}/review", json=accept, headers=verifier)
        assert ok.status_code == 200, ok.text
    checklist = (await client.get(f"{url}/checklist", headers=admin)).json()
    assert (
        next(i for i in checklist["indicators"] if i["code"] == "regulasi")["verified_level"] == 2
    )
    assert checklist["maturity"]["verified"] > 0

    verify = {"decision": "verified", "note": "Kelima indikator wajib sesuai."}
    assert (await client.post(f"{url}/decision", json=verify,
                              headers=verifier)).json()["status"] == "verified"  # fmt: skip
    assert (await client.post(f"{url}/publish", headers=verifier)).status_code == 403
    published = await client.post(f"{url}/publish", headers=staff)
    assert published.json()["status"] == "published"
    assert (await client.get(url)).status_code == 200  # the public catalogue now shows it

    log = (
        await client.get(f"/api/audit?object=innovation:{world.draft_a.id}", headers=staff)
    ).json()
    story = [e["action"] for e in log]
    for step in ["invite", "submit", "review", "revision", "submit", "verified", "publish"]:
        assert step in story
        story = story[story.index(step) + 1 :]
    csv = await client.get("/api/audit?format=csv", headers=staff)
    assert csv.content.startswith("\ufeff".encode())


async def test_a_verifier_never_reviews_their_own_unit(client, world):
    from archive.models import Role
    from tests.archive.helpers import make_user, token

    await make_user("verif.dinkes", Role.VERIFIER, world.unit_a)
    headers = {"Authorization": f"Bearer {await token(client, 'verif.dinkes')}"}
    await fill(client, world, world.draft_a)
    await client.post(
        f"/api/innovations/{world.draft_a.id}/submit", headers=world.headers["admin_a"]
    )
    accept = {"verified_level": 1, "verdict": "sesuai"}
    review = await client.post(
        f"/api/innovations/{world.draft_a.id}/indicators/sdm/review", json=accept, headers=headers
    )
    assert review.status_code == 403
    decision = await client.post(
        f"/api/innovations/{world.draft_a.id}/decision",
        json={"decision": "verified"},
        headers=headers,
    )
    assert decision.status_code == 403
    assert not await Review.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"verified_level": 4, "verdict": "sesuai"}, 422),
        ({"verified_level": 1, "verdict": "mungkin"}, 422),
        ({"verified_level": 1, "verdict": "sesuai", "extra": 1}, 422),
    ],
)
async def test_bad_reviews_are_refused(client, world, body, status):
    await fill(client, world, world.draft_a)
    await client.post(
        f"/api/innovations/{world.draft_a.id}/submit", headers=world.headers["admin_a"]
    )
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/indicators/sdm/review",
        json=body,
        headers=world.headers["verifier"],
    )
    assert response.status_code == status


async def test_reviews_need_a_submitted_innovation_and_evidence(client, world):
    url = f"/api/innovations/{world.draft_a.id}/indicators"
    body = {"verified_level": 1, "verdict": "sesuai"}
    draft = await client.post(f"{url}/sdm/review", json=body, headers=world.headers["verifier"])
    assert draft.status_code == 409
    await fill(client, world, world.draft_a)
    await client.post(
        f"/api/innovations/{world.draft_a.id}/submit", headers=world.headers["admin_a"]
    )
    empty = await client.post(f"{url}/bimtek/review", json=body, headers=world.headers["verifier"])
    assert empty.status_code == 422
    assert "belum memiliki bukti" in empty.json()["detail"]


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("admin_a", "publish", 403),
        ("verifier", "reopen", 403),
        ("admin_a", "reopen", 403),
        ("staff", "publish", 409),
    ],
)
async def test_illegal_transitions(client, world, role, name, status):
    response = await client.post(
        f"/api/innovations/{world.draft_a.id}/{name}", headers=world.headers[role]
    )
    assert response.status_code == status
    assert (await Innovation.get(id=world.draft_a.id)).status == "draft"


async def test_the_deadline_locks_the_year_and_a_reopen_unlocks_one_innovation(client, world):
    await Period.filter(year=2026).update(closes=utcnow().date() - timedelta(days=2))
    url = f"/api/innovations/{world.draft_a.id}"
    admin = world.headers["admin_a"]
    locked = await client.patch(url, json={"goals": "terlambat"}, headers=admin)
    assert locked.status_code == 409
    assert "Batas input" in locked.json()["detail"]
    files = {"file": ("sk.pdf", pdf_bytes("SK"))}
    upload = await client.post(
        f"{url}/evidence", data={"indicator": "sdm"}, files=files, headers=admin
    )
    assert upload.status_code == 409
    assert await Evidence.all().count() == 0
    # Staff reopen this one innovation; the other stays locked.
    await Innovation.filter(id=world.draft_a.id).update(status="submitted")
    reopened = await client.post(
        f"{url}/reopen", json={"note": "Berkas terlambat karena banjir"},
        headers=world.headers["staff"],
    )  # fmt: skip
    assert reopened.json()["status"] == "draft"
    assert (await client.patch(url, json={"goals": "diperbaiki"}, headers=admin)).status_code == 200
    other = await client.patch(
        f"/api/innovations/{world.draft_b.id}",
        json={"goals": "x"},
        headers=world.headers["admin_b"],
    )
    assert other.status_code == 409
    # Reopening the whole period unlocks the rest.
    await client.patch("/api/periods/2026", json={"reopened": True}, headers=world.headers["staff"])
    again = await client.patch(
        f"/api/innovations/{world.draft_b.id}",
        json={"goals": "x"},
        headers=world.headers["admin_b"],
    )
    assert again.status_code == 200


async def test_comments_per_innovation_and_indicator(client, world):
    url = f"/api/innovations/{world.draft_a.id}/comments"
    for role, body, indicator in [("admin_a", "SK sudah diunggah", "regulasi"),
                                  ("verifier", "SK belum ditandatangani", "regulasi"),
                                  ("innovator", "Video menyusul", None)]:  # fmt: skip
        response = await client.post(
            url, json={"body": body, "indicator": indicator}, headers=world.headers[role]
        )
        assert response.status_code == 201, response.text
    thread = (
        await client.get(url, params={"indicator": "regulasi"}, headers=world.headers["admin_a"])
    ).json()
    assert [c["author"] for c in thread] == ["admin.a", "verif"]
    assert len((await client.get(url, headers=world.headers["innovator"])).json()) == 3
    for role, status in [("admin_b", 404), ("judge", 404), ("anonymous", 401)]:
        denied = await client.post(url, json={"body": "x"}, headers=world.headers[role])
        assert denied.status_code == status, role
    bad = await client.post(url, json={"body": ""}, headers=world.headers["admin_a"])
    assert bad.status_code == 422


async def test_deadline_reminders_go_out_once_with_what_is_missing(client, world):
    # Seven days from today as the regency counts days (WITA), which is not always UTC's date.
    closes = utcnow().astimezone(runtime.timezone).date() + timedelta(days=7)
    await Period.filter(year=2026).update(closes=closes)
    await client.get(
        f"/api/innovations/{world.draft_a.id}/checklist", headers=world.headers["staff"]
    )
    sent = await notifications.deadline_reminders()
    assert sent >= 1
    note = await Notification.get(user__username="admin.a", kind="deadline")
    assert "7 hari" in note.message and "regulasi" in note.message
    assert await notifications.deadline_reminders() == 0
    mine = (await client.get("/api/notifications", headers=world.headers["admin_a"])).json()
    assert any(n["kind"] == "deadline" for n in mine)
    read = await client.post(
        f"/api/notifications/{mine[0]['id']}/read", headers=world.headers["admin_a"]
    )
    assert read.status_code == 204


async def test_audit_is_for_staff_only(client, world):
    for role, status in [("staff", 200), ("verifier", 403), ("admin_a", 403), ("anonymous", 401)]:
        assert (await client.get("/api/audit", headers=world.headers[role])).status_code == status
    rows = (await client.get("/api/audit?actor=admin.a", headers=world.headers["staff"])).json()
    assert all(r["actor"] == "admin.a" for r in rows)
    assert await AuditEvent.filter(action="login").exists()


async def test_a_new_year_carries_chosen_innovations_forward_with_evidence_linked(client, world):
    await fill(client, world, world.draft_a)
    await Period.create(
        year=2027,
        rulepack="iid-2026",
        opens="2027-01-04",
        closes="2027-12-15",
        review_closes="2027-12-31",
    )
    staff = world.headers["staff"]
    response = await client.post(
        "/api/periods/2027/carry-forward", json={"innovations": [world.draft_a.id]}, headers=staff
    )
    assert response.status_code == 201, response.text
    [copy] = response.json()
    assert (copy["year"], copy["status"], copy["name"]) == (2027, "draft", world.draft_a.name)
    assert copy["design"] == PROFILE["design"]
    old = await Evidence.filter(innovation_id=world.draft_a.id).order_by("indicator")
    new = await Evidence.filter(innovation_id=copy["id"]).order_by("indicator")
    assert [(e.indicator, e.blob_id) for e in new] == [(e.indicator, e.blob_id) for e in old]
    again = await client.post(
        "/api/periods/2027/carry-forward", json={"innovations": [world.draft_a.id]}, headers=staff
    )
    assert again.json() == []
    denied = await client.post(
        "/api/periods/2027/carry-forward",
        json={"innovations": [world.draft_a.id]},
        headers=world.headers["admin_a"],
    )
    assert denied.status_code == 403
    missing = await client.post(
        "/api/periods/2030/carry-forward", json={"innovations": [world.draft_a.id]}, headers=staff
    )
    assert missing.status_code == 404
