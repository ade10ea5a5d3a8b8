"""Innovations: the profile fields, validation, optimistic locking, audit."""

import pytest

from archive.models import AuditEvent, Innovation
from tests.archive.helpers import build_world

FULL = {
    "year": 2026,
    "unit": "DINKES",
    "name": "Gerakan Posyandu Aktif",
    "made_by": "Dinas Kesehatan",
    "stage": "uji coba",
    "initiator": "OPD",
    "type": "non digital",
    "form": "Pelayanan Publik",
    "affairs": "Kesehatan",
    "design": " ".join(["Rancang bangun"] * 10),
    "goals": "Meningkatkan kunjungan balita",
    "benefits": "Balita terpantau",
    "results": "Kunjungan naik",
    "trial_date": "2025-08-01",
    "implementation_date": "2025-10-01",
    "budget": 150000000,
}


@pytest.fixture
async def world(client):
    return await build_world(client)


async def test_admin_creates_and_reads_a_full_profile(client, world):
    headers = world.headers["admin_a"]
    created = await client.post("/api/innovations", json=FULL, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    read = await client.get(f"/api/innovations/{body['id']}", headers=headers)
    for key, value in FULL.items():
        assert read.json()[key] == value, key
    assert read.json()["unit_name"] == "Dinas Kesehatan"


async def test_a_draft_needs_only_year_unit_and_name(client, world):
    body = {"year": 2026, "unit": "DINKES", "name": "Ide Baru"}
    created = await client.post("/api/innovations", json=body, headers=world.headers["admin_a"])
    assert created.status_code == 201
    assert created.json()["stage"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stage": "selesai"}, "stage"),
        ({"type": "analog"}, "type"),
        ({"trial_date": "2025-10-01", "implementation_date": "2025-08-01"}, "uji coba"),
        ({"trial_date": "2025-02-30"}, "trial_date"),
        ({"year": 1800}, "year"),
        ({"name": ""}, "name"),
        ({"budget": -5}, "budget"),
        ({"colour": "merah"}, "colour"),
        ({"unit": "TIDAK-ADA"}, "TIDAK-ADA"),
    ],
)
async def test_invalid_fields_get_a_clear_4xx_and_create_nothing(client, world, change, field):
    before = await Innovation.all().count()
    response = await client.post(
        "/api/innovations", json={**FULL, **change}, headers=world.headers["admin_a"]
    )
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert await Innovation.all().count() == before


async def test_missing_required_fields_are_named(client, world):
    response = await client.post("/api/innovations", json={}, headers=world.headers["admin_a"])
    assert response.status_code == 422
    for field in ("year", "unit", "name"):
        assert field in response.json()["detail"]


async def test_patch_changes_only_what_is_sent_and_bumps_the_version(client, world):
    innovation = world.draft_a
    response = await client.patch(
        f"/api/innovations/{innovation.id}",
        json={"goals": "Tujuan baru", "stage": "inisiatif", "version": 1},
        headers=world.headers["admin_a"],
    )
    assert response.status_code == 200
    assert response.json()["goals"] == "Tujuan baru"
    assert response.json()["name"] == innovation.name
    assert response.json()["version"] == 2
    event = await AuditEvent.filter(object_type="innovation", action="update").first()
    assert event.actor == "admin.a"
    assert event.after == {"goals": "Tujuan baru", "stage": "inisiatif"}
    assert event.before == {"goals": None, "stage": None}


async def test_stale_version_gets_409_and_changes_nothing(client, world):
    url = f"/api/innovations/{world.draft_a.id}"
    first = await client.patch(
        url, json={"goals": "A", "version": 1}, headers=world.headers["staff"]
    )
    assert first.status_code == 200
    stale = await client.patch(
        url, json={"goals": "B", "version": 1}, headers=world.headers["admin_a"]
    )
    assert stale.status_code == 409
    assert (await client.get(url, headers=world.headers["staff"])).json()["goals"] == "A"


async def test_patch_cannot_put_implementation_before_an_existing_trial(client, world):
    url = f"/api/innovations/{world.draft_a.id}"
    headers = world.headers["admin_a"]
    await client.patch(url, json={"trial_date": "2025-05-01"}, headers=headers)
    response = await client.patch(url, json={"implementation_date": "2025-01-01"}, headers=headers)
    assert response.status_code == 422
    assert (await client.get(url, headers=headers)).json()["implementation_date"] is None


async def test_list_filters_by_year_unit_and_status(client, world):
    headers = world.headers["staff"]
    await client.post(
        "/api/innovations", json={**FULL, "year": 2025, "name": "Lama"}, headers=headers
    )
    rows = (await client.get("/api/innovations?year=2025", headers=headers)).json()
    assert [r["name"] for r in rows] == ["Lama"]
    rows = (await client.get("/api/innovations?unit=DISDIK", headers=headers)).json()
    assert {r["name"] for r in rows} == {world.draft_b.name, world.published_b.name}
    rows = (await client.get("/api/innovations?status=published", headers=headers)).json()
    assert [r["name"] for r in rows] == [world.published_b.name]
    bad = await client.get("/api/innovations?status=entah", headers=headers)
    assert bad.status_code == 422


async def test_creation_is_audited_with_who_and_where(client, world):
    created = await client.post("/api/innovations", json=FULL, headers=world.headers["admin_a"])
    event = await AuditEvent.get(object_type="innovation", object_id=str(created.json()["id"]))
    assert event.action == "create"
    assert event.actor == "admin.a"
    assert event.ip == "127.0.0.1"
    assert event.after["name"] == FULL["name"]
