"""Competitions, entries and judging over JSON (``/api/competitions``, ``/api/entries``,
``/api/judging``): thin routes over ``archive.competitions``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from archive.api.deps import ActorDep, CurrentUser
from archive.competitions import entries, judging, recap, results, setup
from archive.competitions.access import RUNNERS, get_competition, stages_of, visible_competitions
from archive.competitions.ranking import TIE_RULE
from archive.deps import StoreDep
from archive.downloads import evidence_file
from archive.exports import attachment
from archive.models import Competition, CompetitionStage, Entry, StageJudge
from archive.schemas.competitions import (
    AssignmentOut,
    CompetitionIn,
    CompetitionOut,
    CompetitionPatch,
    ConflictIn,
    EntryIn,
    EntryOut,
    EntryPatch,
    JudgeResultOut,
    JudgesIn,
    JudgeViewOut,
    ResultOut,
    ResultsOut,
    ScoresIn,
    StageOut,
    StagePatch,
)

router = APIRouter(tags=["competitions"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Position = Annotated[int, Path(ge=1, le=20)]


async def stage_out(stage: CompetitionStage) -> StageOut:
    usernames: list[str] = await StageJudge.filter(stage_id=stage.id).values_list(
        "judge__username", flat=True
    )  # type: ignore[assignment]
    return StageOut(
        position=stage.position, name=stage.name, kind=str(stage.kind), blind=stage.blind,
        passing_grade=stage.passing_grade, criteria=stage.criteria, deadline=stage.deadline,
        state=str(stage.state), judges=sorted(usernames),
    )  # fmt: skip


async def competition_out(competition: Competition) -> CompetitionOut:
    return CompetitionOut(
        id=competition.id, name=competition.name, year=competition.year,
        template=competition.template, description=competition.description,
        eligible=competition.eligible, sections=competition.sections,
        entry_deadline=competition.entry_deadline, winners=competition.winners,
        published=competition.published_at is not None,
        stages=[await stage_out(s) for s in await stages_of(competition)],
    )  # fmt: skip


async def entry_out(entry: Entry) -> EntryOut:
    await entry.fetch_related("innovation__unit", "competition")
    return EntryOut(
        id=entry.id, competition_id=entry.competition_id, innovation_id=entry.innovation_id,
        innovation=entry.innovation.name, unit=entry.innovation.unit.code, code=entry.code,
        status=str(entry.status), sections=entry.sections,
        words=entries.word_counts(entry.competition, entry), evidence=entry.evidence,
        submitted_at=entry.submitted_at,
    )  # fmt: skip


# -- competitions ----------------------------------------------------------------------


@router.get("/competitions")
async def list_competitions(user: CurrentUser) -> list[CompetitionOut]:
    return [await competition_out(c) for c in await visible_competitions(user)]


@router.post("/competitions", status_code=201)
async def create_competition(
    body: CompetitionIn, user: CurrentUser, actor: ActorDep
) -> CompetitionOut:
    """Staff: a competition from a template (``kipp``, ``iga``) or with its own stages."""
    return await competition_out(await setup.create(user, body, actor))


@router.get("/competitions/{competition_id}")
async def read_competition(competition_id: Id, user: CurrentUser) -> CompetitionOut:
    return await competition_out(await get_competition(user, competition_id))


@router.patch("/competitions/{competition_id}")
async def update_competition(
    competition_id: Id, body: CompetitionPatch, user: CurrentUser, actor: ActorDep
) -> CompetitionOut:
    return await competition_out(await setup.update(user, competition_id, body, actor))


@router.patch("/competitions/{competition_id}/stages/{position}")
async def update_stage(
    competition_id: Id, position: Position, body: StagePatch, user: CurrentUser, actor: ActorDep
) -> StageOut:
    """Staff change a stage before it opens; criteria weights must sum to 100."""
    return await stage_out(await setup.update_stage(user, competition_id, position, body, actor))


@router.put("/competitions/{competition_id}/stages/{position}/judges")
async def set_judges(
    competition_id: Id, position: Position, body: JudgesIn, user: CurrentUser, actor: ActorDep
) -> StageOut:
    """The stage's panel (usernames of judge accounts)."""
    return await stage_out(
        await setup.set_judges(user, competition_id, position, body.judges, actor)
    )


