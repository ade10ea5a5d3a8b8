"""Entries: a unit enters one of its innovations and writes the proposal's sections.

The unit's admin, an innovator invited to the innovation, or staff write it. Evidence is
attached by reference (ids of the innovation's current evidence), never copied, so a judge
reads the same file the verifier checked. Sections can be filled from the innovation's
profile (the profile import already put the design, goals, benefits and results there).
"""

from __future__ import annotations

import re
import secrets

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.competitions.access import RUNNERS, ensure_entries_open, get_competition
from archive.errors import BadInput, Conflict, Forbidden, NotFound
from archive.models import (
    Competition,
    Entry,
    EntryStatus,
    Evidence,
    Innovation,
    Role,
    User,
)
from archive.schemas.common import CONTROL_CHARACTERS
from archive.scoping import (
    can_edit_innovation,
    get_visible_innovation,
    status_label,
    visible_innovations,
)

MAX_SECTION_CHARS = 20_000
WORD = re.compile(r"\S+")
# Where a section may start from the profile: KIPP's sections and the profile fields that
# answer the same question (the profile form asks for them under these names).
FROM_PROFILE = {
    "ringkasan": ("goals",),
    "ide_inovatif": ("design",),
    "signifikansi": ("benefits", "results"),
    "keberlanjutan": ("results",),
}


def words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters (the page counts the same)."""
    return len(WORD.findall(text or ""))


def word_counts(competition: Competition, entry: Entry) -> dict[str, int]:
    return {s["key"]: words(entry.sections.get(s["key"], "")) for s in competition.sections}


async def _code(competition: Competition) -> str:
    """A short code judges see instead of the unit, unique in the competition."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    while True:
        code = "P-" + "".join(secrets.choice(alphabet) for _ in range(4))
        if not await Entry.exists(competition_id=competition.id, code=code):
            return code


async def create(user: User, competition_id: int, innovation_id: int, actor: Actor) -> Entry:
    competition = await get_competition(user, competition_id)
    if user.role not in {Role.STAFF, Role.ADMIN, Role.INNOVATOR}:
        raise Forbidden("Peran Anda tidak dapat mendaftarkan inovasi ke lomba.")
    innovation = await get_visible_innovation(user, innovation_id)
    if not await can_edit_innovation(user, innovation):
        raise Forbidden("Anda hanya dapat mendaftarkan inovasi unit Anda sendiri.")
    await ensure_entries_open(competition)
    if str(innovation.status) not in competition.eligible:
        allowed = ", ".join(status_label(s) for s in competition.eligible)
        raise Conflict(
            f"Inovasi berstatus '{status_label(innovation.status)}' belum dapat ikut lomba ini "
            f"(yang boleh ikut: {allowed})."
        )
    try:
        async with in_transaction():
            entry = await Entry.create(
                competition=competition,
                innovation=innovation,
                code=await _code(competition),
                sections={s["key"]: "" for s in competition.sections},
            )
            await audit.record(
                actor, "competition.entry", "competition_entry", entry.id,
                after={"competition": competition.id, "innovation": innovation.id},
            )  # fmt: skip
    except IntegrityError:
        raise Conflict("Inovasi ini sudah terdaftar di lomba ini.") from None
    return entry


def _entry_scope(user: User) -> QuerySet[Entry]:
    """Entries the caller writes or runs: staff and verifiers all, admins their unit's,
    innovators those of the innovations they were invited to, nobody else any."""
    if user.role in RUNNERS:
        return Entry.all()
    if user.role == Role.ADMIN and user.unit_id is not None:
        return Entry.filter(innovation__unit_id=user.unit_id)
    if user.role == Role.INNOVATOR:
        return Entry.filter(innovation__assignments__user_id=user.id)
    return Entry.filter(id=-1)


async def list_entries(user: User, competition_id: int) -> list[Entry]:
    """Staff and verifiers: all entries; admins their unit's; innovators those they write."""
    competition = await get_competition(user, competition_id)
    ids = (
        await _entry_scope(user).filter(competition_id=competition.id).values_list("id", flat=True)
    )
    return list(
        await Entry.filter(id__in=list(ids)).prefetch_related("innovation__unit").order_by("id")
    )


async def get_entry(user: User, entry_id: int) -> Entry:
    """An entry its writers and staff may read; 404 for everyone else (judges go through
    their assignments, which hide the unit)."""
    entry = await _entry_scope(user).filter(id=entry_id).first()
    if entry is None:
        raise NotFound("Pendaftaran lomba tidak ditemukan.")
    await entry.fetch_related("innovation__unit", "competition")
    return entry


async def _editable(user: User, entry_id: int) -> Entry:
    entry = await get_entry(user, entry_id)
    innovation: Innovation = entry.innovation
    if not await can_edit_innovation(user, innovation):
        raise Forbidden("Anda tidak berhak mengubah pendaftaran ini.")
    await ensure_entries_open(entry.competition)
    return entry


