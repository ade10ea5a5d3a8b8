"""Report tables over stored checklists: per unit, per indicator and year on year."""

from __future__ import annotations

from collections import Counter
from typing import Any

from archive.errors import Forbidden
from archive.models import Innovation, Period, Role, User
from archive.scoping import require_role
from archive.services.index_report import BASES, Entry, YearData, compute, year_data
from archive.settings import Settings
from archive.timeutil import utcnow

STATUSES = ("missing", "pending", "weak", "needs_review", "ok", "verified", "rejected")
UNIT_COLUMNS = [
    "unit", "unit_name", "innovations", "completeness_avg", "maturity_claimed",
    "maturity_supported", "maturity_verified", "missing_mandatory",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "code", "number", "name", "mandatory", "weight", "innovations", *STATUSES, "missing_share",
]  # fmt: skip
TREND_COLUMNS = [
    "year", "rulepack", "innovations", "completeness_avg",
    *(f"iid_{basis}" for basis in BASES), *(f"predicate_{basis}" for basis in BASES),
]  # fmt: skip


def require_reader(user: User) -> None:
    """Index reports are for staff and verifiers."""
    try:
        require_role(user, Role.STAFF, Role.VERIFIER)
    except Forbidden:
        raise Forbidden("Laporan indeks hanya untuk staf dan verifikator.") from None


def _missing_mandatory(entry: Entry) -> int:
    return len((entry.stored.summary or {}).get("missing_mandatory", []))


def unit_rows(data: YearData) -> list[dict[str, Any]]:
    """Completeness and maturity sums per unit, in unit code order."""
    units: dict[str, dict[str, Any]] = {}
    for entry in data.entries:
        unit = entry.unit
        row = units.setdefault(unit.code, {
            "unit": unit.code, "unit_name": unit.name, "innovations": 0, "completeness_avg": 0.0,
            "maturity_claimed": 0, "maturity_supported": 0, "maturity_verified": 0,
            "missing_mandatory": 0,
        })  # fmt: skip
        row["innovations"] += 1
        row["completeness_avg"] += entry.stored.completeness
        for basis in BASES:
            row[f"maturity_{basis}"] += getattr(entry.stored, basis)
        row["missing_mandatory"] += _missing_mandatory(entry)
    rows = [units[code] for code in sorted(units)]
    for row in rows:
        row["completeness_avg"] = round(row["completeness_avg"] / row["innovations"], 4)
    return rows


def indicator_rows(data: YearData) -> list[dict[str, Any]]:
    """How many innovations have each indicator in each status; most often missing first."""
    counts: dict[str, Counter[str]] = {ind.code: Counter() for ind in data.pack.indicators}
    for entry in data.entries:
        for code, status in (entry.stored.summary or {}).get("statuses", {}).items():
            if code in counts:
                counts[code][status] += 1
    total = len(data.entries)
    rows = []
    for indicator in data.pack.indicators:
        count = counts[indicator.code]
        row = {"code": indicator.code, "number": indicator.number, "name": indicator.name,
               "mandatory": indicator.mandatory, "weight": indicator.weight,
               "innovations": total}  # fmt: skip
        row.update({status: count.get(status, 0) for status in STATUSES})
        row["missing_share"] = round(row["missing"] / total, 4) if total else 0.0
        rows.append(row)
    rows.sort(key=lambda r: (-r["missing"], -r["weak"], not r["mandatory"]))
    return rows


def trend_row(data: YearData) -> dict[str, Any]:
    """One year under its own rule pack: count, completeness and IID on every basis."""
    entries = data.entries
    average = sum(e.stored.completeness for e in entries) / len(entries) if entries else 0.0
    row: dict[str, Any] = {
        "year": data.year,
        "rulepack": data.pack.id,
        "innovations": len(entries),
        "completeness_avg": round(average, 4),
    }
    projections = {basis: compute(data, basis, limit=0) for basis in BASES}
    row.update({f"iid_{basis}": p["iid"] for basis, p in projections.items()})
    row.update({f"predicate_{basis}": p["predicate"] for basis, p in projections.items()})
    return row


async def trend_rows() -> list[dict[str, Any]]:
    """Every year with a period or innovations, oldest first."""
    years = set(await Period.all().values_list("year", flat=True))
    years |= set(await Innovation.all().order_by("year").distinct().values_list("year", flat=True))
    return [trend_row(await year_data(year)) for year in sorted(years)]


async def every_unit(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with a zero row for each active unit that sent nothing, by unit name."""
    from archive.models import Unit

    have = {row["unit"] for row in rows}
    zero = {"innovations": 0, "completeness_avg": 0.0, "maturity_claimed": 0,
            "maturity_supported": 0, "maturity_verified": 0, "missing_mandatory": 0}  # fmt: skip
    extra = [
        {"unit": u.code, "unit_name": u.name, **zero}
        for u in await Unit.all()
        if u.active and u.code not in have
    ]
    return sorted([*rows, *extra], key=lambda r: r["unit_name"])


def table(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    return [[row[column] for column in columns] for row in rows]


async def summary_pdf(year: int, basis: str, settings: Settings) -> bytes:
    """The head of region's PDF: the index on every basis, fixes on ``basis``, units, chart."""
    import anyio.to_thread

    from archive.reports_pdf import render_summary

    data = await year_data(year)
    payload = {
        "title": f"Laporan Proyeksi Indeks Inovasi Daerah Tahun {year}",
        "region": settings.region,
        "generated": utcnow().astimezone(settings.tz).strftime("%d-%m-%Y pukul %H.%M %Z"),
        "basis": basis,
        "projections": {b: compute(data, b, limit=5) for b in BASES},
        "units": await every_unit(unit_rows(data)),
    }
    return await anyio.to_thread.run_sync(render_summary, payload)
