"""Time: stored in UTC, deadlines judged in the regency's zone (WITA by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def deadline_end(day: date, tz: ZoneInfo) -> datetime:
    """The last instant of ``day`` in ``tz`` (a deadline of 31 March ends 23:59:59 WITA), in UTC."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def jsonable(value: object) -> object:
    """Dates and enums as the JSON the audit log and API show."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value  # type: ignore[attr-defined]
    return value
