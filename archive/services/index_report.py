"""The projected regional index of a year: the year loaded, ``checklist.projection`` applied.

What the projection computes and how each fix is priced is documented in
``checklist.projection``; this module reads the year's innovations, their stored checklist
summaries and the region's SPD records, and adds the notes a reader needs (SPD not recorded,
rejected innovations still dividing).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from archive.errors import BadInput
from archive.models import (
    Innovation,
    InnovationStatus,
    RegionalIndicator,
    Unit,
)
from archive.services import checklists
from archive.services.regional import recorded_levels, spd_for_basis, spd_note
from archive.services.rules import newest_period_year, rulepack_for_year
from checklist import RulePack, projection
from checklist.projection import BASES, FIX_LIMIT

__all__ = ["BASES", "FIX_LIMIT", "YearData", "compute", "project", "year_data"]
ENTRY_FIELDS = ("id", "year", "name", "unit_id", "status", "affairs")
SUPPORTED_SPD_NOTE = (
    "Pada basis 'didukung dokumen', nilai SPD memakai tingkat yang diklaim: bukti SPD dinilai "
    "oleh verifikator, bukan oleh mesin."
)


@dataclass
class Entry:
    """One innovation of the year (``ENTRY_FIELDS`` only) with its stored checklist summary."""

    innovation: Innovation
    stored: checklists.StoredSummary
    unit: Unit

    @property
    def rejected(self) -> bool:
        return self.innovation.status == InnovationStatus.REJECTED


@dataclass
class YearData:
    """What a year's projection reads: its pack, innovations and SPD records."""

    year: int
    pack: RulePack
    entries: list[Entry]
    spd_rows: dict[str, RegionalIndicator]
    spd_recorded: bool

    @cached_property
    def inputs(self) -> list[projection.YearInnovation]:
        """The entries as ``checklist.projection`` reads them, built once per load."""
        return [
            projection.YearInnovation(
                id=e.innovation.id,
                name=e.innovation.name,
                rejected=e.rejected,
                affairs=e.innovation.affairs,
                claimed=e.stored.claimed,
                supported=e.stored.supported,
                verified=e.stored.verified,
                summary=e.stored.summary,
            )
            for e in self.entries
        ]


async def default_year(year: int | None) -> int:
    """The year asked for, else the newest period's."""
    if year is not None:
        return year
    newest = await newest_period_year()
    if newest is None:
        raise BadInput("year: belum ada periode; sebutkan tahun penilaian.")
    return newest


def check_basis(basis: str) -> str:
    if basis not in BASES:
        raise BadInput(f"basis: pilih salah satu dari {', '.join(BASES)}.")
    return basis


async def year_data(year: int) -> YearData:
    """Load a year's innovations with their stored checklist summaries (refreshed where stale)."""
    pack = await rulepack_for_year(year)
    # Only the columns reports read: the long profile texts would triple the load time.
    query = Innovation.filter(year=year).order_by("id").only(*ENTRY_FIELDS)
    innovations = await query
    units = {unit.id: unit for unit in await Unit.all()}
    stored = await checklists.stored_summaries(innovations)
    entries = [
        Entry(innovation, stored[innovation.id], units[innovation.unit_id])
        for innovation in innovations
    ]
    spd_rows, recorded = await recorded_levels(year, pack)
    return YearData(year, pack, entries, spd_rows, recorded)


def compute(data: YearData, basis: str, limit: int | None = FIX_LIMIT) -> dict[str, Any]:
    """The projection of already-loaded year data on one basis, with its notes (pure)."""
    pack = data.pack
    spd = spd_for_basis(pack, data.spd_rows, basis) if pack.spd_indicators else 0.0
    result = projection.project_year(pack, data.year, data.inputs, spd, basis, limit)
    notes = [note for note in [spd_note(data.year, pack, data.spd_recorded)] if note]
    if basis == "supported" and data.spd_recorded:
        notes.append(SUPPORTED_SPD_NOTE)
    if result["rejected"]:
        notes.append(
            f"{result['rejected']} inovasi ditolak tetap dihitung sebagai pembagi dengan nilai 0."
        )
    return {**result, "spd_recorded": data.spd_recorded, "notes": notes}


async def project(year: int, basis: str, *, limit: int | None = FIX_LIMIT) -> dict[str, Any]:
    """The projected IID of a year on one basis (claimed, supported or verified)."""
    return (await project_all(year, [check_basis(basis)], limit=limit))[basis]


async def project_all(
    year: int, bases: list[str] | tuple[str, ...] = BASES, *, limit: int | None = FIX_LIMIT
) -> dict[str, dict[str, Any]]:
    """The year's data loaded once, each basis computed in a thread (it is CPU work)."""
    import anyio.to_thread

    data = await year_data(year)
    return {
        basis: await anyio.to_thread.run_sync(compute, data, check_basis(basis), limit)
        for basis in bases
    }
