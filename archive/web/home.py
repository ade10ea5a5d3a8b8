"""The landing page: the innovations the signed-in user may see."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from archive.scoping import visible_innovations
from archive.web.pages import PageRoute, PageUser, render

router = APIRouter(route_class=PageRoute)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: PageUser) -> HTMLResponse:
    rows = await visible_innovations(user).order_by("-year", "name").prefetch_related("unit")
    return await render(request, "home/index.html", user, innovations=rows)
