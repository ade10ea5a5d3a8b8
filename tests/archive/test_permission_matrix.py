"""The permission matrix: every object-bound route against every role, API and pages.

Generated, so a new route is checked the day it is added: every API operation whose path
names an innovation or an evidence (from the OpenAPI document), and every page route bound
to one, is called for an innovation of unit A and its evidence by each role, with the
innovation in each state of the workflow (draft, submitted, verified, published). Outsiders
(the admin of unit B, an innovator and a judge invited elsewhere, an anonymous visitor) never
change anything and never read what is not published; insiders (staff, verifier, admin of A,
the invited innovator) are never refused a read. A verifier of unit A reads its own unit but
never judges it (a test below). The competition's entry and judging routes follow the same
rule for an entry of unit A (verifiers read entries as they read every innovation).
"""

import re

import pytest

from archive.models import (
    Assignment,
    Competition,
    Entry,
    Evidence,
    Innovation,
    JudgeAssignment,
    Role,
    Score,
)
from tests.archive.helpers import bearer, build_world, make_user, open_period, token
from tests.archive.test_web_pages import sign_in
from tests.documents import pdf_bytes

OUTSIDERS = ["admin_b", "innovator_b", "judge", "anonymous"]
STATES = ["draft", "submitted", "verified", "published"]
INSIDERS = ["staff", "verifier", "verifier_a", "admin_a", "innovator"]
USERNAMES = {
    "staff": "staf",
    "verifier": "verif",
    "verifier_a": "verif.a",
    "admin_a": "admin.a",
    "admin_b": "admin.b",
    "innovator": "inovator",
    "innovator_b": "inovator.b",
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
# The review pages are for verifiers and staff once the innovation is submitted; the admin
# and the innovator follow the review on the innovation's own page.
READ_EXCEPTIONS = {
    ("/verifikasi/{innovation_id}", "admin_a"),
    ("/verifikasi/{innovation_id}/{code}", "admin_a"),
    ("/verifikasi/{innovation_id}", "innovator"),
    ("/verifikasi/{innovation_id}/{code}", "innovator"),
    ("/inovasi/{innovation_id}/profil", "verifier"),
    ("/inovasi/{innovation_id}/profil", "verifier_a"),
    ("/inovasi/{innovation_id}/profil", "innovator"),
}


def read_excepted(path: str, role: str, state: str) -> bool:
    """Reads an insider is refused by design in this state."""
    if (path, role) in READ_EXCEPTIONS or (path, "*") in READ_EXCEPTIONS:
        return True
    if path.startswith("/verifikasi/") and state == "draft":
        return True  # nothing to review before submission
    if path == "/katalog/{innovation_id}" and state != "published":
        return True
    # Once submitted the profile form is closed (409 with the reason): staff reopen first.
    return path == "/inovasi/{innovation_id}/profil" and state != "draft"


@pytest.fixture(params=STATES)
async def world(request, client):
    await open_period()  # the input phase: admins and innovators may edit
    world = await build_world(client)
    other = await make_user("inovator.b", Role.INNOVATOR)
    await Assignment.create(user=other, innovation=world.draft_b)
    world.headers["innovator_b"] = bearer(await token(client, other.username))
    own_verifier = await make_user("verif.a", Role.VERIFIER, world.unit_a)
    world.headers["verifier_a"] = bearer(await token(client, own_verifier.username))
    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("sk.pdf", pdf_bytes("KEPUTUSAN BUPATI BALANGAN"))},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201, uploaded.text
    world.evidence_id = uploaded.json()["id"]
    world.state = request.param
    await Innovation.filter(id=world.draft_a.id).update(status=request.param)
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


def is_evidence_route(path: str) -> bool:
    return "evidence" in path or "bukti" in path


async def test_outsiders_never_reach_anothers_innovation_or_evidence(client, world):
    routes = await api_routes(client)
    assert len(routes) >= 25  # the generator sees the API, not an empty list
    published = world.state == "published"
    before = await snapshot(world)
    calls = 0
    for role in OUTSIDERS:
        for method, path in routes:
            response = await client.request(
                method, fill(path, world), headers=world.headers[role], json={}
            )
            calls += 1
            status = response.status_code
            where = (world.state, role, method, path, response.text[:200])
            if (
                method == "GET"
                and published
                and not (role == "anonymous" and is_evidence_route(path))
            ):
                # What is published is public: read, never refused with a server error.
                assert status < 500, where
                continue
            # Anonymous callers may read published innovations only, and never the evidence
            # API (files may carry personal data; staff mark single documents public).
            allowed = {401, 404} if role == "anonymous" else {403, 404}
            if method != "GET":
                allowed |= {405, 409, 422}  # refused before or beside the permission check
            assert status in allowed, where
    assert await snapshot(world) == before  # nothing changed
    assert calls == len(routes) * len(OUTSIDERS)


