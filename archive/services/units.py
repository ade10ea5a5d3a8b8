"""Regional units, managed by staff."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from archive import audit
from archive.audit import Actor
from archive.errors import Conflict, NotFound
from archive.models import Unit
from archive.schemas.units import UnitCreate, UnitUpdate


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
