"""The report page for staff and verifiers: completeness, the projected index, downloads."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from archive import downloads, exports
from archive.deps import SettingsDep
from archive.errors import Forbidden
from archive.models import Role
from archive.scoping import require_role
from archive.services import index_report, report_sheets, report_tables, reports
from archive.services.dashboard import year_dashboard
from archive.web import labels
from archive.web.charts import bar_chart
from archive.web.pages import PageActor, PageRoute, PageUser, render

router = APIRouter(route_class=PageRoute)

Year = Query(default=None, ge=2000, le=2100)
Basis = Literal["claimed", "supported", "verified"]


async def dashboard_context(year: int) -> dict[str, Any]:
    """The dashboard of ``year`` and its two charts, for the staff home and ``/laporan``."""
    dashboard = await year_dashboard(year)
    points = dashboard["trend"]
    charts = {
        "count": bar_chart(
            "Jumlah inovasi per tahun", [(str(t.year), t.innovations) for t in points]
        ),
        "iid": bar_chart(
            "IID per tahun", [(str(t.year), t.iid) for t in points], labels.decimal, scale_max=100
        ),
    }
    return {"d": dashboard, "charts": charts}


@router.get("/laporan", response_class=HTMLResponse)
async def report_page(request: Request, user: PageUser, year: int | None = Year) -> HTMLResponse:
    report_tables.require_reader(user)  # 403 for admins, innovators and judges, as in the API
    year = await index_report.default_year(year)
    context = await dashboard_context(year)
    return await render(request, "reports/index.html", user, year=year, **context)


# The downloads call the API's own route functions: the same service, the same bytes and
# headers, only signed in with the session instead of a bearer token.


@router.get("/laporan/kelengkapan.xlsx", response_class=Response)
async def completeness_workbook(user: PageUser, year: int | None = Year) -> Response:
    """One workbook: every unit (zero where nothing was sent), then every innovation."""
    report_tables.require_reader(user)
    year = await index_report.default_year(year)
    body = exports.to_workbook(
        [
            (
                "Rekap per unit",
                report_sheets.UNIT_COLUMNS,
                await report_sheets.unit_sheet(user, year),
            ),
            (
                "Per inovasi",
                report_sheets.INNOVATION_COLUMNS,
                await report_sheets.innovation_sheet(user, year),
            ),
        ]
    )
    return exports.attachment(body, exports.XLSX_TYPE, f"kelengkapan-{year}.xlsx")


@router.get("/laporan/{table}.csv", response_class=Response)
async def completeness_csv(
    user: PageUser,
    table: Literal["kelengkapan", "unit"],
    year: int | None = Year,
    pemisah: Literal["titik-koma", "koma"] = "titik-koma",
) -> Response:
    """CSV for Indonesian Excel by default (``;`` between cells, decimal comma), or with commas.

    The per-innovation table is also an admin's, for their own unit (as in the API); the unit
    recap compares units and stays with staff and verifiers.
    """
    if table == "unit":
        report_tables.require_reader(user)
    else:
        reports.require_completeness_reader(user)
    year = await index_report.default_year(year)
    if table == "unit":
        columns, rows = report_sheets.UNIT_COLUMNS, await report_sheets.unit_sheet(user, year)
    else:
        columns = report_sheets.INNOVATION_COLUMNS
        rows = await report_sheets.innovation_sheet(user, year)
    semicolon = pemisah == "titik-koma"
    body = exports.to_csv(
        columns, rows, delimiter=";" if semicolon else ",", decimal_comma=semicolon
    )
    name = "rekap-unit" if table == "unit" else "kelengkapan"
    return exports.attachment(body, exports.CSV_TYPE, f"{name}-{year}.csv")


@router.get("/laporan/ringkasan.pdf", response_class=Response)
async def summary_pdf(
    user: PageUser, settings: SettingsDep, year: int | None = Year, basis: Basis = "supported"
) -> Response:
    report_tables.require_reader(user)
    year = await index_report.default_year(year)
    return await downloads.summary(year, basis, settings)


@router.get("/laporan/paket-nasional.zip", response_class=FileResponse)
async def national_package(
    user: PageUser,
    actor: PageActor,
    settings: SettingsDep,
    background: BackgroundTasks,
    year: int | None = Year,
    isi: Literal["terverifikasi", "semua"] = "terverifikasi",
    unit: str | None = Query(default=None, max_length=32),
    inovasi: int | None = None,
) -> FileResponse:
    """The national-portal ZIP of a year, unit or innovation, as ``GET /api/export`` builds it."""
    try:
        require_role(user, Role.STAFF)
    except Forbidden:
        raise Forbidden("Paket portal nasional hanya dapat diunduh staf.") from None
    year = None if inovasi is not None and year is None else await index_report.default_year(year)
    include = "verified" if isi == "terverifikasi" else "all"
    return await downloads.national_package(
        settings, background, actor, year=year, unit=unit or None, innovation=inovasi,
        include=include,
    )  # fmt: skip
