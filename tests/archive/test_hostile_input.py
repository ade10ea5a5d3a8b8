"""Input an attacker (or a fuzzer) sends gets a 4xx in Indonesian, never a server error."""

import pytest
from httpx import ASGITransport, AsyncClient

from archive.models import Innovation
from tests.archive.helpers import build_world


@pytest.fixture
async def raw(app):
    """A client that sees a 500 as a response instead of an exception."""
    transport = ASGITransport(app=app, raise_app_exceptions=False, client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.mark.parametrize(
    "path",
    [
        "/api/evidence/18446744073709551615",  # anonymous, past 2^64
        "/api/evidence/9223372036854775808",
        "/api/innovations/9223372036854775807",  # past PostgreSQL's int32 ids
        "/api/evidence/2147483648/text",
        "/api/innovations/18446744073709551615/checklist",
    ],
)
async def test_ids_past_what_the_database_holds_are_refused_or_not_found(raw, client, path):
    world = await build_world(client)
    for headers in ({}, world.headers["staff"]):
        response = await raw.get(path, headers=headers)
        assert response.status_code in (401, 404, 422), (path, response.text)
        assert response.json()["detail"]


async def test_an_audit_filter_longer_than_its_column_is_refused(raw, client):
    world = await build_world(client)
    for value in ("x" * 40, "innovation:" + "9" * 70):
        response = await raw.get(
            "/api/audit", params={"object": value}, headers=world.headers["staff"]
        )
        assert response.status_code == 422, response.text
        assert "terlalu panjang" in response.json()["detail"]


async def test_control_characters_are_dropped_at_input_and_reports_still_open(raw, client):
    world = await build_world(client)
    staff = world.headers["staff"]
    created = await raw.post(
        "/api/innovations",
        json={"year": 2026, "unit": world.unit_a.code, "name": "Nama\u0001rusak\u009b",
              "goals": "Baris satu\nbaris dua\ttab"},
        headers=staff,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Namarusak"
    assert created.json()["goals"] == "Baris satu\nbaris dua\ttab"  # line breaks and tabs stay
    # A name stored before input was cleaned (or by a direct import) still cannot break a report.
    await Innovation.filter(id=world.draft_a.id).update(name="Lama\u0001\u0007kotor")
    report = await raw.get("/api/reports/completeness?format=xlsx", headers=staff)
    assert report.status_code == 200, report.text[:200]
    from io import BytesIO

    from openpyxl import load_workbook

    cells = {c for row in load_workbook(BytesIO(report.content)).active.iter_rows(values_only=True)
             for c in row}  # fmt: skip
    assert "Lamakotor" in cells