async def test_insiders_are_never_refused_a_read(client, world):
    for role in INSIDERS:
        for method, path in await api_routes(client):
            if method != "GET":
                continue
            response = await client.get(fill(path, world), headers=world.headers[role])
            where = (world.state, role, path, response.text[:200])
            assert response.status_code not in (401, 403, 404), where
            assert response.status_code < 500, where


async def test_pages_follow_the_same_matrix(client, world):
    published = world.state == "published"
    before = await snapshot(world)
    for role in [*OUTSIDERS, *INSIDERS]:
        client.cookies.clear()
        csrf = "" if role == "anonymous" else await sign_in(client, USERNAMES[role])
        for method, path in PAGES:
            url = fill(path, world)
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"csrf": csrf})
            status = response.status_code
            where = (world.state, role, method, path, status)
            assert status < 500, where
            if path == "/katalog/{innovation_id}" and published:
                assert status == 200, where  # the public catalogue, for everyone
            elif role == "anonymous":
                # Sent to the login page, or refused; never the page itself.
                assert status in (303, 401, 403, 404), where
                if status == 303:
                    assert response.headers["location"].startswith("/login"), where
            elif role in OUTSIDERS:
                if method == "GET" and published:
                    continue  # a published innovation and its files: read by every account
                refused = status in (403, 404) or (method == "POST" and status in (409, 422))
                assert refused, where
            elif method == "GET" and not read_excepted(path, role, world.state):
                # The review's overview sends the reader on to its first indicator.
                went_on = status == 303 and response.headers["location"].startswith("/verifikasi/")
                assert status == 200 or went_on, where
            elif path.endswith("/profil") and role in ("staff", "admin_a"):
                assert status == (200 if world.state == "draft" else 409), where
        if role in OUTSIDERS:
            assert await snapshot(world) == before, role


@pytest.mark.parametrize("world", ["submitted", "verified", "published"], indirect=True)
async def test_locked_states_keep_the_unit_from_changing_anything(client, world):
    """Once submitted, the unit's admin and innovator change nothing until it is reopened."""
    before = await snapshot(world)
    for role in ("admin_a", "innovator"):
        for method, path in await api_routes(client):
            if method == "GET":
                continue
            response = await client.request(
                method, fill(path, world), headers=world.headers[role], json={}
            )
            assert response.status_code < 500, (world.state, role, method, path)
    assert await snapshot(world) == before


@pytest.mark.parametrize("world", ["submitted"], indirect=True)
async def test_a_verifier_of_the_same_unit_never_decides(client, world):
    url = f"/api/innovations/{world.draft_a.id}/decision"
    refused = await client.post(url, headers=world.headers["verifier_a"], json={
        "decision": "revision", "note": "Lengkapi profil."})  # fmt: skip
    assert refused.status_code == 403, refused.text
    assert (await Innovation.get(id=world.draft_a.id)).status == "submitted"
    taken = await client.post(url, headers=world.headers["verifier"], json={
        "decision": "revision", "note": "Lengkapi profil."})  # fmt: skip
    assert taken.status_code == 200, taken.text  # the check refuses the person, not the state


# -- competitions ---------------------------------------------------------------------------

CONTEST_PAGES = [
    ("GET", "/lomba/peserta/{entry_id}"),
    ("POST", "/lomba/peserta/{entry_id}"),
    ("POST", "/lomba/peserta/{entry_id}/ajukan"),
    ("POST", "/lomba/peserta/{entry_id}/tarik"),
    ("GET", "/lomba/nilai/{assignment_id}"),
    ("POST", "/lomba/nilai/{assignment_id}"),
    ("POST", "/lomba/nilai/{assignment_id}/konflik"),
    ("GET", "/lomba/nilai/{assignment_id}/bukti/{evidence_id}"),
    ("POST", "/lomba/{competition_id}/pengaturan"),
    ("POST", "/lomba/{competition_id}/tahap/1/juri"),
    ("POST", "/lomba/{competition_id}/umumkan"),
]


