"""Who may see and change what: the one place every query about innovations goes through."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from archive import runtime
from archive.errors import Conflict, Forbidden, NotFound
from archive.models import Assignment, Innovation, InnovationStatus, Period, Role, User
from archive.timeutil import deadline_end, utcnow

READ_ALL = {Role.STAFF, Role.VERIFIER}


def innovation_scope(user: User | None) -> Q:
    """The filter of innovations this caller may read."""
    published = Q(status=InnovationStatus.PUBLISHED)
    if user is None:
        return published
    if user.role in READ_ALL:
        return Q()
    if user.role == Role.ADMIN:
        return published | Q(unit_id=user.unit_id) if user.unit_id else published
    # Innovators and judges: what they are assigned to, and the public catalogue.
    return published | Q(assignments__user_id=user.id)


def visible_innovations(user: User | None) -> QuerySet[Innovation]:
    return Innovation.filter(innovation_scope(user)).distinct()


async def get_visible_innovation(user: User | None, innovation_id: int) -> Innovation:
    """The innovation if the caller may read it; 404 otherwise, so its existence stays hidden."""
    innovation = await visible_innovations(user).filter(id=innovation_id).first()
    if innovation is None:
        raise NotFound("Inovasi tidak ditemukan.")
    return innovation


async def can_edit_innovation(user: User, innovation: Innovation) -> bool:
    """Staff edit everything, an admin their unit's, an innovator what they were invited to."""
    if user.role == Role.STAFF:
        return True
    if user.role == Role.ADMIN:
        return user.unit_id is not None and innovation.unit_id == user.unit_id
    if user.role == Role.INNOVATOR:
        return await Assignment.exists(user_id=user.id, innovation_id=innovation.id)
    return False


async def get_editable_innovation(user: User, innovation_id: int) -> Innovation:
    """The innovation if the caller may change it now.

    404 when unseen, 403 when only readable, 409 when its state or the year's input deadline
    forbids changes (staff are not bound by either; they reopen instead).
    """
    innovation = await get_visible_innovation(user, innovation_id)
    if not await can_edit_innovation(user, innovation):
        raise Forbidden("Anda tidak berhak mengubah inovasi ini.")
    if user.role != Role.STAFF:
        await ensure_open_for_input(innovation)
    return innovation


# Whose data an admin or innovator may still change; the rest waits for a verifier or staff.
OPEN_STATUSES = {InnovationStatus.DRAFT, InnovationStatus.REVISION}


async def ensure_open_for_input(innovation: Innovation) -> None:
    reason = await input_closed_reason(innovation)
    if reason is not None:
        raise Conflict(reason)


async def input_closed_reason(innovation: Innovation) -> str | None:
    """Why an admin or innovator may not change the innovation now, or None when they may."""
    if innovation.status not in OPEN_STATUSES:
        return f"Inovasi berstatus '{status_label(innovation.status)}' tidak dapat diubah" + (
            "; minta staf membukanya kembali." if not innovation.reopened else "."
        )
    period = await Period.get_or_none(year=innovation.year)
    if period is None or period.reopened or innovation.reopened:
        return None
    deadline = deadline_end(period.closes, runtime.timezone)
    if utcnow() > deadline:
        local = deadline.astimezone(runtime.timezone)
        return (
            f"Batas input data tahun {innovation.year} telah lewat ({local:%d-%m-%Y %H:%M} "
            f"{local.tzname()}). Perubahan hanya dapat dilakukan bila staf membuka kembali "
            "inovasi ini atau periodenya."
        )
    return None


STATUS_LABELS = {
    InnovationStatus.DRAFT: "draf",
    InnovationStatus.SUBMITTED: "diajukan",
    InnovationStatus.REVISION: "perbaikan",
    InnovationStatus.VERIFIED: "terverifikasi",
    InnovationStatus.REJECTED: "ditolak",
    InnovationStatus.PUBLISHED: "dipublikasikan",
}


def status_label(status: object) -> str:
    """An innovation status as users read it (``submitted`` -> ``diajukan``)."""
    return STATUS_LABELS.get(InnovationStatus(str(status)), str(status))


def can_create_in_unit(user: User, unit_id: int) -> bool:
    if user.role == Role.STAFF:
        return True
    return user.role == Role.ADMIN and user.unit_id == unit_id


def require_role(user: User, *roles: Role) -> None:
    if user.role not in roles:
        raise Forbidden("Peran Anda tidak berhak melakukan tindakan ini.")


def check_not_own_unit(user: User, innovation: Innovation) -> None:
    if (
        user.role == Role.VERIFIER
        and user.unit_id is not None
        and user.unit_id == innovation.unit_id
    ):
        raise Forbidden("Verifikator tidak boleh memeriksa inovasi unitnya sendiri.")
