"""Report routes: roles, per unit and per indicator tables, the trend, the PDF, the CLI."""

import io
import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from archive.models import Innovation, Unit
from tests.archive.helpers import build_world, open_period
from tests.conftest import need

ROUTES = [
    "/api/reports/index?year=2026",
    "/api/reports/units?year=2026",
    "/api/reports/indicators?year=2026",
    "/api/reports/trend",
    "/api/reports/summary.pdf?year=2026",
]


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def claim(client, world, innovation_id: int, code: str, level: int) -> None:
    response = await client.put(
        f"/api/innovations/{innovation_id}/indicators/{code}",
        json={"claimed_level": level},
        headers=world.headers["staff"],
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("verifier", 200),
        ("admin_a", 403),
        ("innovator", 403),
        ("judge", 403),
        ("anonymous", 401),
    ],
)
async def test_reports_are_for_staff_and_verifiers(client, world, route, role, status):
    response = await client.get(route, headers=world.headers[role])
    assert response.status_code == status, (route, role, response.text[:200])


async def test_units_report_in_json_csv_and_xlsx(client, world):
    await Unit.filter(id=world.unit_b.id).update(name="=Dinas Pendidikan")
    await claim(client, world, world.draft_a.id, "regulasi", 2)
    await claim(client, world, world.draft_b.id, "sdm", 3)
    headers = world.headers["staff"]
    rows = (await client.get("/api/reports/units?year=2026", headers=headers)).json()
    assert [r["unit"] for r in rows] == ["DINKES", "DISDIK"]
    dinkes, disdik = rows
    assert (dinkes["innovations"], dinkes["maturity_claimed"]) == (1, 6)
    assert (disdik["innovations"], disdik["maturity_claimed"]) == (2, 6)
    assert dinkes["missing_mandatory"] == 5 and disdik["missing_mandatory"] == 10
    assert dinkes["completeness_avg"] == 0

    csv = await client.get("/api/reports/units?year=2026&format=csv", headers=headers)
    assert csv.content.startswith("\ufeff".encode())
    assert "'=Dinas Pendidikan" in csv.content.decode("utf-8-sig")

    xlsx = await client.get("/api/reports/units?year=2026&format=xlsx", headers=headers)
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["unit", "unit_name", "innovations"]
    assert values[2][:3] == ["DISDIK", "'=Dinas Pendidikan", 2]


async def test_indicators_report_targets_coaching_clinics(client, world):
    await claim(client, world, world.draft_a.id, "regulasi", 2)
    headers = world.headers["verifier"]
    rows = (await client.get("/api/reports/indicators?year=2026", headers=headers)).json()
    assert len(rows) == 20
    for row in rows:
        statuses = ("missing", "pending", "weak", "needs_review", "ok", "verified", "rejected")
        assert sum(row[s] for s in statuses) == row["innovations"] == 3
    assert rows[0]["missing"] == 3 and rows[0]["mandatory"] is True
    xlsx = await client.get("/api/reports/indicators?year=2026&format=xlsx", headers=headers)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 21 and sheet["A1"].value == "code"


async def test_trend_in_csv(client, world):
    await Innovation.create(year=2025, unit=world.unit_a, name="Inovasi 2025")
    csv = await client.get("/api/reports/trend?format=csv", headers=world.headers["staff"])
    text = csv.content.decode("utf-8-sig").splitlines()
    assert text[0].startswith("year,rulepack,innovations,completeness_avg,iid_claimed")
    assert [line.split(",")[:2] for line in text[1:]] == [
        ["2025", "iid-2024"],
        ["2026", "iid-2026"],
    ]


async def test_the_pdf_renders_to_pages_that_are_not_blank(client, world, tmp_path):
    need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    from PIL import Image, ImageStat

    await Unit.filter(id=world.unit_a.id).update(name="Dinas Kesehatan, P2KB — “Sehat”")
    for code, level in [("regulasi", 2), ("sdm", 1), ("video", 3)]:
        await claim(client, world, world.draft_a.id, code, level)
    response = await client.get(
        "/api/reports/summary.pdf?year=2026", headers=world.headers["staff"]
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=60
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2
    for page in pages:
        with Image.open(page) as image:
            spread = ImageStat.Stat(image.convert("L")).stddev[0]
        assert spread > 5, page.name  # text, table lines and bars, not a white page


def test_sepeda_report_index(tmp_path, monkeypatch):
    from archive.cli import app as cli

    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("SEPEDA_DATABASE_URL", raising=False)
    runner = CliRunner()
    no_period = runner.invoke(cli, ["report", "index"])
    assert no_period.exit_code == 1 and "periode" in no_period.stdout
    result = runner.invoke(cli, ["report", "index", "--year", "2026", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert (report["year"], report["basis"], report["iid"]) == (2026, "supported", 0)
    assert report["spd_recorded"] is False
    table = runner.invoke(cli, ["report", "index", "--year", "2026", "--basis", "claimed"])
    assert table.exit_code == 0 and "Proyeksi IID 2026" in table.stdout
    assert runner.invoke(cli, ["report", "index", "--basis", "hoped"]).exit_code == 2


def test_the_pdf_falls_back_to_latin_1_without_dejavu(monkeypatch, tmp_path):
    import archive.reports_pdf as reports_pdf

    monkeypatch.setattr(reports_pdf, "DEJAVU", tmp_path / "no-fonts")
    projection = {
        "rulepack": "iid-2026",
        "iid": 1.5,
        "predicate": "Kurang Inovatif",
        "sid": 3.0,
        "spd": 0,
        "yandas_required": 5,
        "innovations": 1,
        "k": 12,
        "empty_seats": 11,
        "rejected": 0,
        "yandas_covered": 1,
        "affairs_covered": ["Kesehatan"],
        "affairs_uncovered": ["Sosial"],
        "notes": ["Catatan — “kutip” ≥ 5"],
        "fixes": [{"gain": 0.4, "message": "Posyandu Aktif: klaim Video → tingkat 3"}],
    }
    data = {
        "title": "Laporan — 2026",
        "region": "Kabupaten Balangan",
        "generated": "hari ini",
        "basis": "claimed",
        "projections": dict.fromkeys(("claimed", "supported", "verified"), projection),
        "units": [
            {
                "unit": "DINKES",
                "unit_name": "Dinas “Kesehatan”",
                "innovations": 1,
                "completeness_avg": 0.5,
                "maturity_claimed": 12,
                "maturity_supported": 0,
                "maturity_verified": 0,
                "missing_mandatory": 4,
            }
        ],
    }
    body = reports_pdf.render_summary(data)
    assert body.startswith(b"%PDF") and b"DejaVu" not in body
