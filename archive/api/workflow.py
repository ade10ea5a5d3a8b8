from typing import Annotated, Any

from fastapi import APIRouter, Body

from archive.api.deps import ActorDep, CurrentUser, OptionalUser
from archive.schemas.innovations import InnovationOut
from archive.schemas.workflow import Decision, DecisionOut, ReviewIn, ReviewOut, TransitionIn
from archive.services import innovations, reviews, workflow

router = APIRouter(prefix="/innovations/{innovation_id}", tags=["workflow"])

OptionalTransition = Annotated[TransitionIn | None, Body()]


async def _move(user, innovation_id: int, name: str, actor, body: TransitionIn | None):
    body = body or TransitionIn()
    innovation = await workflow.transition(
        user, innovation_id, name, actor, note=body.note, version=body.version
    )
    return await innovations.innovation_out(innovation)


@router.post("/submit")
async def submit(
    innovation_id: int, user: CurrentUser, actor: ActorDep, body: OptionalTransition = None
) -> InnovationOut:
    """Submit for verification; 409 lists the missing mandatory indicators and profile gaps."""
    return await _move(user, innovation_id, "submit", actor, body)


@router.post("/decision")
async def decide(
    innovation_id: int, body: Decision, user: CurrentUser, actor: ActorDep
) -> InnovationOut:
    step = TransitionIn(note=body.note, version=body.version)
    return await _move(user, innovation_id, body.decision, actor, step)


@router.post("/publish")
async def publish(
    innovation_id: int, user: CurrentUser, actor: ActorDep, body: OptionalTransition = None
) -> InnovationOut:
    return await _move(user, innovation_id, "publish", actor, body)


@router.post("/reopen")
async def reopen(
    innovation_id: int, user: CurrentUser, actor: ActorDep, body: OptionalTransition = None
) -> InnovationOut:
    """Staff reopen an innovation: back to draft, editable by its admin even after the deadline."""
    return await _move(user, innovation_id, "reopen", actor, body)


@router.post("/withdraw")
async def withdraw(
    innovation_id: int, body: TransitionIn, user: CurrentUser, actor: ActorDep
) -> InnovationOut:
    """Staff withdraw a decision with a reason (``note``): back to submitted, to decide again."""
    return await _move(user, innovation_id, "withdraw", actor, body)


@router.get("/decisions", response_model=list[DecisionOut])
async def decisions(innovation_id: int, user: CurrentUser) -> list[dict[str, Any]]:
    """The innovation's workflow history, oldest first: who, when, what, why."""
    return await workflow.history(user, innovation_id)


@router.post("/indicators/{code}/review", response_model=ReviewOut)
async def review(
    innovation_id: int, code: str, body: ReviewIn, user: CurrentUser, actor: ActorDep
) -> dict[str, Any]:
    saved = await reviews.review_indicator(
        user,
        innovation_id,
        code,
        verified_level=body.verified_level,
        verdict=body.verdict,
        note=body.note,
        version=body.version,
        actor=actor,
    )
    return await reviews.review_out(saved)


@router.get("/reviews", response_model=list[ReviewOut])
async def list_reviews(innovation_id: int, user: OptionalUser) -> list[dict[str, Any]]:
    return await reviews.list_reviews(user, innovation_id)
