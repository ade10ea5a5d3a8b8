"""Yearly collection periods, opened by staff with a rule pack and deadlines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, NotFound
from archive.models import Period
from archive.schemas.periods import PeriodCreate, PeriodOut, PeriodUpdate
from archive.timeutil import deadline_end
from checklist import available_rulepacks


def _check_rulepack(pack_id: str) -> None:
    if pack_id not in available_rulepacks():
        known = ", ".join(available_rulepacks())
        raise BadInput(f"Paket aturan '{pack_id}' tidak dikenal. Yang tersedia: {known}.")


async def create_period(data: PeriodCreate, actor: Actor) -> Period:
    _check_rulepack(data.rulepack)
    try:
        period = await Period.create(**data.model_dump())
    except IntegrityError:
        raise Conflict(f"Periode tahun {data.year} sudah ada.") from None
    await audit.record(actor, "create", "period", period.year, after=data.model_dump(mode="json"))
    return period


async def update_period(year: int, data: PeriodUpdate, actor: Actor) -> Period:
    period = await Period.get_or_none(year=year)
    if period is None:
        raise NotFound(f"Periode tahun {year} tidak ditemukan.")
    patch = data.model_dump(exclude_unset=True, exclude_none=True)
    if "rulepack" in patch:
        _check_rulepack(patch["rulepack"])
    before = _dump(period)
    for key, value in patch.items():
        setattr(period, key, value)
    # The merged dates must still be in order, not only the ones in the patch.
    try:
        dates = {k: v for k, v in _dump(period).items() if k != "reopened"}
        PeriodCreate(**dates, year=period.year)
    except ValueError as exc:
        raise BadInput(first_error(exc)) from None
    await period.save()
    old, new = audit.changes(before, _dump(period))
    await audit.record(actor, "update", "period", period.year, before=old, after=new)
    return period


def first_error(exc: ValueError) -> str:
    """The first validation message of ``exc``, as users read it."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return str(errors()[0]["msg"]).removeprefix("Value error, ")
    return str(exc)


def _dump(period: Period) -> dict:
    return {
        "rulepack": period.rulepack,
        "opens": period.opens.isoformat(),
        "closes": period.closes.isoformat(),
        "review_closes": period.review_closes.isoformat(),
        "reopened": period.reopened,
    }


def period_out(period: Period, tz: ZoneInfo) -> PeriodOut:
    return PeriodOut(
        year=period.year,
        rulepack=period.rulepack,
        opens=period.opens,
        closes=period.closes,
        review_closes=period.review_closes,
        closes_at=deadline_end(period.closes, tz),
        review_closes_at=deadline_end(period.review_closes, tz),
        reopened=period.reopened,
    )
