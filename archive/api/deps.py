"""The API's dependencies: who calls (by bearer token); the shared ones come from archive.deps."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from archive.audit import Actor
from archive.deps import (
    SearchDep,
    SettingsDep,
    SignerDep,
    StoreDep,
    ThrottleDep,
    client_ip,
    get_settings,
    get_store,
)
from archive.errors import NotAuthenticated, PasswordChangeRequired
from archive.models import Role, User
from archive.scoping import require_role
from archive.security import TokenSigner

__all__ = [
    "ActorDep", "CurrentUser", "OptionalUser", "SearchDep", "SettingsDep", "SignerDep",
    "StaffUser", "StoreDep", "ThrottleDep", "UserAnyState", "client_ip", "get_settings",
    "get_store",
]  # fmt: skip

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

INVALID_TOKEN = "Sesi tidak berlaku atau telah berakhir. Silakan masuk kembali."


async def user_from_token(signer: TokenSigner, token: str) -> User:
    claims = signer.read(token)
    if claims is None:
        raise NotAuthenticated(INVALID_TOKEN)
    user = await User.get_or_none(id=claims.user_id)
    if user is None or not user.active or user.token_version != claims.token_version:
        raise NotAuthenticated(INVALID_TOKEN)
    return user


async def _optional_user(
    signer: SignerDep, token: Annotated[str | None, Depends(oauth2)]
) -> User | None:
    """The caller, None when anonymous; a token that is sent but invalid is a 401."""
    if not token:
        return None
    return await user_from_token(signer, token)


async def _user_any_state(user: Annotated[User | None, Depends(_optional_user)]) -> User:
    if user is None:
        raise NotAuthenticated("Silakan masuk terlebih dahulu.")
    return user


async def _user(user: Annotated[User, Depends(_user_any_state)]) -> User:
    if user.must_change_password:
        raise PasswordChangeRequired(
            "Anda harus mengganti kata sandi sebelum melanjutkan (POST /api/auth/password)."
        )
    return user


async def _optional_ready_user(
    user: Annotated[User | None, Depends(_optional_user)],
) -> User | None:
    if user is not None and user.must_change_password:
        return await _user(user)
    return user


password_state_checked = _optional_ready_user


async def _staff(user: Annotated[User, Depends(_user)]) -> User:
    require_role(user, Role.STAFF)
    return user


def _actor(request: Request, user: Annotated[User | None, Depends(_optional_user)]) -> Actor:
    return Actor(username=user.username if user else None, ip=client_ip(request))


# The caller, whether or not they still must change a printed password.
UserAnyState = Annotated[User, Depends(_user_any_state)]
# A logged-in caller ready to work.
CurrentUser = Annotated[User, Depends(_user)]
# Logged in or anonymous.
OptionalUser = Annotated[User | None, Depends(_optional_ready_user)]
StaffUser = Annotated[User, Depends(_staff)]
ActorDep = Annotated[Actor, Depends(_actor)]
