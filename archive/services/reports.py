"""Reports over stored checklists: completeness per innovation, and what to fix next."""

from __future__ import annotations

from typing import Any

from archive.errors import Forbidden
from archive.models import Assignment, Role, User
from archive.scoping import visible_innovations
from archive.services.checklists import stored_summaries, visible_results
from archive.services.rules import rulepack_for_year
from checklist import rank_fixes

COMPLETENESS_COLUMNS = [
    "innovation_id",
    "year",
    "unit",
    "unit_name",
    "name",
    "status",
    "completeness",
    "maturity_claimed",
    "maturity_supported",
    "maturity_verified",
    "maturity_max",
    "missing_mandatory",
    "top_findings",
]


def _report_scope(user: User, unit: str | None) -> str | None:
    """Staff and verifiers read every unit; an admin only their own."""
    if user.role in (Role.STAFF, Role.VERIFIER):
        return unit
    if user.role == Role.ADMIN and user.unit_id is not None:
        return "__own__"
    raise Forbidden("Laporan hanya untuk staf, verifikator dan admin unit.")


async def completeness(user: User, *, year: int | None, unit: str | None) -> list[dict[str, Any]]:
    """One row per innovation the caller may see, from the stored summaries."""
    scope = _report_scope(user, unit)
    query = visible_innovations(user)
    if year is not None:
        query = query.filter(year=year)
    if scope == "__own__":
        query = query.filter(unit_id=user.unit_id)
    elif scope:
        query = query.filter(unit__code=scope)
    innovations = await query.order_by("unit_id", "name").prefetch_related("unit")
    stored = await stored_summaries(innovations)
    maxima = {y: (await rulepack_for_year(y)).max_maturity for y in {i.year for i in innovations}}
    rows = []
    for innovation in innovations:
        row = stored[innovation.id]
        summary = row.summary or {}
        rows.append(
            {
                "innovation_id": innovation.id,
                "year": innovation.year,
                "unit": innovation.unit.code,
                "unit_name": innovation.unit.name,
                "name": innovation.name,
                "status": str(innovation.status),
                "completeness": row.completeness,
                "maturity_claimed": row.claimed,
                "maturity_supported": row.supported,
                "maturity_verified": row.verified,
                "maturity_max": maxima[innovation.year],
                "missing_mandatory": summary.get("missing_mandatory", []),
                "top_findings": summary.get("top_findings", []),
            }
        )
    return rows


def require_completeness_reader(user: User) -> None:
    """Completeness rows: staff and verifiers of every unit, an admin of their own (403 else)."""
    _report_scope(user, None)


async def next_steps(user: User, *, year: int | None) -> list[dict[str, Any]]:
    """The caller's open findings ranked by index points gained per fix.

    Staff and verifiers: every unit; an admin: their unit; an innovator: the innovations they
    were invited to; a judge has nothing to fix (an empty list, not a refusal).
    """
    if user.role == Role.JUDGE:
        return []
    # Narrowed in the query: an admin also sees every published innovation of the region,
    # whose checklists must not be read only to be thrown away (it made the admin's home
    # page grow with the region's catalogue).
    if user.role == Role.INNOVATOR:
        invited = set(
            await Assignment.filter(user_id=user.id).values_list("innovation_id", flat=True)
        )
        own = await visible_results(user, year=year, unit=None, ids=invited)
    elif _report_scope(user, None) == "__own__":
        own = await visible_results(user, year=year, unit=None, unit_id=user.unit_id or -1)
    else:
        own = await visible_results(user, year=year, unit=None)
    return ranked_fixes(own)


def ranked_fixes(results: list[tuple[Any, Any]]) -> list[dict[str, Any]]:
    """The fixes of these (innovation, checklist) pairs, best first, with innovation names."""
    names = {innovation.id: innovation.name for innovation, _ in results}
    ranked = rank_fixes([result for _, result in results])
    for row in ranked:
        row["innovation_name"] = names.get(row.get("innovation_id"))
    return ranked
