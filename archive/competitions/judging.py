"""Judges: their assignments, the entry as they may see it, scores and conflicts of interest.

On a blind stage a judge sees the entry's code, never the unit: the unit's name and code are
masked in the innovation's name and the sections, evidence files are named by indicator, and
the fields that name people or the office (made by, initiator) are left out. A judge sees
only their own scores until the stage closes; every score change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.competitions.access import get_assignment
from archive.errors import BadInput, Conflict, NotFound
from archive.models import (
    Competition,
    CompetitionStage,
    Entry,
    Evidence,
    Innovation,
    JudgeAssignment,
    Role,
    Score,
    StageState,
    Unit,
    User,
)
from archive.scoping import require_role
from archive.timeutil import utcnow

MASK = "[disamarkan]"


def masker(unit: Unit) -> re.Pattern[str] | None:
    """A pattern of the unit's full name and code (shorter parts would mask ordinary words:
    "Kesehatan" alone is also the subject of many proposals)."""
    names = sorted({n.strip() for n in (unit.name, unit.code) if n and len(n.strip()) >= 3},
                   key=len, reverse=True)  # fmt: skip
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def mask(pattern: re.Pattern[str] | None, text: str) -> str:
    return pattern.sub(MASK, text) if pattern is not None and text else text


@dataclass
class JudgeView:
    """What a judge reads for one assignment."""

    assignment: JudgeAssignment
    stage: CompetitionStage
    competition: Competition
    entry: Entry
    blind: bool
    title: str
    unit: str | None
    sections: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    scores: dict[str, dict[str, Any]]
    editable: bool
    profile: dict[str, str] = field(default_factory=dict)


async def assignments_of(user: User) -> list[JudgeAssignment]:
    """The judge's assignments on open and closed stages, conflicts left out."""
    require_role(user, Role.JUDGE)
    return list(
        await JudgeAssignment.filter(judge_id=user.id, conflict_at=None)
        .exclude(stage__state=StageState.WAITING)
        .prefetch_related("stage__competition", "entry__innovation", "scores")
        .order_by("stage__competition_id", "stage__position", "entry__code")
    )


def progress(assignment: JudgeAssignment, stage: CompetitionStage) -> tuple[int, int]:
    """(criteria scored, criteria) of one assignment."""
    keys = {c["key"] for c in stage.criteria}
    return len({s.criterion for s in assignment.scores} & keys), len(keys)


async def view(user: User, assignment_id: int) -> JudgeView:
    require_role(user, Role.JUDGE)
    assignment = await get_assignment(user, assignment_id)
    await assignment.fetch_related("stage__competition", "entry__innovation__unit", "scores")
    stage: CompetitionStage = assignment.stage
    if stage.state == StageState.WAITING:
        raise NotFound("Penugasan penilaian tidak ditemukan.")
    competition: Competition = stage.competition
    entry: Entry = assignment.entry
    innovation: Innovation = entry.innovation
    blind = stage.blind
    pattern = masker(innovation.unit) if blind else None
    sections = [
        {**s, "text": mask(pattern, entry.sections.get(s["key"], ""))} for s in competition.sections
    ]
    evidence_rows = await Evidence.filter(
        id__in=list(entry.evidence), is_current=True, deleted_at=None
    ).order_by("indicator", "id")
    evidence = []
    for n, row in enumerate(evidence_rows, start=1):
        evidence.append({
            "id": row.id, "indicator": row.indicator, "url": row.url,
            "name": f"Dokumen {n} ({row.indicator})" if blind else (row.filename or row.url or ""),
            "media_type": row.media_type, "is_link": row.blob_id is None,
        })  # fmt: skip
    profile = {}
    for key, label in (("design", "Rancang bangun"), ("goals", "Tujuan"), ("benefits", "Manfaat"),
                       ("results", "Hasil")):  # fmt: skip
        value = getattr(innovation, key) or ""
        if value.strip():
            profile[label] = mask(pattern, value)
    return JudgeView(
        assignment=assignment,
        stage=stage,
        competition=competition,
        entry=entry,
        blind=blind,
        title=mask(pattern, innovation.name),
        unit=None if blind else innovation.unit.name,
        sections=sections,
        evidence=evidence,
        scores={
            s.criterion: {"value": s.value, "justification": s.justification}
            for s in assignment.scores
        },
        editable=stage.state == StageState.OPEN,
        profile=profile,
    )