@router.post("/competitions/{competition_id}/stages/{position}/open")
async def open_stage(
    competition_id: Id, position: Position, user: CurrentUser, actor: ActorDep
) -> StageOut:
    """Freeze the stage's entries and criteria and give every panel judge every entry."""
    return await stage_out(await setup.open_stage(user, competition_id, position, actor))


@router.post("/competitions/{competition_id}/stages/{position}/close")
async def close_stage(
    competition_id: Id, position: Position, user: CurrentUser, actor: ActorDep
) -> StageOut:
    return await stage_out(await setup.close_stage(user, competition_id, position, actor))


@router.get("/competitions/{competition_id}/stages/{position}/results")
async def stage_results(competition_id: Id, position: Position, user: CurrentUser) -> ResultsOut:
    """Each entry's weighted score per judge, mean, spread, rank and pass, best first."""
    found = await results.results_for(user, competition_id, position)
    # Judges read codes only until the winners are announced: a judge of a later blind stage
    # must not learn from this one who is behind a code.
    competition = await get_competition(user, competition_id)
    named = user.role in RUNNERS or competition.published_at is not None
    rows: list[ResultOut] = []
    for r in found.results:
        entry = found.entries[r.entry_id]
        rows.append(ResultOut(
            entry_id=r.entry_id, code=r.code,
            innovation=entry.innovation.name if named else None,
            unit=entry.innovation.unit.code if named else None, score=r.score, stdev=r.stdev,
            spread=r.spread, rank=r.rank, passed=r.passed,
            judges=[JudgeResultOut(**j.__dict__) for j in r.judges],
            criteria_means=r.criteria_means,
        ))  # fmt: skip
    return ResultsOut(
        stage=await stage_out(found.stage), final=str(found.stage.state) == "closed",
        tie_rule=TIE_RULE, results=rows,
    )  # fmt: skip


@router.get("/competitions/{competition_id}/results.{fmt}", response_class=Response)
async def recap_file(competition_id: Id, fmt: str, user: CurrentUser) -> Response:
    """The recap of every stage: ``xlsx`` or ``pdf`` (staff and verifiers)."""
    competition = await get_competition(user, competition_id)
    return attachment(*await recap.recap_file(user, competition, fmt))


@router.post("/competitions/{competition_id}/publish")
async def publish(competition_id: Id, user: CurrentUser, actor: ActorDep) -> CompetitionOut:
    """Announce the winners (every stage closed): they appear in the public catalogue."""
    return await competition_out(await setup.publish(user, competition_id, actor))


# -- entries ---------------------------------------------------------------------------


@router.get("/competitions/{competition_id}/entries")
async def list_entries(competition_id: Id, user: CurrentUser) -> list[EntryOut]:
    return [await entry_out(e) for e in await entries.list_entries(user, competition_id)]


@router.post("/competitions/{competition_id}/entries", status_code=201)
async def create_entry(
    competition_id: Id, body: EntryIn, user: CurrentUser, actor: ActorDep
) -> EntryOut:
    """Enter an innovation (admin of its unit, an invited innovator, staff)."""
    return await entry_out(await entries.create(user, competition_id, body.innovation, actor))


@router.get("/entries/{entry_id}")
async def read_entry(entry_id: Id, user: CurrentUser) -> EntryOut:
    return await entry_out(await entries.get_entry(user, entry_id))


