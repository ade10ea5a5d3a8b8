"""Document facts as people see them: what was read, with a person's corrections on top."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden
from archive.models import Evidence, Innovation, Role, User
from archive.permissions import LOCKED_STATUSES
from archive.schemas.evidence import Facts
from archive.scoping import status_label
from archive.services import checklists
from archive.services.evidence import get_visible_evidence
from archive.services.inputs import FACT_FIELDS, effective_facts

__all__ = ["FACT_FIELDS", "correct_facts", "effective_facts"]


async def correct_facts(
    user: User, evidence_id: int, changes: dict[str, str | None], actor: Actor
) -> Evidence:
    """Store a person's corrections (None removes one), audit them, re-evaluate the checklist."""
    if not changes:
        raise BadInput("Kirim paling sedikit satu fakta: kind, number, date, title atau issuer.")
    evidence = await get_visible_evidence(user, evidence_id)
    innovation = await Innovation.get(id=evidence.innovation_id)
    _check_may_correct(user, innovation)
    if evidence.deleted_at is not None or not evidence.is_current:
        raise Conflict("Fakta hanya dapat dikoreksi pada versi terbaru bukti yang belum dihapus.")
    before = effective_facts(evidence)
    corrected = dict(evidence.facts_corrected or {})
    for key, value in changes.items():
        if value is None:
            corrected.pop(key, None)
        else:
            corrected[key] = value
    async with in_transaction():
        await Evidence.filter(id=evidence.id).update(facts_corrected=corrected or None)
        evidence.facts_corrected = corrected or None
        after = effective_facts(evidence)
        await audit.record(
            actor,
            "correct_facts",
            "evidence",
            evidence.id,
            before=_audit_view(before, changes),
            after=_audit_view(after, changes),
        )
    await checklists.inputs_changed(innovation.id)
    return evidence


def _check_may_correct(user: User, innovation: Innovation) -> None:
    """Staff, a verifier of another unit, or the admin of the unit while the profile is open."""
    if user.role == Role.STAFF:
        return
    if user.role == Role.VERIFIER:
        if user.unit_id is not None and user.unit_id == innovation.unit_id:
            raise Forbidden("Verifikator tidak mengoreksi bukti inovasi unitnya sendiri.")
        return
    if user.role == Role.ADMIN and user.unit_id == innovation.unit_id:
        if innovation.status in LOCKED_STATUSES:
            raise Conflict(
                f"Inovasi berstatus '{status_label(innovation.status)}' tidak dapat diubah; "
                "minta staf membukanya kembali."
            )
        return
    raise Forbidden("Hanya admin unit, verifikator atau staf yang dapat mengoreksi fakta dokumen.")


def _audit_view(facts: Facts, changes: dict[str, str | None]) -> dict:
    """The changed fields as people see them, and which of them a person set."""
    view: dict = {key: getattr(facts, key) for key in changes}
    view["corrected"] = [key for key in facts.corrected if key in changes]
    return view
