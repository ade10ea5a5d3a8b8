from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from archive.api.deps import ActorDep, CurrentUser, OptionalUser
from archive.exports import table_response
from archive.schemas.checklists import ClaimIn, ClaimOut, NextStep
from archive.schemas.reports import CompletenessRow
from archive.scoping import get_visible_innovation
from archive.services import checklists, reports
from checklist.types import ChecklistResult

router = APIRouter(tags=["checklist"])


@router.put("/innovations/{innovation_id}/indicators/{code}")
async def set_claim(
    innovation_id: int, code: str, body: ClaimIn, user: CurrentUser, actor: ActorDep
) -> ClaimOut:
    claim = await checklists.set_claim(
        user, innovation_id, code, body.claimed_level, body.basis, body.note, actor
    )
    return ClaimOut(
        indicator=claim.indicator,
        claimed_level=claim.claimed_level,
        basis=claim.basis,
        note=claim.note,
    )


@router.get("/innovations/{innovation_id}/checklist")
async def get_checklist(innovation_id: int, user: OptionalUser) -> ChecklistResult:
    """The innovation's checklist: every indicator's levels, status and findings."""
    return await checklists.get_checklist(await get_visible_innovation(user, innovation_id))


@router.get("/reports/completeness", response_model=list[CompletenessRow])
async def completeness(
    user: CurrentUser,
    year: int | None = Query(default=None, ge=2000, le=2100),
    unit: str | None = Query(default=None, max_length=32),
    format: Literal["json", "csv", "xlsx"] = "json",
) -> list[dict[str, Any]] | Response:
    rows = await reports.completeness(user, year=year, unit=unit)
    if format == "json":
        return rows
    columns = reports.COMPLETENESS_COLUMNS
    table = [[row[c] for c in columns] for row in rows]
    return table_response(format, columns, table, f"kelengkapan-{year or 'semua'}")


@router.get("/reports/next-steps", response_model=list[NextStep])
async def next_steps(
    user: CurrentUser, year: int | None = Query(default=None, ge=2000, le=2100)
) -> list[dict[str, Any]]:
    """What to fix next: open findings ranked by the index points each fix is worth."""
    return await reports.next_steps(user, year=year)