@router.patch("/entries/{entry_id}")
async def update_entry(
    entry_id: Id, body: EntryPatch, user: CurrentUser, actor: ActorDep
) -> EntryOut:
    """Sections (``{key: text}``) and attached evidence ids; drafts may exceed word limits."""
    entry = await entries.update(
        user, entry_id, actor, sections=body.sections, evidence=body.evidence
    )
    return await entry_out(entry)


@router.post("/entries/{entry_id}/fill-from-profile")
async def fill_entry(entry_id: Id, user: CurrentUser, actor: ActorDep) -> EntryOut:
    """Fill the empty sections from the innovation's profile (design, goals, benefits, results)."""
    await entries.fill_from_profile(user, entry_id, actor)
    return await entry_out(await entries.get_entry(user, entry_id))


@router.post("/entries/{entry_id}/submit")
async def submit_entry(entry_id: Id, user: CurrentUser, actor: ActorDep) -> EntryOut:
    """409 lists the sections empty or over their word limit."""
    return await entry_out(await entries.submit(user, entry_id, actor))


@router.post("/entries/{entry_id}/withdraw")
async def withdraw_entry(entry_id: Id, user: CurrentUser, actor: ActorDep) -> EntryOut:
    return await entry_out(await entries.withdraw(user, entry_id, actor))


# -- judging ---------------------------------------------------------------------------


def _view_out(view: judging.JudgeView) -> JudgeViewOut:
    return JudgeViewOut.model_validate({
        "assignment_id": view.assignment.id, "competition": view.competition.name,
        "stage": view.stage.position, "stage_name": view.stage.name, "blind": view.blind,
        "code": view.entry.code, "innovation": view.title, "unit": view.unit,
        "sections": view.sections, "profile": view.profile, "evidence": view.evidence,
        "criteria": view.stage.criteria, "scores": view.scores, "editable": view.editable,
    })  # fmt: skip


@router.get("/judging")
async def my_assignments(user: CurrentUser) -> list[AssignmentOut]:
    """A judge's assignments with progress (criteria scored of all)."""
    out = []
    for a in await judging.assignments_of(user):
        done, total = judging.progress(a, a.stage)
        out.append(AssignmentOut(
            assignment_id=a.id, competition_id=a.stage.competition_id,
            competition=a.stage.competition.name, stage=a.stage.position,
            stage_name=a.stage.name, state=str(a.stage.state), code=a.entry.code,
            scored=done, criteria=total,
        ))  # fmt: skip
    return out


@router.get("/judging/{assignment_id}")
async def read_assignment(assignment_id: Id, user: CurrentUser) -> JudgeViewOut:
    """The entry as the judge may see it (blind stages hide the unit) and their own scores."""
    return _view_out(await judging.view(user, assignment_id))


@router.put("/judging/{assignment_id}/scores")
async def save_scores(
    assignment_id: Id, body: ScoresIn, user: CurrentUser, actor: ActorDep
) -> JudgeViewOut:
    await judging.save_scores(user, assignment_id, [s.model_dump() for s in body.scores], actor)
    return _view_out(await judging.view(user, assignment_id))


@router.post("/judging/{assignment_id}/conflict", status_code=204)
async def declare_conflict(
    assignment_id: Id, body: ConflictIn, user: CurrentUser, actor: ActorDep
) -> Response:
    """The judge steps aside from this entry; the assignment leaves their list and the results."""
    await judging.declare_conflict(user, assignment_id, body.reason, actor)
    return Response(status_code=204)


@router.get("/judging/{assignment_id}/evidence/{evidence_id}/file", response_class=FileResponse)
async def evidence_download(
    assignment_id: Id, evidence_id: Id, request: Request, user: CurrentUser, actor: ActorDep,
    store: StoreDep,
) -> FileResponse:  # fmt: skip
    """A file the entry attached; on a blind stage it is named by its indicator only."""
    evidence, blind = await judging.evidence_for(user, assignment_id, evidence_id)
    name = f"bukti-{evidence.indicator}-{evidence.id}" if blind else None
    return await evidence_file(evidence, request, store, actor, filename=name)
