"""Writing to the append-only audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where; ``username`` is None for anonymous or the system."""

    username: str | None
    ip: str | None = None


SYSTEM = Actor(username="system")


async def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return await AuditEvent.create(
        actor=actor.username,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