@pytest.fixture
async def contest(client):
    """Unit A's entry in a KIPP competition, its first stage open, scored by judge 'juri2'."""
    await open_period()
    world = await build_world(client)
    other = await make_user("inovator.b", Role.INNOVATOR)
    await Assignment.create(user=other, innovation=world.draft_b)
    world.headers["innovator_b"] = bearer(await token(client, other.username))
    panel = await make_user("juri2", Role.JUDGE)
    world.headers["panel"] = bearer(await token(client, panel.username))
    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("sk.pdf", pdf_bytes("KEPUTUSAN BUPATI BALANGAN"))},
        headers=world.headers["admin_a"],
    )
    world.evidence_id = uploaded.json()["id"]
    await Innovation.filter(id=world.draft_a.id).update(status="verified")
    staff, admin_a = world.headers["staff"], world.headers["admin_a"]
    created = await client.post("/api/competitions", headers=staff, json={
        "name": "Lomba Inovasi 2026", "year": 2026, "template": "kipp"})  # fmt: skip
    world.competition_id = created.json()["id"]
    cid = world.competition_id
    await client.put(f"/api/competitions/{cid}/stages/1/judges", headers=staff,
                     json={"judges": ["juri2"]})  # fmt: skip
    entry = (await client.post(f"/api/competitions/{cid}/entries", headers=admin_a,
                               json={"innovation": world.draft_a.id})).json()  # fmt: skip
    world.entry_id = entry["id"]
    text = "Inovasi ini memudahkan warga mendapatkan layanan dengan cepat dan tepat."
    keys = [s["key"] for s in created.json()["sections"]]
    await client.patch(f"/api/entries/{entry['id']}", headers=admin_a, json={
        "sections": {k: text for k in keys}, "evidence": [world.evidence_id]})  # fmt: skip
    assert (await client.post(f"/api/entries/{entry['id']}/submit", headers=admin_a)).is_success
    assert (await client.post(f"/api/competitions/{cid}/stages/1/open", headers=staff)).is_success
    listing = (await client.get("/api/judging", headers=world.headers["panel"])).json()
    world.assignment_id = listing[0]["assignment_id"]
    return world


def fill_contest(path: str, world) -> str:
    values = {
        "entry_id": world.entry_id,
        "assignment_id": world.assignment_id,
        "evidence_id": world.evidence_id,
        "competition_id": world.competition_id,
        "position": 1,
        "fmt": "xlsx",
    }
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), path)


async def contest_snapshot(world) -> tuple:
    entry = await Entry.get(id=world.entry_id)
    return (
        entry.status,
        entry.sections,
        await Score.all().count(),
        await JudgeAssignment.all().count(),
        await Competition.filter(id=world.competition_id).values_list(
            "name", "published_at", "winners"
        ),
    )


async def test_outsiders_never_reach_a_units_entry_or_a_judges_assignment(client, contest):
    schema = (await client.get("/openapi.json")).json()
    routes = [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if "{entry_id}" in path
        or "{assignment_id}" in path
        or ("{competition_id}" in path and method != "get" and not path.endswith("/entries"))
    ]
    assert len(routes) >= 15
    before = await contest_snapshot(contest)
    for role in [*OUTSIDERS, "admin_a", "innovator", "verifier"]:
        for method, path in routes:
            if role in ("admin_a", "innovator") and "{entry_id}" in path:
                continue  # their own entry
            if role == "verifier" and "{entry_id}" in path and method == "GET":
                continue  # verifiers read every innovation, and so its entries
            response = await client.request(
                method, fill_contest(path, contest), headers=contest.headers[role], json={}
            )
            allowed = {401, 404} if role == "anonymous" else {403, 404}
            if method != "GET":
                allowed |= {405, 409, 422}
            assert response.status_code in allowed, (role, method, path, response.text[:200])
    assert await contest_snapshot(contest) == before
    # The entry's people and the panel read what is theirs.
    for role in ("admin_a", "innovator", "staff"):
        entry = await client.get(f"/api/entries/{contest.entry_id}", headers=contest.headers[role])
        assert entry.status_code == 200, role
    panel = await client.get(
        f"/api/judging/{contest.assignment_id}", headers=contest.headers["panel"]
    )
    assert panel.status_code == 200


async def test_competition_pages_follow_the_same_matrix(client, contest):
    before = await contest_snapshot(contest)
    for role in [*OUTSIDERS, "admin_a", "innovator", "verifier", "panel", "staff"]:
        client.cookies.clear()
        username = {"panel": "juri2"}.get(role) or USERNAMES.get(role)
        csrf = "" if role == "anonymous" else await sign_in(client, username)
        for method, path in CONTEST_PAGES:
            url = fill_contest(path, contest)
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"csrf": csrf})
            status, where = response.status_code, (role, method, path, response.status_code)
            assert status < 500, where
            entry_side = "/peserta/" in path
            judging_side = "/nilai/" in path
            owner = (
                (entry_side and role in ("admin_a", "innovator", "staff"))
                or (judging_side and role == "panel")
                or (not entry_side and not judging_side and role == "staff")
            )
            if role == "anonymous":
                assert status in (303, 401, 403, 404), where
                if status == 303:
                    assert response.headers["location"].startswith("/login"), where
            elif role == "verifier" and entry_side and method == "GET":
                assert status == 200, where
            elif not owner:
                refused = status in (403, 404) or (method == "POST" and status in (409, 422))
                assert refused, where
            elif method == "GET":
                assert status == 200, where
        if role not in ("panel", "staff", "admin_a", "innovator"):
            assert await contest_snapshot(contest) == before, role
