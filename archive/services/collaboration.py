"""Sharing the load: innovators invited to one innovation, and comment threads."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden, NotFound
from archive.models import Assignment, Comment, Innovation, Role, User
from archive.scoping import can_edit_innovation, get_visible_innovation
from archive.security import hash_password
from archive.services import accounts, notifications
from archive.services.rules import rulepack_for_year

INVITE_TTL = timedelta(days=7)


async def _owned(user: User, innovation_id: int) -> Innovation:
    """The innovation if the caller is its unit's admin, or staff."""
    innovation = await get_visible_innovation(user, innovation_id)
    own_admin = user.role == Role.ADMIN and user.unit_id == innovation.unit_id
    if not (own_admin or user.role == Role.STAFF):
        raise Forbidden("Hanya admin unit pemilik atau staf yang mengundang inovator.")
    return innovation


async def invite(
    user: User, innovation_id: int, username: str, full_name: str, actor: Actor
) -> dict[str, Any]:
    """Give an innovator one innovation; a new account gets a one-time link to set a password."""
    innovation = await _owned(user, innovation_id)
    invitee = await User.get_or_none(username=username)
    link_token = None
    if invitee is None:
        invitee = await User.create(
            username=username,
            full_name=full_name,
            role=Role.INNOVATOR,
            password_hash=hash_password(secrets.token_urlsafe(32)),
            must_change_password=True,
        )
        await audit.record(actor, "create", "user", username, after={"role": "innovator"})
        _, link_token, _ = await accounts.issue_reset(username, actor, INVITE_TTL)
    elif invitee.role != Role.INNOVATOR:
        raise Conflict(f"Akun '{username}' berperan {invitee.role}, bukan inovator.")
    if await Assignment.exists(user_id=invitee.id, innovation_id=innovation.id):
        raise Conflict(f"'{username}' sudah diundang ke inovasi ini.")
    await Assignment.create(user=invitee, innovation=innovation)
    await audit.record(actor, "invite", "innovation", innovation.id, after={"innovator": username})
    message = f"Anda diundang ke inovasi '{innovation.name}'."
    await notifications.notify([invitee], "invited", message, innovation)
    return {"username": invitee.username, "full_name": invitee.full_name, "reset_token": link_token}


async def remove(user: User, innovation_id: int, username: str, actor: Actor) -> None:
    innovation = await _owned(user, innovation_id)
    invitee = await User.get_or_none(username=username)
    removed = (
        invitee
        and await Assignment.filter(user_id=invitee.id, innovation_id=innovation.id).delete()
    )
    if not removed:
        raise NotFound(f"'{username}' tidak diundang ke inovasi ini.")
    await audit.record(
        actor, "uninvite", "innovation", innovation.id, before={"innovator": username}
    )


async def innovators(user: User, innovation_id: int) -> list[dict[str, Any]]:
    innovation = await get_visible_innovation(user, innovation_id)
    rows = await Assignment.filter(innovation_id=innovation.id).prefetch_related("user")
    return [
        {"username": a.user.username, "full_name": a.user.full_name, "role": str(a.user.role)}
        for a in rows
    ]


async def _may_discuss(user: User, innovation: Innovation) -> bool:
    """The people working on it: its admin, invited innovators, verifiers and staff."""
    if user.role in (Role.STAFF, Role.VERIFIER):
        return True
    return await can_edit_innovation(user, innovation)


async def add_comment(
    user: User, innovation_id: int, body: str, indicator: str | None, actor: Actor
) -> Comment:
    innovation = await get_visible_innovation(user, innovation_id)
    if not await _may_discuss(user, innovation):
        raise Forbidden("Anda tidak ikut menangani inovasi ini.")
    if indicator is not None:
        pack = await rulepack_for_year(innovation.year)
        if indicator not in {i.code for i in pack.indicators}:
            raise BadInput(f"Kode indikator '{indicator}' tidak dikenal dalam {pack.id}.")
    comment = await Comment.create(
        innovation=innovation, indicator=indicator, author=user, body=body
    )
    await audit.record(
        actor,
        "comment",
        "innovation",
        innovation.id,
        after={"indicator": indicator, "comment": comment.id},
    )
    return comment


async def comments(
    user: User, innovation_id: int, indicator: str | None = None
) -> list[dict[str, Any]]:
    innovation = await get_visible_innovation(user, innovation_id)
    if not await _may_discuss(user, innovation):
        raise Forbidden("Anda tidak ikut menangani inovasi ini.")
    query = Comment.filter(innovation_id=innovation.id)
    if indicator:
        query = query.filter(indicator=indicator)
    rows = await query.order_by("id").prefetch_related("author")
    return [comment_out(c) for c in rows]


def comment_out(comment: Comment) -> dict[str, Any]:
    author = comment.author if isinstance(comment.author, User) else None
    return {
        "id": comment.id,
        "indicator": comment.indicator,
        "body": comment.body,
        "author": author.username if author else None,
        "created_at": comment.created_at,
    }
