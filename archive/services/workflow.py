"""The innovation state machine: who may move an innovation from which state to which.

    draft ──submit──▶ submitted ──verified──▶ verified ──publish──▶ published
      ▲                   │ ├──revision──▶ revision ──submit──▶ submitted
      │                   │ └──rejected──▶ rejected
      │                   ◀──withdraw (staff: a decision undone, back to the verifier)
      └──────reopen (staff, from any later state) ◀──────────────────────┘

Every transition is checked here, not in the routes: the acting role, the state it starts from,
the version the caller last read (stale → 409), and for verifiers, that the innovation is not of
their own unit. A decision cannot contradict the reviews behind it: every decision, reopening
and withdrawal needs a note, and "verified" is refused while a mandatory indicator is
unreviewed or judged "tidak sesuai", or while the profile has errors. Each step is kept as a
``Decision`` row: the history the innovation page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden
from archive.models import (
    Decision,
    Innovation,
    InnovationStatus,
    Review,
    ReviewState,
    Role,
    User,
    Verdict,
)
from archive.scoping import (
    check_not_own_unit,
    ensure_open_for_input,
    get_visible_innovation,
    status_label,
)
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
        Transition(
            "withdraw",
            frozenset({S.VERIFIED, S.REVISION, S.REJECTED}),
            S.SUBMITTED,
            frozenset({Role.STAFF}),
        ),
    ]
}
# The steps that judge or undo a judgement: each must say why.
NEEDS_NOTE = frozenset({"verified", "revision", "rejected", "reopen", "withdraw"})

LABELS = {
    "submit": "diajukan",
    "verified": "dinyatakan terverifikasi",
    "revision": "dikembalikan untuk perbaikan",
    "rejected": "ditolak",
    "publish": "dipublikasikan",
    "reopen": "dibuka kembali",
    "withdraw": "ditarik keputusannya",
}


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
    note = (note or "").strip() or None
    if name in NEEDS_NOTE and note is None:
        raise BadInput(
            "Tuliskan catatan alasan: setiap keputusan, pembukaan kembali dan penarikan "
            "keputusan dicatat beserta alasannya dan dikirim kepada unit.",
            extra={"field": "note"},
        )
    if name == "submit":
        await ensure_open_for_input(innovation)
        await _check_complete(innovation)
    if name == "verified":
        await _check_verifiable(innovation)
    before = str(innovation.status)
    updates: dict = {"status": step.target, "version": innovation.version + 1}
    if name == "submit":
        updates["submitted_at"] = utcnow()
    if name in {"verified", "revision", "rejected"}:
        updates["decided_at"] = utcnow()
    if name == "withdraw":
        updates["decided_at"] = None
    if name == "publish":
        updates["published_at"] = utcnow()
    if name == "reopen":
        updates["reopened"] = True
    elif name == "submit":
        updates["reopened"] = False
    moved = await Innovation.filter(id=innovation.id, version=innovation.version).update(**updates)
    if not moved:
        raise Conflict("Inovasi baru saja diubah orang lain. Muat ulang lalu ulangi.")
    await Decision.create(
        innovation_id=innovation.id, name=name, from_status=str(innovation.status),
        to_status=step.target.value, note=note, actor_id=user.id,
    )  # fmt: skip
    await search_outbox.enqueue([search_outbox.innovation_ref(innovation.id)])
    await audit.record(
        actor, name, "innovation", innovation.id,
        before={"status": before}, after={"status": step.target.value, "note": note},
    )  # fmt: skip
    innovation = await Innovation.get(id=innovation.id)
    await notifications.after_transition(innovation, name, note)
    await checklists.inputs_changed(innovation.id)
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


async def verification_blockers(innovation: Innovation) -> dict[str, list]:
    """What stands between this innovation and "verified": empty lists when nothing does.

    ``unreviewed`` and ``not_sesuai`` name mandatory indicators (a review the admin's new
    evidence made stale counts as unreviewed); ``profile`` holds the profile's error findings.
    """
    result = await checklists.get_checklist(innovation)
    mandatory = {i["code"]: i.get("name") or i["code"]
                 for i in result.get("indicators", []) if i.get("mandatory")}  # fmt: skip
    found = {r.indicator: r for r in await Review.filter(innovation_id=innovation.id)}
    unreviewed, not_sesuai = [], []
    for code, name in mandatory.items():
        review = found.get(code)
        if review is None or review.state == ReviewState.WAITING:
            unreviewed.append({"code": code, "name": name})
        elif review.verdict == Verdict.TIDAK_SESUAI:
            not_sesuai.append({"code": code, "name": name})
    profile = [f for f in result.get("profile", {}).get("findings", [])
               if f.get("severity", "error") == "error"]  # fmt: skip
    return {"unreviewed": unreviewed, "not_sesuai": not_sesuai, "profile": profile}


async def _check_verifiable(innovation: Innovation) -> None:
    blockers = await verification_blockers(innovation)
    parts = []
    if blockers["unreviewed"]:
        names = ", ".join(i["name"] for i in blockers["unreviewed"])
        parts.append(f"indikator wajib belum diperiksa: {names}")
    if blockers["not_sesuai"]:
        names = ", ".join(i["name"] for i in blockers["not_sesuai"])
        parts.append(f"indikator wajib dinilai tidak sesuai: {names}")
    if blockers["profile"]:
        texts = "; ".join(f.get("message", "") for f in blockers["profile"][:3])
        parts.append(f"profil masih bermasalah ({texts})")
    if parts:
        raise Conflict(
            "Inovasi belum dapat dinyatakan terverifikasi: " + "; ".join(parts) + ". "
            "Periksa dulu setiap indikator wajib, atau kembalikan untuk perbaikan.",
            extra={
                "unreviewed": [i["code"] for i in blockers["unreviewed"]],
                "not_sesuai": [i["code"] for i in blockers["not_sesuai"]],
                "findings": blockers["profile"],
            },
        )


async def history(user: User, innovation_id: int) -> list[dict]:
    """The innovation's workflow steps, oldest first: who, when, what, why."""
    innovation = await get_visible_innovation(user, innovation_id)
    rows = await Decision.filter(innovation_id=innovation.id).prefetch_related("actor")
    return [
        {
            "id": d.id,
            "name": d.name,
            "label": LABELS.get(d.name, d.name),
            "from_status": d.from_status,
            "to_status": d.to_status,
            "note": d.note,
            "actor": (d.actor.full_name or d.actor.username) if d.actor else None,
            "created_at": d.created_at,
        }
        for d in rows
    ]
