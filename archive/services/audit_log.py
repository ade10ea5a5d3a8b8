"""Reading the audit log: filters, oldest first."""

from __future__ import annotations

from datetime import datetime

from archive.models import AuditEvent

COLUMNS = ["id", "at", "actor", "action", "object_type", "object_id", "ip", "before", "after"]


async def events(
    *, actor: str | None, object_ref: str | None, since: datetime | None, limit: int = 10_000
) -> list[AuditEvent]:
    """``object_ref`` is a type (``innovation``) or a type and id (``innovation:12``)."""
    query = AuditEvent.all()
    if actor:
        query = query.filter(actor=actor)
    if object_ref:
        kind, _, ident = object_ref.partition(":")
        query = query.filter(object_type=kind)
        if ident:
            query = query.filter(object_id=ident)
    if since:
        query = query.filter(at__gte=since)
    return await query.order_by("id").limit(limit)


def event_row(event: AuditEvent) -> dict:
    return {column: getattr(event, column) for column in COLUMNS}
