"""Index and report routes for staff and verifiers: JSON, CSV, XLSX and the PDF summary."""

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from archive import downloads
from archive.api.deps import CurrentUser, SettingsDep
from archive.exports import table_response
from archive.models import User
from archive.schemas.reports import IndexProjection, IndicatorStatusRow, TrendRow, UnitRow
from archive.services import index_report, report_tables
from archive.services.index_report import YearData

router = APIRouter(prefix="/reports", tags=["reports"])

Year = Query(default=None, ge=2000, le=2100, description="default: the newest period")
Format = Literal["json", "csv", "xlsx"]


@router.get("/index", response_model=IndexProjection)
async def index(
    user: CurrentUser,
    year: int | None = Year,
    basis: Literal["claimed", "supported", "verified"] = "supported",
    limit: int = Query(default=index_report.FIX_LIMIT, ge=0, le=1000),
) -> dict[str, Any]:
    """The projected regional index with the fixes that would raise it most."""
    report_tables.require_reader(user)
    year = await index_report.default_year(year)
    return await index_report.project(year, basis, limit=limit)


async def _table(
    user: User,
    year: int | None,
    fmt: str,
    build: Callable[[YearData], list[dict[str, Any]]],
    columns: list[str],
    name: str,
) -> list[dict[str, Any]] | Response:
    report_tables.require_reader(user)
    year = await index_report.default_year(year)
    rows = build(await index_report.year_data(year))
    if fmt == "json":
        return rows
    return table_response(fmt, columns, report_tables.table(rows, columns), f"{name}-{year}")


@router.get("/units", response_model=list[UnitRow])
async def units(user: CurrentUser, year: int | None = Year, format: Format = "json"):
    """Completeness and maturity sums per unit."""
    return await _table(user, year, format, report_tables.unit_rows,
                        report_tables.UNIT_COLUMNS, "unit")  # fmt: skip


@router.get("/indicators", response_model=list[IndicatorStatusRow])
async def indicators(user: CurrentUser, year: int | None = Year, format: Format = "json"):
    """Per indicator, how many innovations have it missing, weak, ok or verified."""
    return await _table(user, year, format, report_tables.indicator_rows,
                        report_tables.INDICATOR_COLUMNS, "indikator")  # fmt: skip


@router.get("/trend", response_model=list[TrendRow])
async def trend(user: CurrentUser, format: Format = "json") -> list[dict[str, Any]] | Response:
    """Year on year, each year under its own rule pack."""
    report_tables.require_reader(user)
    rows = await report_tables.trend_rows()
    if format == "json":
        return rows
    columns = report_tables.TREND_COLUMNS
    return table_response(format, columns, report_tables.table(rows, columns), "tren")


@router.get("/summary.pdf", response_class=Response)
async def summary(
    user: CurrentUser,
    settings: SettingsDep,
    year: int | None = Year,
    basis: Literal["claimed", "supported", "verified"] = "supported",
) -> Response:
    """The printable report for the head of region."""
    report_tables.require_reader(user)
    year = await index_report.default_year(year)
    return await downloads.summary(year, basis, settings)
