"""The innovation state machine: who may move an innovation from which state to which.

    draft ──submit──▶ submitted ──verified──▶ verified ──publish──▶ published
      ▲                   │ ├──revision──▶ revision ──submit──▶ submitted
      │                   │ └──rejected──▶ rejected
      └──────reopen (staff, from any later state) ◀──────────────────────┘

Every transition is checked here, not in the routes: the acting role, the state it starts from,
the version the caller last read (stale → 409), and for verifiers, that the innovation is not of
their own unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive import audit
from archive.audit import Actor
from archive.errors import Conflict, Forbidden
from archive.models import Innovation, InnovationStatus, Role, User
from archive.scoping import ensure_open_for_input, get_visible_innovation, status_label
from archive.services import checklists, notifications, search_outbox
from archive.timeutil import utcnow

S = InnovationStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[InnovationStatus]
    target: InnovationStatus
    roles: frozenset[Role]


DECIDERS = frozenset({Role.VERIFIER, Role.STAFF})
LATER = frozenset({S.SUBMITTED, S.REVISION, S.VERIFIED, S.REJECTED, S.PUBLISHED})
TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit", frozenset({S.DRAFT, S.REVISION}), S.SUBMITTED, frozenset({Role.ADMIN})
        ),
        Transition("verified", frozenset({S.SUBMITTED}), S.VERIFIED, DECIDERS),
        Transition("revision", frozenset({S.SUBMITTED}), S.REVISION, DECIDERS),
        Transition("rejected", frozenset({S.SUBMITTED}), S.REJECTED, DECIDERS),
        Transition("publish", frozenset({S.VERIFIED}), S.PUBLISHED, frozenset({Role.STAFF})),
        Transition("reopen", LATER, S.DRAFT, frozenset({Role.STAFF})),
    ]
}

LABELS = {
    "submit": "diajukan",
    "verified": "dinyatakan terverifikasi",
    "revision": "dikembalikan untuk perbaikan",
    "rejected": "ditolak",
    "publish": "dipublikasikan",
    "reopen": "dibuka kembali",
}


def check_not_own_unit(user: User, innovation: Innovation) -> None:
    if (
        user.role == Role.VERIFIER
        and user.unit_id is not None
        and user.unit_id == innovation.unit_id
    ):
        raise Forbidden("Verifikator tidak boleh memeriksa inovasi unitnya sendiri.")


async def transition(
    user: User,
    innovation_id: int,
    name: str,
    actor: Actor,
    *,
    note: str | None = None,
    version: int | None = None,
) -> Innovation:
    """Move the innovation along ``name``; 403 for the wrong role, 409 from the wrong state."""
    step = TRANSITIONS[name]
    innovation = await get_visible_innovation(user, innovation_id)
    if user.role not in step.roles:
        raise Forbidden(f"Peran {user.role} tidak dapat membuat inovasi {LABELS[name]}.")
    if user.role == Role.ADMIN and innovation.unit_id != user.unit_id:
        raise Forbidden("Hanya admin unit pemilik yang dapat mengajukan inovasi ini.")
    check_not_own_unit(user, innovation)
    if version is not None and version != innovation.version:
        raise Conflict(
            f"Inovasi telah berubah sejak Anda membukanya (versi {innovation.version}, bukan "
            f"{version}). Muat ulang lalu ulangi."
        )
    if innovation.status not in step.sources:
        raise Conflict(
            f"Inovasi berstatus '{status_label(innovation.status)}' tidak dapat {LABELS[name]}; "
            f"hanya dari status {', '.join(sorted(status_label(s) for s in step.sources))}."
        )
    if name == "submit":
        await ensure_open_for_input(innovation)
        await _check_complete(innovation)
    before = str(innovation.status)
    updates: dict = {"status": step.target, "version": innovation.version + 1}
    if name == "submit":
        updates["submitted_at"] = utcnow()
    if name in {"verified", "revision", "rejected"}:
        updates["decided_at"] = utcnow()
    if name == "reopen":
        updates["reopened"] = True
    elif name == "submit":
        updates["reopened"] = False
    moved = await Innovation.filter(id=innovation.id, version=innovation.version).update(**updates)
    if not moved:
        raise Conflict("Inovasi baru saja diubah orang lain. Muat ulang lalu ulangi.")
    await search_outbox.enqueue([search_outbox.innovation_ref(innovation.id)])
    await audit.record(
        actor, name, "innovation", innovation.id,
        before={"status": before}, after={"status": step.target.value, "note": note},
    )  # fmt: skip
    innovation = await Innovation.get(id=innovation.id)
    await notifications.after_transition(innovation, name, note)
    await checklists.refresh(innovation.id)
    return innovation


async def _check_complete(innovation: Innovation) -> None:
    """Submission needs every mandatory indicator backed and the profile filled."""
    result = await checklists.refresh(innovation.id)
    missing = [i["code"] for i in result["indicators"]
               if i["mandatory"] and i["status"] in ("missing", "rejected")]  # fmt: skip
    profile = [f for f in result.get("profile", {}).get("findings", [])
               if f.get("severity", "error") == "error"]  # fmt: skip
    if missing or profile:
        parts = []
        if missing:
            names = {i["code"]: i.get("name") or i["code"] for i in result["indicators"]}
            parts.append("indikator wajib tanpa bukti: " + ", ".join(names[m] for m in missing))
        if profile:
            parts.append(f"{len(profile)} isian profil perlu dilengkapi")
        raise Conflict(
            "Inovasi belum dapat diajukan: " + "; ".join(parts) + ".",
            extra={"missing": missing, "findings": profile},
        )
