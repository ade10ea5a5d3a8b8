"""Accounts for staff: list them, add one with a one-time link, (de)activate, send a new link.

A new account never gets a password from staff: it gets a random one nobody knows and a
one-time link (shown once, on this page) with which its owner sets their own.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from archive import links
from archive.audit import Actor
from archive.deps import SettingsDep
from archive.errors import BadInput, Conflict, DomainError
from archive.models import Role, Unit, User
from archive.schemas.users import UserCreate, UserUpdate
from archive.scoping import require_role
from archive.services import accounts
from archive.settings import Settings
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)

Text = Annotated[str, Form(max_length=200)]


async def users_page(
    request: Request, user: User, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    require_role(user, Role.STAFF)
    rows = [await accounts.user_out(u) for u in await User.all().order_by("username")]
    units = await Unit.all().order_by("name")
    return await render(
        request,
        "users/index.html",
        user,
        status_code=status_code,
        users=rows,
        units=units,
        roles=list(Role),
        **context,
    )


async def _link(request: Request, username: str, settings: Settings, actor: Actor) -> str:
    ttl = timedelta(hours=settings.reset_ttl_hours)
    _, token, _ = await accounts.issue_reset(username, actor, ttl)
    return links.link_for(request, "reset_page", token=token)


@router.get("/pengguna", response_class=HTMLResponse)
async def list_users(request: Request, user: PageUser) -> HTMLResponse:
    return await users_page(request, user)


@router.post("/pengguna", dependencies=[CsrfChecked])
async def create_user(
    request: Request,
    user: PageUser,
    actor: PageActor,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    full_name: Text = "",
    unit: Annotated[str, Form(max_length=32)] = "",
    email: Text = "",
) -> Response:
    require_role(user, Role.STAFF)
    try:
        data = UserCreate(
            username=username.strip(),
            password=secrets.token_urlsafe(24),  # nobody knows it: the link sets the real one
            full_name=full_name.strip(),
            email=email.strip() or None,
            role=role,
            unit=unit or None,
        )
        created = await accounts.create_user(data, actor)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
        return await users_page(
            request, user, status_code=422, error=f"Isian tidak valid: {fields}."
        )
    except (BadInput, Conflict) as exc:
        return await users_page(request, user, status_code=exc.status_code, error=exc.detail)
    link = await _link(request, created.username, settings, actor)
    return await users_page(request, user, status_code=201, link_for=created.username, link=link)


@router.post("/pengguna/{username}/aktif", dependencies=[CsrfChecked])
async def set_active(
    request: Request,
    username: str,
    user: PageUser,
    actor: PageActor,
    active: Annotated[bool, Form()],
) -> Response:
    require_role(user, Role.STAFF)
    try:
        await accounts.update_user(username, UserUpdate(active=active), actor)
    except (BadInput, Conflict) as exc:
        return await users_page(request, user, status_code=exc.status_code, error=exc.detail)
    flash(request, f"Akun {username} {'diaktifkan' if active else 'dinonaktifkan'}.")
    return RedirectResponse("/pengguna", status_code=303)


@router.post("/pengguna/{username}/tautan", dependencies=[CsrfChecked])
async def new_link(
    request: Request, username: str, user: PageUser, actor: PageActor, settings: SettingsDep
) -> Response:
    require_role(user, Role.STAFF)
    try:
        link = await _link(request, username, settings, actor)
    except DomainError as exc:
        return await users_page(request, user, status_code=exc.status_code, error=exc.detail)
    return await users_page(request, user, link_for=username, link=link)


@router.post("/pengguna/{username}", dependencies=[CsrfChecked])
async def edit_user(
    request: Request,
    username: str,
    user: PageUser,
    actor: PageActor,
    role: Annotated[str, Form(max_length=16)] = "",
    unit: Annotated[str, Form(max_length=32)] = "",
    full_name: Text = "",
    email: Text = "",
) -> Response:
    """Staff change an account's role, unit, name or e-mail."""
    require_role(user, Role.STAFF)
    try:
        try:
            data = UserUpdate(
                role=role or None, unit=unit, full_name=full_name.strip(),
                email=email.strip() or None,
            )  # fmt: skip
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0])
            raise BadInput(
                {"email": "Alamat surel tidak valid.", "role": "Pilih peran."}.get(
                    field, "Isian akun tidak valid."
                )
            ) from None
        await accounts.update_user(username, data, actor)
    except DomainError as exc:
        return await users_page(
            request, user, status_code=exc.status_code, edit_error={username: exc.detail}
        )
    flash(request, f"Akun {username} disimpan.")
    return RedirectResponse("/pengguna", status_code=303)
