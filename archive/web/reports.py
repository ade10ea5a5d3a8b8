"""The report page for staff and verifiers: completeness, the projected index, downloads."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from archive import exports
from archive.api import reports as reports_api
from archive.api.deps import SettingsDep
from archive.services import index_report, report_sheets, report_tables, reports
from archive.web.pages import PageRoute, PageUser, render

router = APIRouter(route_class=PageRoute)

Year = Query(default=None, ge=2000, le=2100)
Basis = Literal["claimed", "supported", "verified"]
TOP_FIXES = 5


@router.get("/laporan", response_class=HTMLResponse)
async def report_page(request: Request, user: PageUser, year: int | None = Year) -> HTMLResponse:
    report_tables.require_reader(user)  # 403 for admins, innovators and judges, as in the API
    year = await index_report.default_year(year)
    rows = await reports.completeness(user, year=year, unit=None)
    projections = await index_report.project_all(year, limit=TOP_FIXES)
    return await render(
        request, "reports/index.html", user, year=year, rows=rows, projections=projections
    )


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
    """CSV for Indonesian Excel by default (``;`` between cells, decimal comma), or with commas."""
    report_tables.require_reader(user)
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
    return await reports_api.summary(user, settings, year=year, basis=basis)
