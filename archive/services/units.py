"""Regional units, managed by staff."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from archive import audit
from archive.audit import Actor
from archive.errors import Conflict, NotFound
from archive.models import Unit
from archive.schemas.units import UnitCreate, UnitUpdate
from archive.timeutil import utcnow


async def create_unit(data: UnitCreate, actor: Actor) -> Unit:
    try:
        unit = await Unit.create(code=data.code, name=data.name, kind=data.kind)
    except IntegrityError:
        raise Conflict(f"Kode unit '{data.code}' sudah dipakai.") from None
    await audit.record(actor, "create", "unit", unit.code, after=data.model_dump(mode="json"))
    return unit


async def update_unit(code: str, data: UnitUpdate, actor: Actor) -> Unit:
    unit = await Unit.get_or_none(code=code)
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    patch = data.model_dump(exclude_unset=True, exclude_none=True)
    before = {"name": unit.name, "kind": str(unit.kind)}
    for key, value in patch.items():
        setattr(unit, key, value)
    await unit.save()
    old, new = audit.changes(before, {"name": unit.name, "kind": str(unit.kind)})
    await audit.record(actor, "update", "unit", unit.code, before=old, after=new)
    return unit


async def set_active(code: str, active: bool, actor: Actor) -> Unit:
    """(De)activate a unit: a deactivated one keeps its history, takes no new accounts."""
    unit = await Unit.get_or_none(code=code)
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    before = unit.active
    unit.deactivated_at = None if active else (unit.deactivated_at or utcnow())
    await unit.save()
    await audit.record(
        actor, "activate" if active else "deactivate", "unit", unit.code,
        before={"active": before}, after={"active": active},
    )  # fmt: skip
    return unit


async def unit_overview() -> list[dict]:
    """Every unit with how many innovations and accounts it has (two grouped queries)."""
    from tortoise.functions import Count

    from archive.models import Innovation, User

    innovations = dict(
        await Innovation.all()
        .annotate(n=Count("id"))
        .group_by("unit_id")
        .values_list("unit_id", "n")
    )
    accounts = dict(
        await User.filter(unit_id__not_isnull=True)
        .annotate(n=Count("id"))
        .group_by("unit_id")
        .values_list("unit_id", "n")
    )
    return [
        {"unit": u, "innovations": innovations.get(u.id, 0), "accounts": accounts.get(u.id, 0)}
        for u in await Unit.all().order_by("name")
    ]
