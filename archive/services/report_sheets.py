"""The reports staff hand to the head of region: Indonesian headers and values, every unit.

The JSON API keeps its machine names (``innovation_id``, ``completeness`` as a fraction); these
sheets are for people: column titles in Bahasa Indonesia, statuses as the pages name them,
percentages as percentages, and every active unit listed, with zero where it sent nothing.
"""

from __future__ import annotations

from typing import Any

from archive.models import Innovation, Unit, User
from archive.scoping import status_label
from archive.services import reports

INNOVATION_COLUMNS = [
    "No",
    "Kode unit",
    "Nama unit",
    "Nama inovasi",
    "Status",
    "Kelengkapan (%)",
    "Kematangan diklaim",
    "Kematangan didukung dokumen",
    "Kematangan terverifikasi",
    "Kematangan maksimum",
    "Indikator wajib belum berbukti",
    "Temuan utama",
]
UNIT_COLUMNS = [
    "No",
    "Kode unit",
    "Nama unit",
    "Jumlah inovasi",
    "Diajukan",
    "Terverifikasi",
    "Rata-rata kelengkapan (%)",
    "Kematangan diklaim",
    "Kematangan didukung dokumen",
    "Kematangan terverifikasi",
    "Indikator wajib belum berbukti",
]
SUBMITTED = {"submitted", "revision", "verified", "rejected", "published"}
VERIFIED = {"verified", "published"}


def percent(fraction: float | None) -> float:
    """0.8333 → 83.3 (a percentage with one decimal, as people read it)."""
    return round((fraction or 0.0) * 100, 1)


async def innovation_sheet(user: User, year: int) -> list[list[Any]]:
    rows = await reports.completeness(user, year=year, unit=None)
    rows.sort(key=lambda r: (r["unit_name"], r["name"]))
    return [
        [
            n,
            r["unit"],
            r["unit_name"],
            r["name"],
            status_label(r["status"]).capitalize(),
            percent(r["completeness"]),
            r["maturity_claimed"],
            r["maturity_supported"],
            r["maturity_verified"],
            r["maturity_max"],
            ", ".join(r["missing_mandatory"]) or "-",
            "; ".join(r["top_findings"]) or "-",
        ]
        for n, r in enumerate(rows, start=1)
    ]


async def unit_sheet(user: User, year: int) -> list[list[Any]]:
    """One row per unit: every active unit, and any inactive one that sent an innovation."""
    per_unit: dict[str, dict[str, Any]] = {}
    for r in await reports.completeness(user, year=year, unit=None):
        row = per_unit.setdefault(
            r["unit"],
            {
                "n": 0,
                "submitted": 0,
                "verified": 0,
                "sum": 0.0,
                "claimed": 0,
                "supported": 0,
                "ver": 0,
                "miss": 0,
            },
        )
        row["n"] += 1
        row["submitted"] += r["status"] in SUBMITTED
        row["verified"] += r["status"] in VERIFIED
        row["sum"] += r["completeness"] or 0.0
        row["claimed"] += r["maturity_claimed"]
        row["supported"] += r["maturity_supported"]
        row["ver"] += r["maturity_verified"]
        row["miss"] += len(r["missing_mandatory"])
    used = set(
        await Innovation.filter(year=year)
        .order_by("unit_id")
        .distinct()
        .values_list("unit_id", flat=True)
    )
    units = [u for u in await Unit.all().order_by("name") if u.active or u.id in used]
    out = []
    for n, unit in enumerate(units, start=1):
        row = per_unit.get(unit.code)
        if row is None:
            out.append([n, unit.code, unit.name, 0, 0, 0, 0.0, 0, 0, 0, 0])
            continue
        out.append(
            [
                n,
                unit.code,
                unit.name,
                row["n"],
                row["submitted"],
                row["verified"],
                percent(row["sum"] / row["n"]),
                row["claimed"],
                row["supported"],
                row["ver"],
                row["miss"],
            ]
        )
    return out
