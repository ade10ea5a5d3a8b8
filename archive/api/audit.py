from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from archive.api.deps import StaffUser
from archive.exports import table_response
from archive.schemas.reports import AuditRow
from archive.services import audit_log

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=list[AuditRow])
async def audit(
    staff: StaffUser,
    actor: str | None = Query(default=None, max_length=64),
    object: str | None = Query(
        default=None, max_length=100, description="innovation atau innovation:12"
    ),
    since: datetime | None = None,
    format: Literal["json", "csv"] = "json",
) -> list[dict[str, Any]] | Response:
    """The audit trail, oldest first."""
    rows = [
        audit_log.event_row(e)
        for e in await audit_log.events(actor=actor, object_ref=object, since=since)
    ]
    if format == "json":
        return rows
    table = [[row[c] for c in audit_log.COLUMNS] for row in rows]
    return table_response("csv", audit_log.COLUMNS, table, "audit")
