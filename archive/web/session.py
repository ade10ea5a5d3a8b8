"""Session-cookie sign-in for the pages, and CSRF tokens for their forms."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Form, Request

from archive.errors import Forbidden
from archive.models import User


def sign_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session.update({"uid": user.id, "tv": user.token_version})


async def session_user(request: Request) -> User | None:
    """The signed-in user; a session from before a logout or password change is dead."""
    uid, version = request.session.get("uid"), request.session.get("tv")
    if not isinstance(uid, int):
        return None
    user = await User.get_or_none(id=uid)
    if user is None or not user.active or user.token_version != version:
        request.session.pop("uid", None)
        return None
    return user


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def verify_csrf(request: Request, csrf: str | None) -> None:
    """403 unless ``csrf`` is this session's token (for forms read without ``Form``)."""
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(expected.encode(), (csrf or "").encode()):
        raise Forbidden("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")


async def check_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    verify_csrf(request, csrf)


SessionUser = Annotated[User | None, Depends(session_user)]
CsrfChecked = Depends(check_csrf)
