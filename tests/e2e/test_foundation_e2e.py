"""The foundation, end to end: the real ``sepeda serve --demo`` over real HTTP."""

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.e2e.server import Server, start_server

pytestmark = pytest.mark.slow


@pytest.fixture
async def server(tmp_path) -> Iterator[Server]:
    if PG_URL:
        await reset_postgres(PG_URL)
    running = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    yield running
    running.stop()


def login(http: httpx.Client, username: str, password: str) -> dict[str, str]:
    response = http.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_demo_admin_works_within_their_unit(server: Server):
    assert set(server.logins) >= {"staf.brida", "verifikator", "admin.dinkes"}
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        printed = server.logins["admin.dinkes"]
        headers = login(http, "admin.dinkes", printed)

        # The printed password must be changed first.
        blocked = http.get("/api/innovations", headers=headers)
        assert blocked.status_code == 403
        assert blocked.json()["code"] == "PASSWORD_CHANGE_REQUIRED"
        changed = http.post(
            "/api/auth/password",
            json={"old_password": printed, "new_password": "dinkes-rahasia-2026"},
            headers=headers,
        )
        assert changed.status_code == 200
        fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
        assert http.get("/api/auth/me", headers=headers).status_code == 401

        created = http.post(
            "/api/innovations",
            json={
                "year": 2026,
                "unit": "DINKES",
                "name": "Posyandu Remaja",
                "stage": "uji coba",
                "trial_date": "2026-02-01",
            },
            headers=fresh,
        )
        assert created.status_code == 201, created.text
        innovation_id = created.json()["id"]
        read = http.get(f"/api/innovations/{innovation_id}", headers=fresh)
        assert read.json()["name"] == "Posyandu Remaja"

        # Another unit's draft: SEPEDA BARU itself belongs to BAPPEDALITBANG.
        staff = login(http, "staf.brida", server.logins["staf.brida"])
        staff = {
            "Authorization": "Bearer "
            + http.post(
                "/api/auth/password",
                json={"old_password": server.logins["staf.brida"], "new_password": "staf-2026-ok"},
                headers=staff,
            ).json()["access_token"]
        }
        everything = http.get("/api/innovations", headers=staff).json()
        sepeda = next(i for i in everything if "SEPEDA BARU" in i["name"])
        assert sepeda["unit"] == "BAPPEDALITBANG"
        assert http.get(f"/api/innovations/{sepeda['id']}", headers=fresh).status_code == 404
        denied = http.patch(f"/api/innovations/{sepeda['id']}", json={"goals": "x"}, headers=fresh)
        assert denied.status_code in (403, 404)
        mine = {i["name"] for i in http.get("/api/innovations", headers=fresh).json()}
        assert "Posyandu Remaja" in mine
        assert sepeda["name"] not in mine

        # Changing the password again kills the token in hand.
        again = http.post(
            "/api/auth/password",
            json={"old_password": "dinkes-rahasia-2026", "new_password": "dinkes-baru-2027"},
            headers=fresh,
        )
        assert again.status_code == 200
        assert http.get("/api/innovations", headers=fresh).status_code == 401


def test_demo_data_is_complete_and_loading_it_twice_changes_nothing(tmp_path, server: Server):
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        units = http.get("/api/units").json()
        kinds = [u["kind"] for u in units]
        assert (kinds.count("skpd"), kinds.count("blud"), kinds.count("puskesmas")) == (22, 1, 12)
        assert [p["year"] for p in http.get("/api/periods").json()] == [2026]
        published = http.get("/api/innovations").json()
        assert published and all(i["status"] == "published" for i in published)
    first_logins = dict(server.logins)
    server.stop()

    again = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    try:
        assert again.logins == first_logins
        with httpx.Client(base_url=again.base_url, timeout=10) as http:
            assert len(http.get("/api/units").json()) == 35
            headers = login(http, "verifikator", again.logins["verifikator"])
            body = http.get("/api/innovations", headers=headers).json()
            assert body["code"] == "PASSWORD_CHANGE_REQUIRED"
    finally:
        again.stop()
