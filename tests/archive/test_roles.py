"""Every role against every route of the foundation: who may read and who may write."""

import pytest

from tests.archive.helpers import build_world

ROLES = ["staff", "verifier", "admin_a", "admin_b", "innovator", "judge", "anonymous"]


def expect(staff: int, others: int, anonymous: int = 401) -> dict[str, int]:
    table = {role: others for role in ROLES}
    table.update(staff=staff, anonymous=anonymous)
    return table


@pytest.fixture
async def world(client):
    return await build_world(client)


# fmt: off
STAFF_ONLY = [
    ("POST", "/api/units", {"code": "BARU", "name": "Unit Baru", "kind": "desa"}, 201),
    ("PATCH", "/api/units/DINKES", {"name": "Dinas Kesehatan Kab. Balangan"}, 200),
    ("GET", "/api/users", None, 200),
    ("GET", "/api/users/verif", None, 200),
    ("POST", "/api/users", {"username": "baru", "password": "sementara-1", "role": "judge"}, 201),
    ("PATCH", "/api/users/juri", {"full_name": "Juri Lomba"}, 200),
    ("POST", "/api/auth/reset-links/juri", None, 201),
    (
        "POST",
        "/api/periods",
        {
            "year": 2027,
            "rulepack": "iid-2026",
            "opens": "2027-01-04",
            "closes": "2027-03-31",
            "review_closes": "2027-04-30",
        },
        201,
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "ok"), STAFF_ONLY)
@pytest.mark.parametrize("role", ROLES)
async def test_staff_only_routes(client, world, role, method, path, body, ok):
    response = await client.request(method, path, json=body, headers=world.headers[role])
    assert response.status_code == expect(ok, 403)[role], response.text


async def test_period_update_is_staff_only(client, world):
    await client.post(
        "/api/periods",
        json={"year": 2026, "rulepack": "iid-2026", "opens": "2026-01-05",
              "closes": "2026-03-31", "review_closes": "2026-04-30"},
        headers=world.headers["staff"],
    )  # fmt: skip
    for role in ROLES:
        response = await client.patch(
            "/api/periods/2026", json={"closes": "2026-04-15"}, headers=world.headers[role]
        )
        assert response.status_code == expect(200, 403)[role], role


@pytest.mark.parametrize("path", ["/api/units", "/api/periods"])
@pytest.mark.parametrize("role", ROLES)
async def test_reference_lists_are_readable_by_everyone(client, world, role, path):
    assert (await client.get(path, headers=world.headers[role])).status_code == 200


VISIBLE = {
    "staff": {"draft_a", "draft_b", "published_b"},
    "verifier": {"draft_a", "draft_b", "published_b"},
    "admin_a": {"draft_a", "published_b"},
    "admin_b": {"draft_b", "published_b"},
    "innovator": {"draft_a", "published_b"},
    "judge": {"draft_b", "published_b"},
    "anonymous": {"published_b"},
}


@pytest.mark.parametrize("role", ROLES)
async def test_innovation_list_shows_only_what_the_role_may_see(client, world, role):
    response = await client.get("/api/innovations", headers=world.headers[role])
    assert response.status_code == 200
    names = {row["name"] for row in response.json()}
    expected = {getattr(world, key).name for key in VISIBLE[role]}
    assert names == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["draft_a", "draft_b", "published_b"])
async def test_reading_one_innovation_hides_what_is_not_yours(client, world, role, key):
    innovation = getattr(world, key)
    response = await client.get(f"/api/innovations/{innovation.id}", headers=world.headers[role])
    if key in VISIBLE[role]:
        assert response.status_code == 200
        assert response.json()["name"] == innovation.name
    else:
        assert response.status_code == 404
        assert innovation.name not in response.text


CREATE = {  # role -> (status creating in unit A, status creating in unit B)
    "staff": (201, 201),
    "verifier": (403, 403),
    "admin_a": (201, 403),
    "admin_b": (403, 201),
    "innovator": (403, 403),
    "judge": (403, 403),
    "anonymous": (401, 401),
}


@pytest.mark.parametrize("role", ROLES)
async def test_creating_innovations_by_role_and_unit(client, world, role):
    for unit, expected in zip(["DINKES", "DISDIK"], CREATE[role], strict=True):
        body = {"year": 2026, "unit": unit, "name": f"Inovasi {role} {unit}"}
        response = await client.post("/api/innovations", json=body, headers=world.headers[role])
        assert response.status_code == expected, (unit, response.text)


EDIT = {  # role -> status editing draft_a, draft_b, published_b
    "staff": (200, 200, 409),
    "verifier": (403, 403, 403),
    "admin_a": (200, 404, 403),
    "admin_b": (404, 200, 409),
    "innovator": (403, 404, 403),  # invited innovators add evidence and claims, not the profile
    "judge": (404, 403, 403),
    "anonymous": (401, 401, 401),
}


@pytest.mark.parametrize("role", ROLES)
async def test_editing_innovations_by_role(client, world, role):
    targets = [world.draft_a, world.draft_b, world.published_b]
    for innovation, expected in zip(targets, EDIT[role], strict=True):
        response = await client.patch(
            f"/api/innovations/{innovation.id}",
            json={"goals": f"diubah oleh {role}"},
            headers=world.headers[role],
        )
        assert response.status_code == expected, (innovation.name, response.text)
        if expected != 200:
            fresh = await client.get(
                f"/api/innovations/{innovation.id}", headers=world.headers["staff"]
            )
            assert fresh.json()["goals"] != f"diubah oleh {role}"
