from typing import Any

from fastapi import APIRouter, Response

from archive.api.deps import ActorDep, CurrentUser
from archive.errors import NotFound
from archive.schemas.workflow import (
    CommentIn,
    CommentOut,
    InnovatorOut,
    InviteIn,
    InviteOut,
    NotificationOut,
)
from archive.services import collaboration, notifications

router = APIRouter(tags=["collaboration"])


@router.post("/innovations/{innovation_id}/innovators", status_code=201, response_model=InviteOut)
async def invite(
    innovation_id: int, body: InviteIn, user: CurrentUser, actor: ActorDep
) -> dict[str, Any]:
    """Invite an innovator; a new account comes with a one-time link to set its password."""
    return await collaboration.invite(user, innovation_id, body.username, body.full_name, actor)


@router.get("/innovations/{innovation_id}/innovators", response_model=list[InnovatorOut])
async def list_innovators(innovation_id: int, user: CurrentUser) -> list[dict[str, Any]]:
    return await collaboration.innovators(user, innovation_id)


@router.delete("/innovations/{innovation_id}/innovators/{username}", status_code=204)
async def remove(innovation_id: int, username: str, user: CurrentUser, actor: ActorDep) -> Response:
    await collaboration.remove(user, innovation_id, username, actor)
    return Response(status_code=204)


@router.post("/innovations/{innovation_id}/comments", status_code=201, response_model=CommentOut)
async def comment(
    innovation_id: int, body: CommentIn, user: CurrentUser, actor: ActorDep
) -> dict[str, Any]:
    saved = await collaboration.add_comment(user, innovation_id, body.body, body.indicator, actor)
    return collaboration.comment_out(saved)


@router.get("/innovations/{innovation_id}/comments", response_model=list[CommentOut])
async def comments(
    innovation_id: int, user: CurrentUser, indicator: str | None = None
) -> list[dict[str, Any]]:
    return await collaboration.comments(user, innovation_id, indicator)


@router.get("/notifications")
async def my_notifications(user: CurrentUser, unread: bool = False) -> list[NotificationOut]:
    rows = await notifications.for_user(user, unread_only=unread)
    return [
        NotificationOut(
            id=n.id,
            kind=n.kind,
            message=n.message,
            innovation_id=n.innovation_id,  # type: ignore[attr-defined]
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


@router.post("/notifications/{notification_id}/read", status_code=204)
async def read(notification_id: int, user: CurrentUser) -> Response:
    if not await notifications.mark_read(user, notification_id):
        raise NotFound("Notifikasi tidak ditemukan atau sudah dibaca.")
    return Response(status_code=204)