async def update(
    user: User,
    entry_id: int,
    actor: Actor,
    *,
    sections: dict[str, str] | None = None,
    evidence: list[int] | None = None,
) -> Entry:
    """Save the sections (a draft may run over the word limits; submitting may not)."""
    entry = await _editable(user, entry_id)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("Proposal sudah diajukan; tarik kembali dulu untuk mengubahnya.")
    competition: Competition = entry.competition
    before = {"sections": dict(entry.sections), "evidence": list(entry.evidence)}
    if sections is not None:
        known = {s["key"] for s in competition.sections}
        unknown = sorted(set(sections) - known)
        if unknown:
            raise BadInput(
                f"Bagian proposal tidak dikenal: {', '.join(unknown)}.", extra={"field": unknown[0]}
            )
        for key, text in sections.items():
            text = CONTROL_CHARACTERS.sub("", text or "").strip()
            if len(text) > MAX_SECTION_CHARS:
                raise BadInput(
                    f"Bagian '{key}' terlalu panjang "
                    f"(paling banyak {MAX_SECTION_CHARS:,} karakter).",
                    extra={"field": key},
                )
            entry.sections = {**entry.sections, key: text}
    if evidence is not None:
        wanted = list(dict.fromkeys(evidence))
        found = set(
            await Evidence.filter(
                id__in=wanted, innovation_id=entry.innovation_id, is_current=True, deleted_at=None
            ).values_list("id", flat=True)
        )
        if set(wanted) - found:
            raise BadInput(
                "Lampiran harus bukti yang masih berlaku dari inovasi ini.",
                extra={"field": "evidence"},
            )
        entry.evidence = wanted
    await entry.save()
    old, new = audit.changes(before, {"sections": entry.sections, "evidence": entry.evidence})
    if new:
        # Section texts can be long: the audit keeps which changed and their word counts.
        summary = {
            k: {s: words(t) for s, t in v.items()} if k == "sections" else v for k, v in new.items()
        }
        before_summary = {
            k: {s: words(t) for s, t in v.items()} if k == "sections" else v for k, v in old.items()
        }
        await audit.record(
            actor, "competition.entry_update", "competition_entry", entry.id,
            before=before_summary, after=summary,
        )  # fmt: skip
    return entry


async def fill_from_profile(user: User, entry_id: int, actor: Actor) -> list[str]:
    """Fill the empty sections that have a matching profile field; returns their keys."""
    entry = await _editable(user, entry_id)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("Proposal sudah diajukan; tarik kembali dulu untuk mengubahnya.")
    innovation: Innovation = entry.innovation
    filled: dict[str, str] = {}
    for section in entry.competition.sections:
        key = section["key"]
        if entry.sections.get(key, "").strip():
            continue
        parts = [getattr(innovation, name) or "" for name in FROM_PROFILE.get(key, ())]
        text = "\n\n".join(p.strip() for p in parts if p and p.strip())
        if text:
            filled[key] = text
    if filled:
        await update(user, entry_id, actor, sections=filled)
    return sorted(filled)


def problems(competition: Competition, entry: Entry) -> list[str]:
    """What stops the proposal from being submitted, in Indonesian; empty when nothing."""
    out = []
    for section in competition.sections:
        text = entry.sections.get(section["key"], "")
        count = words(text)
        if count == 0:
            out.append(f"Bagian '{section['title']}' belum diisi.")
        elif count > section["word_limit"]:
            out.append(
                f"Bagian '{section['title']}' {count} kata, "
                f"melebihi batas {section['word_limit']} kata."
            )
    return out


async def submit(user: User, entry_id: int, actor: Actor) -> Entry:
    entry = await _editable(user, entry_id)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("Proposal ini sudah diajukan.")
    competition: Competition = entry.competition
    innovation: Innovation = entry.innovation
    if str(innovation.status) not in competition.eligible:
        raise Conflict(
            f"Inovasi berstatus '{status_label(innovation.status)}' "
            "tidak lagi memenuhi syarat lomba."
        )
    found = problems(competition, entry)
    if found:
        raise Conflict(" ".join(found), extra={"problems": found})
    from archive.timeutil import utcnow

    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = utcnow()
    await entry.save()
    await audit.record(actor, "competition.entry_submit", "competition_entry", entry.id)
    return entry


async def withdraw(user: User, entry_id: int, actor: Actor) -> Entry:
    entry = await _editable(user, entry_id)
    if entry.status != EntryStatus.SUBMITTED:
        raise Conflict("Proposal ini belum diajukan.")
    entry.status = EntryStatus.DRAFT
    entry.submitted_at = None
    await entry.save()
    await audit.record(actor, "competition.entry_withdraw", "competition_entry", entry.id)
    return entry


async def eligible_innovations(user: User, competition: Competition) -> list[Innovation]:
    """The caller's innovations that may enter and have not yet."""
    if user.role not in {Role.STAFF, Role.ADMIN, Role.INNOVATOR}:
        return []
    entered = await Entry.filter(competition_id=competition.id).values_list(
        "innovation_id", flat=True
    )
    query = (
        visible_innovations(user)
        .filter(status__in=competition.eligible)
        .exclude(id__in=list(entered))
    )
    if user.role == Role.ADMIN:
        query = query.filter(unit_id=user.unit_id)
    elif user.role == Role.INNOVATOR:
        query = query.filter(assignments__user_id=user.id)
    return list(await query.prefetch_related("unit").order_by("name"))


async def attachable_evidence(entry: Entry) -> list[Evidence]:
    return list(
        await Evidence.filter(
            innovation_id=entry.innovation_id, is_current=True, deleted_at=None
        ).order_by("indicator", "id")
    )
