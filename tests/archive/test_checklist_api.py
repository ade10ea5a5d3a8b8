"""Claims, stored checklists that follow every change, completeness reports, what to fix next."""

import io
import json

import pytest
from typer.testing import CliRunner

from archive.models import ChecklistResult
from archive.worker import Worker
from tests.archive.helpers import build_world, open_period
from tests.documents import pdf_bytes


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


def indicator(checklist: dict, code: str) -> dict:
    return next(i for i in checklist["indicators"] if i["code"] == code)


async def checklist_of(client, world, innovation, role="admin_a") -> dict:
    response = await client.get(
        f"/api/innovations/{innovation.id}/checklist", headers=world.headers[role]
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_new_innovation_lists_everything_missing(client, world):
    checklist = await checklist_of(client, world, world.draft_a)
    assert checklist["rulepack"] == "iid-2026"
    assert checklist["maturity"]["max"] == 111
    assert len(checklist["indicators"]) == 20
    regulasi = indicator(checklist, "regulasi")
    assert regulasi["status"] == "missing"
    assert "MISSING_MANDATORY" in [f["code"] for f in regulasi["findings"]]
    assert regulasi["findings"][0]["message"]  # in Bahasa Indonesia, says what to upload
    assert "FIELD_EMPTY" in [f["code"] for f in checklist["profile"]["findings"]]
    assert checklist["completeness"] == 0


@pytest.mark.slow
async def test_the_checklist_follows_evidence_as_it_arrives(app, client, world):
    url = f"/api/innovations/{world.draft_a.id}"
    headers = world.headers["admin_a"]
    claim = await client.put(
        f"{url}/indicators/regulasi", json={"claimed_level": 2}, headers=headers
    )
    assert claim.status_code == 200
    before = indicator(await checklist_of(client, world, world.draft_a), "regulasi")
    assert (before["claimed_level"], before["status"]) == (2, "missing")
    assert before["gain_if_fixed"] == 6

    perbup = pdf_bytes(
        [
            "PERATURAN BUPATI BALANGAN",
            "NOMOR 12 TAHUN 2025",
            "TENTANG",
            "INOVASI DAERAH POSYANDU AKTIF",
            "Ditetapkan di Paringin pada tanggal 3 Februari 2025",
            "BUPATI BALANGAN,",
        ]
    )
    files = {"file": ("perbup.pdf", perbup)}
    uploaded = await client.post(
        f"{url}/evidence", data={"indicator": "regulasi"}, files=files, headers=headers
    )
    pending = indicator(await checklist_of(client, world, world.draft_a), "regulasi")
    assert pending["status"] == "pending"

    settings = app.state.settings.model_copy(update={"extract_workers": 1})
    worker = Worker(settings)
    try:
        await worker.drain()
    finally:
        await worker.stop()
    after = indicator(await checklist_of(client, world, world.draft_a), "regulasi")
    assert after["supported_level"] == 2
    assert after["status"] == "ok"
    assert after["gain_if_fixed"] == 0

    await client.delete(f"/api/evidence/{uploaded.json()['id']}", headers=headers)
    gone = indicator(await checklist_of(client, world, world.draft_a), "regulasi")
    assert gone["status"] == "missing"


async def test_profile_changes_are_re_evaluated(client, world):
    url = f"/api/innovations/{world.draft_a.id}"
    before = await checklist_of(client, world, world.draft_a)
    empty = {f["field"] for f in before["profile"]["findings"] if f["code"] == "FIELD_EMPTY"}
    assert "goals" in empty
    await client.patch(
        url, json={"goals": "Meningkatkan kunjungan posyandu"}, headers=world.headers["admin_a"]
    )
    after = await checklist_of(client, world, world.draft_a)
    empty = {f["field"] for f in after["profile"]["findings"] if f["code"] == "FIELD_EMPTY"}
    assert "goals" not in empty
    assert await ChecklistResult.filter(innovation_id=world.draft_a.id).count() == 1


@pytest.mark.parametrize(
    ("code", "body", "status"),
    [
        ("regulasi", {"claimed_level": 4}, 422),
        ("regulasi", {"claimed_level": -1}, 422),
        ("tidak_ada", {"claimed_level": 1}, 422),
        ("kemanfaatan", {"claimed_level": 2, "basis": "z"}, 422),
        ("kemanfaatan", {"claimed_level": 2, "basis": "a"}, 200),
        ("regulasi", {"claimed_level": 1, "extra": True}, 422),
    ],
)
async def test_claims_are_validated(client, world, code, body, status):
    response = await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/{code}",
        json=body,
        headers=world.headers["admin_a"],
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("admin_a", 200),
        ("innovator", 200),
        ("verifier", 403),
        ("admin_b", 404),
        ("judge", 404),
        ("anonymous", 401),
    ],
)
async def test_who_may_claim(client, world, role, status):
    response = await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/sdm",
        json={"claimed_level": 1},
        headers=world.headers[role],
    )
    assert response.status_code == status


