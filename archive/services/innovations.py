"""Innovations: create, read and edit within the caller's scope."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden
from archive.models import Innovation, Role, Unit, User
from archive.permissions import LOCKED_STATUSES
from archive.schemas.innovations import (
    InnovationCreate,
    InnovationOut,
    InnovationUpdate,
    check_date_order,
)
from archive.scoping import (
    can_create_in_unit,
    get_editable_innovation,
    status_label,
    visible_innovations,
)
from archive.services import checklists, search_outbox
from archive.timeutil import jsonable

PROFILE_FIELDS = [f for f in InnovationUpdate.model_fields if f not in {"version"}]


async def _unit(code: str) -> Unit:
    unit = await Unit.get_or_none(code=code)
    if unit is None:
        raise BadInput(f"Unit '{code}' tidak dikenal.")
    return unit


async def create_innovation(user: User, data: InnovationCreate, actor: Actor) -> Innovation:
    unit = await _unit(data.unit)
    if not can_create_in_unit(user, unit.id):
        raise Forbidden("Anda hanya dapat mendaftarkan inovasi untuk unit Anda sendiri.")
    innovation = await record_innovation(data, unit, user, actor)
    await checklists.inputs_changed(innovation.id)
    return innovation


async def record_innovation(
    data: InnovationCreate,
    unit: Unit,
    created_by: User | None,
    actor: Actor,
    action: str = "create",
) -> Innovation:
    """The row, its search-outbox entry and its audit record, in one transaction (the caller
    checks permissions and marks the checklist inputs changed once its work is done)."""
    fields = data.model_dump(exclude={"unit"}, exclude_none=True)
    async with in_transaction():
        innovation = await Innovation.create(**fields, unit=unit, created_by=created_by)
        await search_outbox.enqueue([search_outbox.innovation_ref(innovation.id)])
        await audit.record(
            actor, action, "innovation", innovation.id, after=_snapshot(innovation, unit.code)
        )
    return innovation


async def list_innovations(
    user: User | None, *, year: int | None, unit: str | None, status: str | None
) -> list[Innovation]:
    query = visible_innovations(user)
    if year is not None:
        query = query.filter(year=year)
    if unit:
        query = query.filter(unit__code=unit)
    if status:
        query = query.filter(status=status)
    return await query.order_by("year", "id").prefetch_related("unit")


async def update_innovation(
    user: User, innovation_id: int, data: InnovationUpdate, actor: Actor
) -> Innovation:
    innovation = await get_editable_innovation(user, innovation_id)
    if user.role == Role.INNOVATOR:
        raise Forbidden("Inovator mengunggah bukti dan klaim; profil diubah oleh admin unit.")
    if data.version is not None and data.version != innovation.version:
        raise Conflict(
            "Inovasi ini telah diubah orang lain sejak Anda membukanya "
            f"(versi {innovation.version}, bukan {data.version}). Muat ulang lalu ulangi."
        )
    if innovation.status in LOCKED_STATUSES:
        raise Conflict(
            f"Inovasi berstatus '{status_label(innovation.status)}' tidak dapat diubah; "
            "minta staf membukanya kembali."
        )
    patch = data.model_dump(exclude_unset=True, exclude={"version"})
    if "name" in patch and patch["name"] is None:
        raise BadInput("Nama inovasi tidak boleh kosong.")
    unit = await Unit.get(id=innovation.unit_id)
    before = _snapshot(innovation, unit.code)
    for key, value in patch.items():
        setattr(innovation, key, value if key != "proposal" else (value or {}))
    try:
        check_date_order(innovation.trial_date, innovation.implementation_date)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    # Compare-and-set on the version, so two writers cannot both win.
    expected = innovation.version
    innovation.version = expected + 1
    async with in_transaction():
        saved = await Innovation.filter(id=innovation.id, version=expected).update(
            **{key: getattr(innovation, key) for key in patch}, version=innovation.version
        )
        if saved:
            await search_outbox.enqueue([search_outbox.innovation_ref(innovation.id)])
    if not saved:
        raise Conflict("Inovasi ini baru saja diubah orang lain. Muat ulang lalu ulangi.")
    innovation = await Innovation.get(id=innovation.id)
    old, new = audit.changes(before, _snapshot(innovation, unit.code))
    await audit.record(actor, "update", "innovation", innovation.id, before=old, after=new)
    await checklists.inputs_changed(innovation.id)
    return innovation


def _snapshot(innovation: Innovation, unit_code: str) -> dict:
    data = {field: jsonable(getattr(innovation, field)) for field in PROFILE_FIELDS}
    data.update(unit=unit_code, year=innovation.year, status=str(innovation.status))
    return data


async def innovation_out(innovation: Innovation) -> InnovationOut:
    unit = innovation.unit if isinstance(innovation.unit, Unit) else None
    if unit is None:
        unit = await Unit.get(id=innovation.unit_id)
    data = {
        field: getattr(innovation, field)
        for field in InnovationOut.model_fields
        if field not in {"unit", "unit_name"}
    }
    data["proposal"] = innovation.proposal or {}
    return InnovationOut(**data, unit=unit.code, unit_name=unit.name)
