"""Reading the audit log: filters, oldest first (or newest first for the page)."""

from __future__ import annotations

from datetime import datetime

from tortoise.queryset import QuerySet

from archive.models import AuditEvent

COLUMNS = ["id", "at", "actor", "action", "object_type", "object_id", "ip", "before", "after"]


def _query(
    actor: str | None, object_ref: str | None, since: datetime | None
) -> QuerySet[AuditEvent]:
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
    return query


async def events(
    *,
    actor: str | None,
    object_ref: str | None,
    since: datetime | None,
    limit: int = 10_000,
    newest_first: bool = False,
) -> list[AuditEvent]:
    query = _query(actor, object_ref, since)
    return await query.order_by("-id" if newest_first else "id").limit(limit)


async def count(*, actor: str | None, object_ref: str | None, since: datetime | None) -> int:
    return await _query(actor, object_ref, since).count()


def event_row(event: AuditEvent) -> dict:
    return {column: getattr(event, column) for column in COLUMNS}
