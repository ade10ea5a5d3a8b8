"""Reports over stored checklists: completeness per innovation, and what to fix next."""

from __future__ import annotations

from typing import Any

from archive.errors import Forbidden
from archive.models import Role, User
from archive.services.checklists import visible_results
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
    scope = _report_scope(user, unit)
    rows = []
    results = await visible_results(user, year=year, unit=None if scope == "__own__" else scope)
    for innovation, result in results:
        if scope == "__own__" and innovation.unit_id != user.unit_id:
            continue
        indicators = result.get("indicators", [])
        missing = [i["code"] for i in indicators if i.get("mandatory") and i["status"] == "missing"]
        findings = [
            f["message"]
            for i in indicators
            for f in i.get("findings", [])
            if f.get("severity") == "error"
        ]
        findings += [f["message"] for f in result.get("profile", {}).get("findings", [])]
        maturity = result["maturity"]
        rows.append(
            {
                "innovation_id": innovation.id,
                "year": innovation.year,
                "unit": innovation.unit.code,
                "unit_name": innovation.unit.name,
                "name": innovation.name,
                "status": str(innovation.status),
                "completeness": result["completeness"],
                "maturity_claimed": maturity["claimed"],
                "maturity_supported": maturity["supported"],
                "maturity_verified": maturity["verified"],
                "maturity_max": maturity["max"],
                "missing_mandatory": missing,
                "top_findings": findings[:3],
            }
        )
    return rows


async def next_steps(user: User, *, year: int | None) -> list[dict[str, Any]]:
    """The caller's open findings ranked by index points gained per fix."""
    scope = _report_scope(user, None)
    results = await visible_results(user, year=year, unit=None)
    own = [
        (innovation, result)
        for innovation, result in results
        if scope != "__own__" or innovation.unit_id == user.unit_id
    ]
    names = {innovation.id: innovation.name for innovation, _ in own}
    ranked = rank_fixes([result for _, result in own])
    for row in ranked:
        row["innovation_name"] = names.get(row.get("innovation_id"))
    return ranked
