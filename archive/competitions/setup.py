"""Staff set a competition up and move it along: stages, criteria, panels, open, close, publish."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.competitions.access import any_stage_started, get_competition, get_stage, stages_of
from archive.competitions.templates import TEMPLATES
from archive.errors import BadInput, Conflict
from archive.models import (
    Competition,
    CompetitionStage,
    Entry,
    EntryStatus,
    InnovationStatus,
    JudgeAssignment,
    Role,
    Score,
    StageJudge,
    StageState,
    User,
)
from archive.schemas.competitions import (
    CompetitionIn,
    CompetitionPatch,
    CriterionIn,
    SectionIn,
    StageIn,
    StagePatch,
)
from archive.scoping import require_role
from archive.timeutil import jsonable, utcnow

ELIGIBLE = {s.value for s in InnovationStatus}


def check_criteria(criteria: list[CriterionIn]) -> list[dict[str, Any]]:
    """Criteria as stored; weights must be whole percents summing to 100, keys unique."""
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise BadInput("Kode kriteria tidak boleh sama.", extra={"field": "criteria"})
    total = sum(c.weight for c in criteria)
    if total != 100:
        raise BadInput(
            f"Jumlah bobot kriteria harus 100%, sekarang {total}%.", extra={"field": "criteria"}
        )
    return [{"key": c.key, "name": c.name, "weight": c.weight} for c in criteria]


def check_sections(sections: list[SectionIn]) -> list[dict[str, Any]]:
    keys = [s.key for s in sections]
    if len(set(keys)) != len(keys):
        raise BadInput("Kode bagian proposal tidak boleh sama.", extra={"field": "sections"})
    return [{"key": s.key, "title": s.title, "word_limit": s.word_limit} for s in sections]


def check_eligible(eligible: list[str]) -> list[str]:
    unknown = [s for s in eligible if s not in ELIGIBLE]
    if unknown or not eligible:
        raise BadInput(
            "Pilih status inovasi yang boleh ikut (misalnya terverifikasi).",
            extra={"field": "eligible"},
        )
    return sorted(set(eligible))


async def create(user: User, data: CompetitionIn, actor: Actor) -> Competition:
    """A new competition, its stages taken from the template unless given."""
    require_role(user, Role.STAFF)
    template = TEMPLATES.get(data.template or "") if data.template else None
    if data.template and template is None:
        raise BadInput("Templat lomba tidak dikenal.", extra={"field": "template"})
    if data.stages is not None:
        stages = [s.model_dump() for s in data.stages]
    elif template:
        stages = [StageIn.model_validate(s).model_dump() for s in template["stages"]]
    else:
        raise BadInput("Tentukan paling sedikit satu tahap penilaian.", extra={"field": "stages"})
    for stage in stages:
        stage["criteria"] = check_criteria(
            [CriterionIn.model_validate(c) for c in stage["criteria"]]
        )
    if data.sections is not None:
        sections = check_sections(data.sections)
    else:
        sections = [dict(s) for s in (template or {}).get("sections", [])]
    eligible = check_eligible(
        data.eligible
        if data.eligible is not None
        else (template or {}).get("eligible", ["verified"])
    )
    async with in_transaction():
        competition = await Competition.create(
            name=data.name, year=data.year, template=data.template or "",
            description=data.description, eligible=eligible, sections=sections,
            entry_deadline=data.entry_deadline, winners=data.winners, created_by=user,
        )  # fmt: skip
        for position, stage in enumerate(stages, start=1):
            await CompetitionStage.create(competition=competition, position=position, **stage)
        await audit.record(
            actor, "competition.create", "competition", competition.id,
            after={"name": data.name, "year": data.year, "template": data.template or "",
                   "stages": [s["name"] for s in stages]},
        )  # fmt: skip
    return competition


async def update(
    user: User, competition_id: int, patch: CompetitionPatch, actor: Actor
) -> Competition:
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    changes = patch.model_dump(exclude_unset=True)
    if "sections" in changes and await any_stage_started(competition):
        raise Conflict("Bagian proposal tidak dapat diubah setelah penilaian dimulai.")
    if patch.sections is not None:
        changes["sections"] = check_sections(patch.sections)
    if patch.eligible is not None:
        changes["eligible"] = check_eligible(patch.eligible)
    before = {k: jsonable(getattr(competition, k)) for k in changes}
    for key, value in changes.items():
        setattr(competition, key, value)
    await competition.save()
    old, new = audit.changes(before, {k: jsonable(v) for k, v in changes.items()})
    if new:
        await audit.record(
            actor, "competition.update", "competition", competition.id, before=old, after=new
        )
    return competition


async def update_stage(
    user: User, competition_id: int, position: int, patch: StagePatch, actor: Actor
) -> CompetitionStage:
    """Change a stage that has not opened yet (its criteria are frozen from then on)."""
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    stage = await get_stage(competition, position)
    if stage.state != StageState.WAITING:
        raise Conflict("Tahap yang sudah dibuka tidak dapat diubah.")
    changes = patch.model_dump(exclude_unset=True)
    if patch.criteria is not None:
        changes["criteria"] = check_criteria(patch.criteria)
    before = {k: jsonable(getattr(stage, k)) for k in changes}
    for key, value in changes.items():
        setattr(stage, key, value)
    await stage.save()
    old, new = audit.changes(before, {k: jsonable(v) for k, v in changes.items()})
    if new:
        await audit.record(
            actor, "competition.stage", "competition_stage", stage.id, before=old, after=new
        )
    return stage


async def panel(stage: CompetitionStage) -> list[User]:
    return [j.judge for j in await StageJudge.filter(stage_id=stage.id).prefetch_related("judge")]


async def set_judges(
    user: User, competition_id: int, position: int, usernames: list[str], actor: Actor
) -> CompetitionStage:
    """The stage's panel; on an open stage new judges get every entry at once."""
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    stage = await get_stage(competition, position)
    if stage.state == StageState.CLOSED:
        raise Conflict("Tahap sudah ditutup; juri tidak dapat diubah.")
    wanted = list(dict.fromkeys(u.strip().lower() for u in usernames if u.strip()))
    judges = await User.filter(username__in=wanted, role=Role.JUDGE, active=True)
    missing = sorted(set(wanted) - {j.username for j in judges})
    if missing:
        raise BadInput(
            f"Bukan akun juri yang aktif: {', '.join(missing)}.", extra={"field": "judges"}
        )
    current = {j.judge_id: j for j in await StageJudge.filter(stage_id=stage.id)}
    keep = {j.id for j in judges}
    async with in_transaction():
        for judge_id, row in current.items():
            if judge_id in keep:
                continue
            if await Score.filter(
                assignment__stage_id=stage.id, assignment__judge_id=judge_id
            ).exists():
                name = (await User.get(id=judge_id)).username
                raise Conflict(
                    f"Juri {name} sudah memberi nilai dan tidak dapat dilepas dari tahap ini."
                )
            await JudgeAssignment.filter(stage_id=stage.id, judge_id=judge_id).delete()
            await row.delete()
        for judge in judges:
            if judge.id not in current:
                await StageJudge.create(stage=stage, judge=judge)
        if stage.state == StageState.OPEN:
            await _assign(stage)
        await audit.record(
            actor, "competition.judges", "competition_stage", stage.id,
            before={"judges": sorted(u.username for u in await User.filter(id__in=list(current)))},
            after={"judges": sorted(j.username for j in judges)},
        )  # fmt: skip
    return stage


