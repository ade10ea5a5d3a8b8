"""Pages: log in, log out, change password, and set a password from a one-time link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from archive.audit import Actor
from archive.deps import ThrottleDep, client_ip
from archive.errors import DomainError
from archive.services import accounts
from archive.web.session import CsrfChecked, SessionUser, csrf_token, sign_in

router = APIRouter()


def _render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("user", None)
    return request.app.state.templates.TemplateResponse(
        request, name, {"csrf": csrf_token(request), **context}, status_code=status_code
    )


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, user: SessionUser) -> HTMLResponse:
    return _render(request, "auth/login.html", user=user)


@router.post("/login", dependencies=[CsrfChecked])
async def login(
    request: Request,
    throttle: ThrottleDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
):
    try:
        user = await accounts.authenticate(throttle, username, password, client_ip(request))
    except DomainError as exc:
        return _render(request, "auth/login.html", exc.status_code, error=exc.detail)
    sign_in(request, user)
    target = "/password" if user.must_change_password else "/"
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
async def logout(request: Request, user: SessionUser):
    if user is not None:
        await accounts.end_sessions(user, Actor(user.username, client_ip(request)))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/password", response_class=HTMLResponse)
async def password_page(request: Request, user: SessionUser):
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return _render(request, "auth/password.html", user=user)


@router.post("/password", dependencies=[CsrfChecked])
async def change_password(
    request: Request,
    user: SessionUser,
    old_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
):
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if new_password != confirm_password:
        return _render(
            request, "auth/password.html", 422, user=user, error="Konfirmasi kata sandi tidak sama."
        )
    try:
        await accounts.change_password(
            user, old_password, new_password, Actor(user.username, client_ip(request))
        )
    except DomainError as exc:
        return _render(request, "auth/password.html", exc.status_code, user=user, error=exc.detail)
    sign_in(request, user)
    return _render(request, "auth/password.html", user=user, message="Kata sandi telah diganti.")


@router.get("/reset/{token}", response_class=HTMLResponse, name="reset_page")
async def reset_page(request: Request, token: str) -> HTMLResponse:
    return _render(request, "auth/reset.html", token=token)


@router.post("/reset/{token}", dependencies=[CsrfChecked])
async def reset(
    request: Request,
    token: str,
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
):
    if new_password != confirm_password:
        return _render(
            request, "auth/reset.html", 422, token=token, error="Konfirmasi kata sandi tidak sama."
        )
    try:
        user = await accounts.use_reset(token, new_password, Actor(None, client_ip(request)))
    except DomainError as exc:
        return _render(request, "auth/reset.html", exc.status_code, token=token, error=exc.detail)
    sign_in(request, user)
    return RedirectResponse("/", status_code=303)
