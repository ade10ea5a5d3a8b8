"""The innovation office's view of a year: units by state, the index on three bases, the trend.

Everything here reads the stored checklist summaries of the year once (``year_data``) and
aggregates them; nothing grows faster than the number of innovations. Years before SEPEDA BARU
come from the figures the office recorded (``YearFigure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput
from archive.models import Innovation, InnovationStatus, Period, Unit, YearFigure
from archive.services.index_report import BASES, YearData, compute, year_data
from archive.services.report_tables import indicator_rows

TOP_FIXES = 5
STATES = tuple(str(state) for state in InnovationStatus)
TREND_BASIS = "supported"
FIXES_BASIS = "supported"


@dataclass
class UnitLine:
    """One unit's innovations of the year: how many in each state, and their averages."""

    code: str
    name: str
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    innovations: int = 0
    completeness: float = 0.0  # averages over the unit's innovations (0 when it has none)
    claimed: float = 0.0
    supported: float = 0.0
    verified: float = 0.0
    missing_mandatory: int = 0  # mandatory indicators without evidence, summed

    def add(self, status: str, completeness: float, maturity: tuple[int, int, int], missing: int):
        self.states[status] = self.states.get(status, 0) + 1
        self.innovations += 1
        self.completeness += completeness
        self.claimed += maturity[0]
        self.supported += maturity[1]
        self.verified += maturity[2]
        self.missing_mandatory += missing

    def finish(self) -> UnitLine:
        """Turn the sums into averages."""
        if self.innovations:
            for name in ("completeness", "claimed", "supported", "verified"):
                setattr(self, name, getattr(self, name) / self.innovations)
        return self


@dataclass
class TrendPoint:
    """A year's count of innovations and its index, from SEPEDA BARU or the office's figures."""

    year: int
    innovations: int
    iid: float | None
    predicate: str | None
    source: str  # "sepeda" or the office's note for a recorded figure


def unit_lines(data: YearData, units: list[Unit]) -> tuple[list[UnitLine], UnitLine]:
    """Every active unit (and any inactive one that sent something) by name, and the total."""
    lines = {unit.id: UnitLine(unit.code, unit.name) for unit in units}
    total = UnitLine("", "Seluruh unit")
    active = {unit.id for unit in units if unit.active}
    for entry in data.entries:
        stored = entry.stored
        missing = len((stored.summary or {}).get("missing_mandatory", []))
        values = (str(entry.innovation.status), stored.completeness,
                  (stored.claimed, stored.supported, stored.verified), missing)  # fmt: skip
        lines[entry.innovation.unit_id].add(*values)
        total.add(*values)
    shown = [line.finish() for unit_id, line in lines.items()
             if unit_id in active or line.innovations]  # fmt: skip
    shown.sort(key=lambda line: line.name.lower())
    return shown, total.finish()


async def trend(
    current: YearData | None = None, current_iid: dict | None = None
) -> list[TrendPoint]:
    """Every year with a period, innovations or a recorded figure, oldest first.

    A year with innovations in SEPEDA BARU is counted from them (the index on the supported
    basis); a year without comes from the office's recorded figure, when there is one.
    """
    years = set(await Period.all().values_list("year", flat=True))
    years |= set(await Innovation.all().order_by("year").distinct().values_list("year", flat=True))
    figures = {figure.year: figure for figure in await YearFigure.all()}
    points = []
    for year in sorted(years | set(figures)):
        if current is not None and year == current.year:
            data, projection = current, current_iid
        else:
            data = await year_data(year) if year in years else None
            projection = None
        if data is not None and data.entries:
            if projection is None:
                projection = await anyio.to_thread.run_sync(compute, data, TREND_BASIS, 0)
            points.append(TrendPoint(year, len(data.entries), projection["iid"],
                                     projection["predicate"], "sepeda"))  # fmt: skip
        elif year in figures:
            figure = figures[year]
            points.append(TrendPoint(year, figure.innovations, figure.iid, figure.predicate,
                                     figure.source or "catatan kantor inovasi"))  # fmt: skip
        elif data is not None:
            points.append(TrendPoint(year, 0, None, None, "sepeda"))
    return points


def _project(data: YearData, fixes: int) -> dict[str, dict[str, Any]]:
    """The index on every basis, in one worker thread (CPU work, off the event loop).

    Fixes are priced on the supported basis only: the other two are read for their numbers.
    """
    return {basis: compute(data, basis, fixes if basis == FIXES_BASIS else 0) for basis in BASES}


async def year_dashboard(year: int, *, fixes: int = TOP_FIXES) -> dict[str, Any]:
    """What the office reads first about a year (see the module docstring)."""
    data = await year_data(year)
    projections = await anyio.to_thread.run_sync(_project, data, fixes)
    units, total = unit_lines(data, await Unit.all())
    return {
        "year": year,
        "pack": data.pack,
        "projections": projections,
        "units": units,
        "total": total,
        "indicators": indicator_rows(data),
        "trend": await trend(data, projections[TREND_BASIS]),
    }


async def record_figure(
    year: int, innovations: int, iid: float | None, predicate: str | None, source: str,
    actor: Actor,
) -> YearFigure:  # fmt: skip
    """Record (or correct) what the office reports for a year kept outside SEPEDA BARU."""
    if not 2000 <= year <= 2100:
        raise BadInput("Tahun harus antara 2000 dan 2100.")
    if innovations < 0:
        raise BadInput("Jumlah inovasi tidak boleh negatif.")
    if iid is not None and not 0 <= iid <= 100:
        raise BadInput("Nilai IID harus antara 0 dan 100.")
    values = {
        "innovations": innovations,
        "iid": iid,
        "predicate": (predicate or "").strip() or None,
        "source": source.strip()[:200],
    }
    figure = await YearFigure.get_or_none(year=year)
    if figure is None:
        figure = await YearFigure.create(year=year, **values)
        await audit.record(actor, "create", "year_figure", year, after=values)
        return figure
    before = {key: getattr(figure, key) for key in values}
    await figure.update_from_dict(values).save()
    await audit.record(actor, "update", "year_figure", year, before=before, after=values)
    return figure


async def figures() -> list[YearFigure]:
    return await YearFigure.all().order_by("year")
