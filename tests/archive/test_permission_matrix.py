"""The permission matrix: every object-bound route against every role, API and pages.

Generated, so a new route is checked the day it is added: every API operation whose path
names an innovation or an evidence (from the OpenAPI document), and every page route bound
to one, is called for a draft innovation of unit A and its evidence by each role. Outsiders
(the admin of unit B, a judge assigned elsewhere, an anonymous visitor) never get a 2xx and
change nothing; insiders (staff, verifier, admin of A, the invited innovator) are never
refused a read.
"""

import re

import pytest

from archive.models import Evidence, Innovation
from tests.archive.helpers import build_world, open_period
from tests.archive.test_web_pages import sign_in
from tests.documents import pdf_bytes

OUTSIDERS = ["admin_b", "judge", "anonymous"]
INSIDERS = ["staff", "verifier", "admin_a", "innovator"]
USERNAMES = {
    "staff": "staf",
    "verifier": "verif",
    "admin_a": "admin.a",
    "admin_b": "admin.b",
    "innovator": "inovator",
    "judge": "juri",
}
# Page routes bound to an innovation or an evidence (GET pages and POST forms).
PAGES = [
    ("GET", "/inovasi/{innovation_id}"),
    ("GET", "/inovasi/{innovation_id}/profil"),
    ("GET", "/inovasi/{innovation_id}/indikator/{code}/status"),
    ("GET", "/verifikasi/{innovation_id}"),
    ("GET", "/verifikasi/{innovation_id}/{code}"),
    ("GET", "/bukti/{evidence_id}"),
    ("GET", "/bukti/{evidence_id}/unduh"),
    ("GET", "/bukti/{evidence_id}/pratinjau/1"),
    ("GET", "/katalog/{innovation_id}"),
    ("POST", "/inovasi/{innovation_id}/ajukan"),
    ("POST", "/inovasi/{innovation_id}/indikator/{code}/klaim"),
    ("POST", "/inovasi/{innovation_id}/komentar"),
    ("POST", "/inovasi/{innovation_id}/keputusan"),
    ("POST", "/inovasi/{innovation_id}/publikasi"),
    ("POST", "/bukti/{evidence_id}/hapus"),
    ("POST", "/bukti/{evidence_id}/publik"),
    ("POST", "/bukti/{evidence_id}/fakta"),
]
# Insiders whose read of a page is legitimately refused or redirected: review pages exist
# once an innovation is submitted, the profile form is for those who may edit it (not a
# verifier; an invited innovator uploads and claims but leaves the profile to the unit), the
# catalogue shows only published innovations.
READ_EXCEPTIONS = {
    ("/verifikasi/{innovation_id}", "*"),
    ("/verifikasi/{innovation_id}/{code}", "*"),
    ("/inovasi/{innovation_id}/profil", "verifier"),
    ("/inovasi/{innovation_id}/profil", "innovator"),
    ("/katalog/{innovation_id}", "*"),
}


@pytest.fixture
async def world(client):
    await open_period()  # the input phase: admins and innovators may edit
    world = await build_world(client)
    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("sk.pdf", pdf_bytes("KEPUTUSAN BUPATI BALANGAN"))},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201, uploaded.text
    world.evidence_id = uploaded.json()["id"]
    return world


def fill(path: str, world) -> str:
    values = {
        "innovation_id": world.draft_a.id,
        "evidence_id": world.evidence_id,
        "code": "video",
        "year": 2026,
    }
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), path)


async def snapshot(world) -> tuple:
    innovation = await Innovation.get(id=world.draft_a.id)
    evidence = await Evidence.filter(innovation_id=world.draft_a.id).values_list(
        "id", "is_current", "deleted_at", "public", "facts_corrected", "indicator"
    )
    return (innovation.status, innovation.name, innovation.updated_at, sorted(evidence))


async def api_routes(client) -> list[tuple[str, str]]:
    schema = (await client.get("/openapi.json")).json()
    bound = []
    for path, operations in schema["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        if names & {"innovation_id", "evidence_id"} and names <= {
            "innovation_id",
            "evidence_id",
            "code",
            "year",
        }:
            bound += [(method.upper(), path) for method in operations]
    return bound


async def test_outsiders_never_reach_anothers_innovation_or_evidence(client, world):
    routes = await api_routes(client)
    assert len(routes) >= 25  # the generator sees the API, not an empty list
    before = await snapshot(world)
    calls = 0
    for role in OUTSIDERS:
        for method, path in routes:
            response = await client.request(
                method, fill(path, world), headers=world.headers[role], json={}
            )
            calls += 1
            # Anonymous callers may read published innovations, so a draft is "not found".
            allowed = {401, 404} if role == "anonymous" else {403, 404}
            if method != "GET":
                allowed |= {405, 409, 422}  # refused before or beside the permission check
            assert response.status_code in allowed, (role, method, path, response.text[:200])
    assert await snapshot(world) == before  # nothing changed
    assert calls == len(routes) * len(OUTSIDERS)


async def test_insiders_are_never_refused_a_read(client, world):
    for role in INSIDERS:
        for method, path in await api_routes(client):
            if method != "GET":
                continue
            response = await client.get(fill(path, world), headers=world.headers[role])
            assert response.status_code not in (401, 403, 404), (role, path, response.text[:200])


@pytest.mark.parametrize("role", [*OUTSIDERS, *INSIDERS])
async def test_pages_follow_the_same_matrix(client, world, role):
    csrf = "" if role == "anonymous" else await sign_in(client, USERNAMES[role])
    before = await snapshot(world)
    for method, path in PAGES:
        url = fill(path, world)
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={"csrf": csrf})
        status = response.status_code
        if role == "anonymous":
            # Sent to the login page, or refused; never the page itself.
            assert status in (303, 401, 403, 404), (path, status)
            if status == 303:
                assert response.headers["location"].startswith("/login"), path
        elif role in OUTSIDERS:
            assert status in (403, 404) or (method == "POST" and status in (409, 422)), (
                role,
                path,
                status,
            )
        elif (
            method == "GET"
            and (path, role) not in READ_EXCEPTIONS
            and (
                path,
                "*",
            )
            not in READ_EXCEPTIONS
        ):
            assert status == 200, (role, path, status)
    if role in OUTSIDERS:
        assert await snapshot(world) == before