async def entries_for_stage(stage: CompetitionStage) -> list[Entry]:
    """Stage 1 takes every submitted entry; a later stage those that passed the one before."""
    if stage.position == 1:
        return list(
            await Entry.filter(competition_id=stage.competition_id, status=EntryStatus.SUBMITTED)
        )
    from archive.competitions.results import stage_results

    previous = await CompetitionStage.get(
        competition_id=stage.competition_id, position=stage.position - 1
    )
    passed = [r.entry_id for r in (await stage_results(previous)).results if r.passed]
    return list(await Entry.filter(id__in=passed))


async def _assign(stage: CompetitionStage) -> int:
    """Create the missing (judge, entry) assignments of an open stage; returns how many."""
    entries = await entries_for_stage(stage)
    judges = await StageJudge.filter(stage_id=stage.id).values_list("judge_id", flat=True)
    existing = set(
        await JudgeAssignment.filter(stage_id=stage.id).values_list("judge_id", "entry_id")
    )
    created = 0
    for judge_id in judges:
        for entry in entries:
            if (judge_id, entry.id) not in existing:
                await JudgeAssignment.create(stage=stage, judge_id=judge_id, entry=entry)
                created += 1
    return created


async def open_stage(
    user: User, competition_id: int, position: int, actor: Actor
) -> CompetitionStage:
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    stage = await get_stage(competition, position)
    if stage.state != StageState.WAITING:
        raise Conflict("Tahap ini sudah pernah dibuka.")
    if position > 1:
        previous = await get_stage(competition, position - 1)
        if previous.state != StageState.CLOSED:
            raise Conflict(f"Tutup dulu tahap {position - 1} ({previous.name}).")
    if not await StageJudge.filter(stage_id=stage.id).exists():
        raise Conflict("Tetapkan juri tahap ini sebelum membukanya.")
    if not await entries_for_stage(stage):
        raise Conflict(
            "Belum ada peserta untuk tahap ini."
            if position == 1
            else "Tidak ada peserta yang lolos tahap sebelumnya."
        )
    async with in_transaction():
        stage.state = StageState.OPEN
        stage.opened_at = utcnow()
        await stage.save()
        created = await _assign(stage)
        await audit.record(
            actor, "competition.open", "competition_stage", stage.id,
            after={"stage": stage.name, "assignments": created},
        )  # fmt: skip
    return stage


async def close_stage(
    user: User, competition_id: int, position: int, actor: Actor
) -> CompetitionStage:
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    stage = await get_stage(competition, position)
    if stage.state != StageState.OPEN:
        raise Conflict("Hanya tahap yang sedang dibuka yang dapat ditutup.")
    stage.state = StageState.CLOSED
    stage.closed_at = utcnow()
    await stage.save()
    await audit.record(
        actor, "competition.close", "competition_stage", stage.id, after={"stage": stage.name}
    )
    return stage


async def publish(user: User, competition_id: int, actor: Actor) -> Competition:
    """Announce the winners: every stage closed; they appear in the public catalogue."""
    require_role(user, Role.STAFF)
    competition = await get_competition(user, competition_id)
    stages = await stages_of(competition)
    if any(s.state != StageState.CLOSED for s in stages):
        raise Conflict("Semua tahap harus ditutup sebelum pemenang diumumkan.")
    if competition.published_at is not None:
        raise Conflict("Pemenang lomba ini sudah diumumkan.")
    competition.published_at = utcnow()
    await competition.save()
    await audit.record(actor, "competition.publish", "competition", competition.id)
    return competition