async def test_checklist_is_scoped_like_its_innovation(client, world):
    for role, status in [("admin_b", 404), ("anonymous", 404), ("verifier", 200), ("judge", 404)]:
        response = await client.get(
            f"/api/innovations/{world.draft_a.id}/checklist", headers=world.headers[role]
        )
        assert response.status_code == status, role


async def test_completeness_report_in_json_csv_and_xlsx(client, world):
    await client.patch(
        f"/api/innovations/{world.draft_a.id}",
        json={"name": '=HYPERLINK("x")'},
        headers=world.headers["admin_a"],
    )
    headers = world.headers["staff"]
    rows = (await client.get("/api/reports/completeness?year=2026", headers=headers)).json()
    assert {r["innovation_id"] for r in rows} == {
        world.draft_a.id,
        world.draft_b.id,
        world.published_b.id,
    }
    row = next(r for r in rows if r["innovation_id"] == world.draft_a.id)
    assert set(row["missing_mandatory"]) >= {"regulasi", "sdm", "kecepatan", "kemanfaatan", "video"}

    csv = await client.get("/api/reports/completeness?year=2026&format=csv", headers=headers)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith("\ufeff".encode())
    assert "'=HYPERLINK" in csv.content.decode("utf-8-sig")

    xlsx = await client.get("/api/reports/completeness?year=2026&format=xlsx", headers=headers)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [cell.value for cell in sheet["E"]]
    assert '\'=HYPERLINK("x")' in names
    assert not any(str(v).startswith("=") for v in names)


async def test_admins_report_on_their_own_unit_only(client, world):
    rows = (await client.get("/api/reports/completeness", headers=world.headers["admin_a"])).json()
    assert {r["unit"] for r in rows} == {"DINKES"}
    for role in ("innovator", "judge"):
        denied = await client.get("/api/reports/completeness", headers=world.headers[role])
        assert denied.status_code == 403
    assert (await client.get("/api/reports/completeness")).status_code == 401


async def test_next_steps_rank_fixes_by_points(client, world):
    await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/video",
        json={"claimed_level": 3},
        headers=world.headers["admin_a"],
    )
    steps = (
        await client.get("/api/reports/next-steps?year=2026", headers=world.headers["admin_a"])
    ).json()
    assert steps
    assert {s["innovation_id"] for s in steps} == {world.draft_a.id}
    gains = [s["gain"] for s in steps]
    assert gains == sorted(gains, reverse=True)
    assert steps[0]["indicator"] == "video"  # weight 4 x level 3: the biggest gain


async def test_next_steps_for_an_innovator_and_a_judge(client, world):
    """Decided (issue 21): an innovator's next steps are their invited innovations' fixes; a
    judge has nothing to fix and gets an empty list, not a refusal."""
    await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/video",
        json={"claimed_level": 3},
        headers=world.headers["admin_a"],
    )
    mine = await client.get("/api/reports/next-steps?year=2026", headers=world.headers["innovator"])
    assert mine.status_code == 200
    assert mine.json() and {s["innovation_id"] for s in mine.json()} == {world.draft_a.id}
    judged = await client.get("/api/reports/next-steps?year=2026", headers=world.headers["judge"])
    assert judged.status_code == 200 and judged.json() == []
    assert (await client.get("/api/reports/next-steps")).status_code == 401


def test_sepeda_check_prints_json_and_csv(tmp_path, monkeypatch):
    from archive.cli import app as cli

    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("SEPEDA_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["check"]).exit_code == 0
    result = runner.invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert runner.invoke(cli, ["check", "--format", "xml"]).exit_code == 2
