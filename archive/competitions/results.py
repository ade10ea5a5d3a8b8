"""A stage's results from the database, through the pure ranking; who may read them; winners."""

from __future__ import annotations

from dataclasses import dataclass

from archive.competitions.access import RUNNERS, get_competition, get_stage, stages_of
from archive.competitions.ranking import Criterion, EntryResult, EntryScores, rank
from archive.errors import Forbidden
from archive.models import (
    Competition,
    CompetitionStage,
    Entry,
    JudgeAssignment,
    Role,
    Score,
    StageJudge,
    StageState,
    User,
)


@dataclass
class StageResults:
    stage: CompetitionStage
    results: list[EntryResult]
    entries: dict[int, Entry]  # with innovation and unit fetched
    judges: dict[str, str]  # username -> full name


async def stage_results(stage: CompetitionStage) -> StageResults:
    """Every entry of the stage with its judges' scores (conflicted assignments left out)."""
    criteria = [Criterion(c["key"], c["name"], int(c["weight"])) for c in stage.criteria]
    assignments = await JudgeAssignment.filter(
        stage_id=stage.id, conflict_at=None
    ).prefetch_related("judge")
    by_assignment: dict[int, dict[str, int]] = {}
    for score in await Score.filter(assignment__stage_id=stage.id):
        by_assignment.setdefault(score.assignment_id, {})[score.criterion] = score.value
    per_entry: dict[int, dict[str, dict[str, int]]] = {}
    judges: dict[str, str] = {}
    for assignment in assignments:
        judges[assignment.judge.username] = assignment.judge.full_name or assignment.judge.username
        per_entry.setdefault(assignment.entry_id, {})[assignment.judge.username] = (
            by_assignment.get(assignment.id, {})
        )
    # Entries whose every judge declared a conflict still appear, unscored.
    entry_ids = set(per_entry) | set(
        await JudgeAssignment.filter(stage_id=stage.id).values_list("entry_id", flat=True)
    )
    entries = {
        e.id: e
        for e in await Entry.filter(id__in=list(entry_ids)).prefetch_related("innovation__unit")
    }
    rows = [
        EntryScores(e.id, e.code, e.submitted_at, per_entry.get(e.id, {})) for e in entries.values()
    ]
    return StageResults(stage, rank(criteria, stage.passing_grade, rows), entries, judges)


async def may_read_results(user: User, competition: Competition, stage: CompetitionStage) -> bool:
    """Staff and verifiers always (figures are provisional while the stage is open); judges of
    the stage once it is closed; everyone who sees the competition once winners are announced."""
    if user.role in RUNNERS:
        return True
    if competition.published_at is not None:
        return True
    if user.role == Role.JUDGE and stage.state == StageState.CLOSED:
        return await StageJudge.exists(stage_id=stage.id, judge_id=user.id)
    return False


async def results_for(user: User, competition_id: int, position: int) -> StageResults:
    competition = await get_competition(user, competition_id)
    stage = await get_stage(competition, position)
    if not await may_read_results(user, competition, stage):
        raise Forbidden(
            "Hasil tahap ini belum dapat dilihat: juri melihatnya setelah tahap ditutup, "
            "peserta setelah pemenang diumumkan."
        )
    return await stage_results(stage)


@dataclass
class Winner:
    rank: int
    entry: Entry
    score: float


async def winners(competition: Competition) -> list[Winner]:
    """The best entries of the last stage that passed it, as many as the competition names."""
    stages = await stages_of(competition)
    if not stages:
        return []
    final = await stage_results(stages[-1])
    out: list[Winner] = []
    for result in final.results:
        if result.passed and result.rank is not None and len(out) < competition.winners:
            out.append(Winner(len(out) + 1, final.entries[result.entry_id], result.score or 0.0))
    return out


@dataclass
class Announcement:
    competition: Competition
    winners: list[Winner]


async def announced(limit: int = 5) -> list[Announcement]:
    """The newest competitions whose winners were announced, for the public catalogue."""
    competitions = (
        await Competition.filter(published_at__not_isnull=True)
        .order_by("-published_at")
        .limit(limit)
    )
    return [Announcement(c, await winners(c)) for c in competitions]


async def awards_of(innovation_id: int) -> list[tuple[Competition, int]]:
    """(competition, rank) of every announced win of one innovation."""
    out = []
    for announcement in await announced(limit=50):
        for winner in announcement.winners:
            if winner.entry.innovation_id == innovation_id:
                out.append((announcement.competition, winner.rank))
    return out
