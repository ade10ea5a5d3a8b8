"""No decision contradicts the reviews behind it; every decision says why and stays in history."""

from archive.models import Decision, Innovation, Notification
from tests.archive.test_workflow import MANDATORY, fill, world  # noqa: F401 (fixture)

ACCEPT = {"verified_level": 2, "verdict": "sesuai"}


async def submitted(client, world) -> str:  # noqa: F811
    await fill(client, world, world.draft_a)
    url = f"/api/innovations/{world.draft_a.id}"
    response = await client.post(f"{url}/submit", headers=world.headers["admin_a"])
    assert response.status_code == 200, response.text
    return url


async def test_verified_is_refused_while_a_mandatory_indicator_is_unreviewed(client, world):  # noqa: F811
    url = await submitted(client, world)
    verifier = world.headers["verifier"]
    for code in MANDATORY[:4]:
        ok = await client.post(f"{url}/indicators/{code}/review", json=ACCEPT, headers=verifier)
        assert ok.status_code == 200, ok.text
    refused = await client.post(
        f"{url}/decision", json={"decision": "verified", "note": "Lengkap"}, headers=verifier
    )
    assert refused.status_code == 409
    assert refused.json()["unreviewed"] == ["video"]
    assert "belum diperiksa" in refused.json()["detail"]
    assert (await Innovation.get(id=world.draft_a.id)).status == "submitted"
    assert not await Decision.filter(name="verified").exists()


async def test_verified_is_refused_while_a_mandatory_indicator_is_tidak_sesuai(client, world):  # noqa: F811
    url = await submitted(client, world)
    verifier = world.headers["verifier"]
    for code in MANDATORY:
        body = ACCEPT if code != "regulasi" else {"verified_level": 0, "verdict": "tidak_sesuai"}
        await client.post(f"{url}/indicators/{code}/review", json=body, headers=verifier)
    refused = await client.post(
        f"{url}/decision", json={"decision": "verified", "note": "Lengkap"}, headers=verifier
    )
    assert refused.status_code == 409
    assert refused.json()["not_sesuai"] == ["regulasi"]
    assert "tidak sesuai" in refused.json()["detail"]
    # Sending it back is what the reviews call for, and it is allowed.
    back = await client.post(
        f"{url}/decision",
        json={"decision": "revision", "note": "Unggah Perbup yang ditandatangani"},
        headers=verifier,
    )
    assert back.json()["status"] == "revision"


async def test_verified_is_refused_while_the_profile_has_errors(client, world):  # noqa: F811
    url = await submitted(client, world)
    verifier = world.headers["verifier"]
    for code in MANDATORY:
        await client.post(f"{url}/indicators/{code}/review", json=ACCEPT, headers=verifier)
    # The profile went wrong behind the workflow's back (e.g. an import): the check still holds.
    await Innovation.filter(id=world.draft_a.id).update(design="terlalu pendek")
    from archive.services import checklists

    await checklists.refresh(world.draft_a.id)
    refused = await client.post(
        f"{url}/decision", json={"decision": "verified", "note": "Lengkap"}, headers=verifier
    )
    assert refused.status_code == 409
    assert refused.json()["findings"]
    assert "profil" in refused.json()["detail"]


async def test_every_decision_needs_a_note(client, world):  # noqa: F811
    url = await submitted(client, world)
    for decision in ("verified", "revision", "rejected"):
        response = await client.post(
            f"{url}/decision", json={"decision": decision, "note": "   "},
            headers=world.headers["verifier"],
        )  # fmt: skip
        assert response.status_code == 422, decision
        assert "catatan" in response.json()["detail"].lower()
    reopen = await client.post(f"{url}/reopen", headers=world.headers["staff"])
    assert reopen.status_code == 422
    assert (await Innovation.get(id=world.draft_a.id)).status == "submitted"


async def test_staff_withdraw_a_decision_with_a_reason_and_the_history_tells_it(client, world):  # noqa: F811
    url = await submitted(client, world)
    verifier, staff = world.headers["verifier"], world.headers["staff"]
    for code in MANDATORY:
        await client.post(f"{url}/indicators/{code}/review", json=ACCEPT, headers=verifier)
    verified = await client.post(
        f"{url}/decision", json={"decision": "verified", "note": "Semua sesuai"}, headers=verifier
    )
    assert verified.json()["status"] == "verified"
    assert (
        await client.post(f"{url}/withdraw", json={"note": "x"}, headers=verifier)
    ).status_code == 403
    assert (await client.post(f"{url}/withdraw", json={}, headers=staff)).status_code == 422
    withdrawn = await client.post(
        f"{url}/withdraw", json={"note": "SK ternyata belum diundangkan"}, headers=staff
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "submitted"
    assert await Notification.filter(user__username="admin.a", kind="withdrawn").exists()
    reopened = await client.post(f"{url}/reopen", json={"note": "Perbaiki SK"}, headers=staff)
    assert reopened.json()["status"] == "draft"
    told = await Notification.filter(user__username="admin.a", kind="reopened").first()
    assert told is not None and "Perbaiki SK" in told.message

    history = (await client.get(f"{url}/decisions", headers=world.headers["admin_a"])).json()
    assert [(h["name"], h["note"]) for h in history] == [
        ("submit", None),
        ("verified", "Semua sesuai"),
        ("withdraw", "SK ternyata belum diundangkan"),
        ("reopen", "Perbaiki SK"),
    ]
    assert history[1]["actor"] == "Verif" and history[2]["actor"] == "Staf"
    assert (await client.get(f"{url}/decisions")).status_code == 401
