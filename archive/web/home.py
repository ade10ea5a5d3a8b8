"""The landing page: the innovations the signed-in user may see."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from archive.scoping import visible_innovations
from archive.web.session import SessionUser, csrf_token

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: SessionUser):
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if user.must_change_password:
        return RedirectResponse("/password", status_code=303)
    rows = await visible_innovations(user).order_by("-year", "name").prefetch_related("unit")
    return request.app.state.templates.TemplateResponse(
        request,
        "home/index.html",
        {"user": user, "innovations": rows, "csrf": csrf_token(request)},
    )