async def save_scores(
    user: User, assignment_id: int, scores: list[dict[str, Any]], actor: Actor
) -> list[Score]:
    """Save some or all criteria of one assignment (0 to 100 with a justification each)."""
    require_role(user, Role.JUDGE)
    assignment = await get_assignment(user, assignment_id)
    stage = await CompetitionStage.get(id=assignment.stage_id)
    if stage.state == StageState.CLOSED:
        raise Conflict("Tahap sudah ditutup; nilai tidak dapat diubah lagi.")
    if stage.state != StageState.OPEN:
        raise Conflict("Tahap ini belum dibuka untuk penilaian.")
    known = {c["key"]: c["name"] for c in stage.criteria}
    seen: set[str] = set()
    for item in scores:
        key = item["criterion"]
        if key not in known:
            raise BadInput(f"Kriteria '{key}' tidak ada di tahap ini.", extra={"field": key})
        if key in seen:
            raise BadInput(f"Kriteria '{known[key]}' dinilai dua kali.", extra={"field": key})
        seen.add(key)
        value = item["value"]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise BadInput(
                f"Nilai '{known[key]}' harus bilangan bulat 0 sampai 100.", extra={"field": key}
            )
        justification = (item.get("justification") or "").strip()
        if len(justification) < 10:
            raise BadInput(
                f"Tulis alasan nilai '{known[key]}' (paling sedikit 10 karakter).",
                extra={"field": f"{key}_note"},
            )
        if len(justification) > 2000:
            raise BadInput(
                f"Alasan nilai '{known[key]}' paling banyak 2.000 karakter.",
                extra={"field": f"{key}_note"},
            )
    existing = {s.criterion: s for s in await Score.filter(assignment_id=assignment.id)}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    async with in_transaction():
        for item in scores:
            key, value = item["criterion"], item["value"]
            justification = item["justification"].strip()
            old = existing.get(key)
            if old is not None and old.value == value and old.justification == justification:
                continue
            if old is None:
                await Score.create(assignment=assignment, criterion=key, value=value,
                                   justification=justification)  # fmt: skip
                before[key] = None
            else:
                before[key] = {"value": old.value, "justification": old.justification}
                old.value, old.justification = value, justification
                await old.save()
            after[key] = {"value": value, "justification": justification}
        if after:
            await audit.record(actor, "competition.score", "competition_assignment", assignment.id,
                               before=before, after=after)  # fmt: skip
    return list(await Score.filter(assignment_id=assignment.id))


async def declare_conflict(user: User, assignment_id: int, reason: str, actor: Actor) -> None:
    """The judge steps aside: the assignment and its scores leave the stage's results."""
    require_role(user, Role.JUDGE)
    assignment = await get_assignment(user, assignment_id)
    stage = await CompetitionStage.get(id=assignment.stage_id)
    if stage.state == StageState.CLOSED:
        raise Conflict("Tahap sudah ditutup; konflik kepentingan tidak dapat dinyatakan lagi.")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise BadInput("Tuliskan alasan konflik kepentingan (paling sedikit 5 karakter).",
                       extra={"field": "reason"})  # fmt: skip
    assignment.conflict_reason = reason[:1000]
    assignment.conflict_at = utcnow()
    await assignment.save()
    await audit.record(actor, "competition.conflict", "competition_assignment", assignment.id,
                       after={"reason": assignment.conflict_reason})  # fmt: skip


async def evidence_for(user: User, assignment_id: int, evidence_id: int) -> tuple[Evidence, bool]:
    """An evidence the entry attached, for the judge to open; (evidence, blind)."""
    require_role(user, Role.JUDGE)
    assignment = await get_assignment(user, assignment_id)
    await assignment.fetch_related("stage", "entry")
    if assignment.stage.state == StageState.WAITING or evidence_id not in assignment.entry.evidence:
        raise NotFound("Bukti tidak ditemukan.")
    evidence = await Evidence.get_or_none(id=evidence_id, is_current=True, deleted_at=None)
    if evidence is None:
        raise NotFound("Bukti tidak ditemukan.")
    return evidence, assignment.stage.blind
