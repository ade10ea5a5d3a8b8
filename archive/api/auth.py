from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from archive import links
from archive.api.deps import (
    ActorDep,
    SettingsDep,
    SignerDep,
    StaffUser,
    ThrottleDep,
    UserAnyState,
    client_ip,
)
from archive.schemas.auth import PasswordChange, PasswordReset, Token
from archive.schemas.users import ResetLink, UserOut
from archive.services import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    signer: SignerDep,
    throttle: ThrottleDep,
) -> Token:
    user = await accounts.authenticate(throttle, form.username, form.password, client_ip(request))
    return Token(access_token=signer.issue(user.id, user.token_version))


@router.post("/logout", status_code=204)
async def logout(user: UserAnyState, actor: ActorDep) -> Response:
    await accounts.end_sessions(user, actor)
    return Response(status_code=204)


@router.get("/me")
async def me(user: UserAnyState) -> UserOut:
    return await accounts.user_out(user)


@router.post("/password")
async def change_password(
    body: PasswordChange, user: UserAnyState, actor: ActorDep, signer: SignerDep
) -> Token:
    user = await accounts.change_password(user, body.old_password, body.new_password, actor)
    return Token(access_token=signer.issue(user.id, user.token_version))


@router.post("/reset")
async def use_reset(body: PasswordReset, actor: ActorDep, signer: SignerDep) -> Token:
    """Set a new password with a one-time link's token."""
    user = await accounts.use_reset(body.token, body.new_password, actor)
    return Token(access_token=signer.issue(user.id, user.token_version))


@router.post("/reset-links/{username}", status_code=201)
async def issue_reset(
    username: str, request: Request, staff: StaffUser, actor: ActorDep, settings: SettingsDep
) -> ResetLink:
    ttl = timedelta(hours=settings.reset_ttl_hours)
    user, token, reset = await accounts.issue_reset(username, actor, ttl)
    url = links.link_for(request, "reset_page", token=token)
    return ResetLink(username=user.username, url=url, token=token, expires_at=reset.expires_at)
