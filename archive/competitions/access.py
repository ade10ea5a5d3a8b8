"""Who sees which competition, and the lookups every other module starts from."""

from __future__ import annotations

from archive import runtime
from archive.errors import Conflict, NotFound
from archive.models import (
    Competition,
    CompetitionStage,
    JudgeAssignment,
    Role,
    StageJudge,
    StageState,
    User,
)
from archive.timeutil import deadline_end, utcnow

# Staff run competitions; verifiers follow them. Everyone else sees what concerns them.
RUNNERS = {Role.STAFF, Role.VERIFIER}
ENTRANTS = {Role.ADMIN, Role.INNOVATOR}


async def visible_competitions(user: User) -> list[Competition]:
    """Staff, verifiers, admins and innovators (who may enter): all; judges: their panels."""
    if user.role == Role.JUDGE:
        ids = await StageJudge.filter(judge_id=user.id).values_list(
            "stage__competition_id", flat=True
        )
        return await Competition.filter(id__in=list(set(ids))).prefetch_related("stages")
    if user.role in RUNNERS or user.role in ENTRANTS:
        return await Competition.all().prefetch_related("stages")
    return []


async def get_competition(user: User, competition_id: int) -> Competition:
    """The competition if the caller may see it; 404 otherwise."""
    for competition in await visible_competitions(user):
        if competition.id == competition_id:
            return competition
    raise NotFound("Lomba tidak ditemukan.")


async def stages_of(competition: Competition) -> list[CompetitionStage]:
    return list(await CompetitionStage.filter(competition_id=competition.id).order_by("position"))


async def get_stage(competition: Competition, position: int) -> CompetitionStage:
    stage = await CompetitionStage.get_or_none(competition_id=competition.id, position=position)
    if stage is None:
        raise NotFound("Tahap lomba tidak ditemukan.")
    return stage


async def any_stage_started(competition: Competition) -> bool:
    return await CompetitionStage.filter(
        competition_id=competition.id, state__in=[StageState.OPEN, StageState.CLOSED]
    ).exists()


async def ensure_entries_open(competition: Competition) -> None:
    """Entries change only before the first stage opens and before the entry deadline."""
    if await any_stage_started(competition):
        raise Conflict("Penilaian sudah dimulai; pendaftaran dan proposal tidak dapat diubah lagi.")
    deadline = competition.entry_deadline
    if deadline and utcnow() > deadline_end(deadline, runtime.timezone):
        raise Conflict(
            f"Batas pendaftaran {deadline:%d-%m-%Y} sudah lewat; "
            "hubungi staf bila perlu diperpanjang."
        )


async def get_assignment(user: User, assignment_id: int) -> JudgeAssignment:
    """A judge's own assignment, not withdrawn by a conflict; 404 for anything else."""
    assignment = await JudgeAssignment.get_or_none(id=assignment_id, judge_id=user.id)
    if assignment is None or assignment.conflict_at is not None:
        raise NotFound("Penugasan penilaian tidak ditemukan.")
    return assignment
