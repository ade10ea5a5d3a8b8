"""Staff managing units, accounts and periods; bad input changes nothing."""

import pytest

from archive.models import Period, Unit, User
from tests.archive.helpers import build_world, token


@pytest.fixture
async def world(client):
    return await build_world(client)


@pytest.fixture
def staff(world):
    return world.headers["staff"]


async def test_units_have_kinds_and_unique_codes(client, staff):
    body = {"code": "PKM-UREN", "name": "UPT Puskesmas Uren", "kind": "puskesmas"}
    assert (await client.post("/api/units", json=body, headers=staff)).status_code == 201
    again = await client.post("/api/units", json={**body, "name": "Lain"}, headers=staff)
    assert again.status_code == 409
    assert (await Unit.get(code="PKM-UREN")).name == "UPT Puskesmas Uren"
    codes = [u["code"] for u in (await client.get("/api/units")).json()]
    assert "PKM-UREN" in codes


@pytest.mark.parametrize(
    "body",
    [
        {"code": "X", "name": "X", "kind": "kabupaten"},
        {"code": "../X", "name": "X", "kind": "desa"},
        {"code": "", "name": "X", "kind": "desa"},
        {"code": "Y", "name": "Y", "kind": "desa", "extra": 1},
    ],
)
async def test_bad_units_are_refused(client, staff, body):
    before = await Unit.all().count()
    assert (await client.post("/api/units", json=body, headers=staff)).status_code == 422
    assert await Unit.all().count() == before


async def test_staff_creates_an_admin_bound_to_a_unit(client, staff):
    body = {"username": "admin.rsud", "password": "sementara-1", "full_name": "Admin RSUD",
            "role": "admin", "unit": "DINKES"}  # fmt: skip
    response = await client.post("/api/users", json=body, headers=staff)
    assert response.status_code == 201
    out = response.json()
    assert out["unit"] == "DINKES"
    assert "password" not in out and "password_hash" not in out


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "verif", "password": "sementara-1", "role": "judge"}, 409),
        ({"username": "x1", "password": "sementara-1", "role": "raja"}, 422),
        ({"username": "x2", "password": "pendek", "role": "judge"}, 422),
        ({"username": "x3", "password": "sementara-1", "role": "admin"}, 422),
        ({"username": "x4", "password": "sementara-1", "role": "admin", "unit": "NONE"}, 422),
        ({"username": "Bad Name!", "password": "sementara-1", "role": "judge"}, 422),
    ],
)
async def test_bad_accounts_are_refused_and_nothing_changes(client, staff, body, status):
    before = await User.all().count()
    response = await client.post("/api/users", json=body, headers=staff)
    assert response.status_code == status, response.text
    assert await User.all().count() == before


async def test_staff_resetting_a_password_forces_a_change(client, staff):
    response = await client.patch("/api/users/verif", json={"password": "baru-dari-staf"},
                                  headers=staff)  # fmt: skip
    assert response.status_code == 200
    assert response.json()["must_change_password"] is True
    access = await token(client, "verif", "baru-dari-staf")
    blocked = await client.get("/api/innovations", headers={"Authorization": f"Bearer {access}"})
    assert blocked.json()["code"] == "PASSWORD_CHANGE_REQUIRED"


async def test_unknown_user_is_404(client, staff):
    assert (await client.patch("/api/users/siapa", json={}, headers=staff)).status_code == 404


PERIOD = {"year": 2026, "rulepack": "iid-2026", "opens": "2026-01-05",
          "closes": "2026-03-31", "review_closes": "2026-04-30"}  # fmt: skip


async def test_period_deadlines_end_at_2359_wita(client, staff):
    response = await client.post("/api/periods", json=PERIOD, headers=staff)
    assert response.status_code == 201
    # 31 March 23:59:59 WITA (UTC+8) is 15:59:59 UTC.
    assert response.json()["closes_at"].startswith("2026-03-31T15:59:59")
    listed = (await client.get("/api/periods")).json()
    assert [p["year"] for p in listed] == [2026]


@pytest.mark.parametrize(
    "change",
    [
        {"rulepack": "iid-1999"},
        {"closes": "2025-12-31"},
        {"review_closes": "2026-03-01"},
        {"opens": "2026-13-01"},
        {"year": 2026, "deadline": "x"},
    ],
)
async def test_bad_periods_are_refused(client, staff, change):
    response = await client.post("/api/periods", json={**PERIOD, **change}, headers=staff)
    assert response.status_code == 422
    assert await Period.all().count() == 0


async def test_duplicate_period_is_409_and_patch_keeps_dates_in_order(client, staff):
    await client.post("/api/periods", json=PERIOD, headers=staff)
    assert (await client.post("/api/periods", json=PERIOD, headers=staff)).status_code == 409
    bad = await client.patch("/api/periods/2026", json={"closes": "2026-05-31"}, headers=staff)
    assert bad.status_code == 422
    assert (await Period.get(year=2026)).closes.isoformat() == "2026-03-31"
    good = await client.patch("/api/periods/2026", json={"closes": "2026-04-15"}, headers=staff)
    assert good.json()["closes"] == "2026-04-15"
    assert (await client.patch("/api/periods/2030", json={}, headers=staff)).status_code == 404
