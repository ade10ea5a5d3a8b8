"""What every page route shares: the signed-in user, rendering, flash messages, HTML errors.

Page routes use ``PageRoute``: a domain error (404 for what the caller may not see, 403, 409,
...) becomes an HTML page with the same status code instead of the API's JSON, and a visitor
who is not signed in (or must still change a printed password) is sent to the right page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from archive.audit import Actor
from archive.deps import client_ip
from archive.errors import DomainError
from archive.models import Role, User
from archive.services import notifications
from archive.web.session import csrf_token, session_user

READERS = {Role.STAFF, Role.VERIFIER}


class SignInRequired(Exception):
    """Not signed in, or a printed password still to change: go to ``target`` first."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


async def page_user(user: Annotated[User | None, Depends(session_user)]) -> User:
    if user is None:
        raise SignInRequired("/login")
    if user.must_change_password:
        raise SignInRequired("/password")
    return user


# A signed-in user ready to work; others are redirected by PageRoute.
PageUser = Annotated[User, Depends(page_user)]


def page_actor(request: Request, user: PageUser) -> Actor:
    return Actor(username=user.username, ip=client_ip(request))


PageActor = Annotated[Actor, Depends(page_actor)]


def flash(request: Request, message: str) -> None:
    """A message shown once, on the next page rendered (after a redirect)."""
    request.session["flash"] = message


async def render(
    request: Request,
    name: str,
    user: User | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page with the header's context: CSRF token, navigation and unread notifications."""
    unread = await notifications.unread_count(user) if user else 0
    message = context.pop("message", None) or request.session.pop("flash", None)
    return request.app.state.templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "csrf": csrf_token(request),
            "unread": unread,
            "is_reader": user is not None and user.role in READERS,
            "is_staff": user is not None and user.role == Role.STAFF,
            "message": message,
            **context,
        },
        status_code=status_code,
    )


ERROR_TITLES = {
    400: "Permintaan tidak dapat dibaca",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    409: "Tidak dapat dilakukan sekarang",
    413: "Berkas terlalu besar",
    415: "Jenis berkas tidak didukung",
    422: "Isian tidak valid",
    429: "Terlalu banyak percobaan",
    507: "Ruang penyimpanan penuh",
}


async def error_page(request: Request, status_code: int, detail: str) -> HTMLResponse:
    user = await session_user(request)
    title = ERROR_TITLES.get(status_code, "Terjadi kesalahan")
    return await render(
        request, "errors/error.html", user, status_code=status_code, title=title, error=detail
    )


class PageRoute(APIRoute):
    """A route answering errors with HTML pages and anonymous visitors with a redirect."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired as exc:
                return RedirectResponse(exc.target, status_code=303)
            except DomainError as exc:
                return await error_page(request, exc.status_code, exc.detail)
            except RequestValidationError:
                return await error_page(request, 422, "Alamat atau isian halaman tidak valid.")

        return page_handler
