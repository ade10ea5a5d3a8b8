from fastapi import APIRouter, Query

from archive.api.deps import ActorDep, CurrentUser, OptionalUser
from archive.models import InnovationStatus
from archive.permissions import Actions, allowed_actions
from archive.schemas.innovations import InnovationCreate, InnovationOut, InnovationUpdate
from archive.scoping import get_visible_innovation
from archive.services import innovations

router = APIRouter(prefix="/innovations", tags=["innovations"])


@router.get("")
async def list_innovations(
    user: OptionalUser,
    year: int | None = Query(default=None, ge=2000, le=2100),
    unit: str | None = Query(default=None, max_length=32),
    status: InnovationStatus | None = None,
) -> list[InnovationOut]:
    rows = await innovations.list_innovations(
        user, year=year, unit=unit, status=status.value if status else None
    )
    return [await innovations.innovation_out(row) for row in rows]


@router.post("", status_code=201)
async def create_innovation(
    body: InnovationCreate, user: CurrentUser, actor: ActorDep
) -> InnovationOut:
    return await innovations.innovation_out(await innovations.create_innovation(user, body, actor))


@router.get("/{innovation_id}")
async def get_innovation(innovation_id: int, user: OptionalUser) -> InnovationOut:
    return await innovations.innovation_out(await get_visible_innovation(user, innovation_id))


@router.patch("/{innovation_id}")
async def update_innovation(
    innovation_id: int, body: InnovationUpdate, user: CurrentUser, actor: ActorDep
) -> InnovationOut:
    return await innovations.innovation_out(
        await innovations.update_innovation(user, innovation_id, body, actor)
    )


@router.get("/{innovation_id}/actions")
async def innovation_actions(innovation_id: int, user: OptionalUser) -> Actions:
    """What the caller may do with this innovation now (the pages offer exactly these)."""
    innovation = await get_visible_innovation(user, innovation_id)
    return await allowed_actions(user, innovation)
