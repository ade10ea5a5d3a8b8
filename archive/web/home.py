"""The landing page by role: an admin's unit, a verifier's queue, staff's dashboard, else a list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from archive.models import Innovation, Role, Unit, User
from archive.scoping import visible_innovations
from archive.services import checklists, queue, reports
from archive.services.rules import newest_period_year
from archive.web.innovations import deadline_info
from archive.web.pages import PageRoute, PageUser, render
from archive.web.reports import dashboard_context

router = APIRouter(route_class=PageRoute)
TOP_FIXES = 3


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: PageUser) -> HTMLResponse:
    if user.role == Role.ADMIN and user.unit_id is not None:
        return await unit_home(request, user)
    if user.role in (Role.VERIFIER, Role.STAFF):
        return await office_home(request, user)
    rows = await visible_innovations(user).order_by("-year", "name").prefetch_related("unit")
    return await render(request, "home/index.html", user, innovations=rows)


async def office_home(request: Request, user: User) -> HTMLResponse:
    """What waits for verification; for staff, the dashboard of the newest year below it."""
    year = await newest_period_year()
    waiting, context = None, {}
    if year:
        summary = await queue.queue_summary(year)
        waiting = {
            "year": year,
            "count": summary.waiting,
            "oldest": summary.oldest_days,
            "untouched": summary.untouched,
        }
        if user.role == Role.STAFF:
            context = await dashboard_context(year)
    return await render(request, "home/office.html", user, year=year, waiting=waiting, **context)


async def unit_home(request: Request, user: User) -> HTMLResponse:
    """Inovasi unit saya: status, completeness, maturity, what blocks and what pays most."""
    year = await newest_period_year()
    unit = await Unit.get(id=user.unit_id)
    own = Innovation.filter(unit_id=user.unit_id)
    current = await own.filter(year=year).order_by("name") if year else []
    loaded = await checklists.visible_results(user, year=year, unit=None, unit_id=unit.id)
    results = {innovation.id: result for innovation, result in loaded}
    fixes: dict[int, list[dict[str, Any]]] = {}
    if year:
        # The unit's checklists are loaded once, for the cards and their fixes.
        for fix in reports.ranked_fixes(loaded):
            if fix.get("indicator"):
                fixes.setdefault(fix["innovation_id"], []).append(fix)
    cards = []
    for innovation in current:
        result = results.get(innovation.id) or await checklists.refresh(innovation.id)
        missing = [
            i
            for i in result["indicators"]
            if i["mandatory"] and i["status"] in ("missing", "rejected")
        ]
        cards.append(
            {
                "innovation": innovation,
                "checklist": result,
                "missing": missing,
                "fixes": fixes.get(innovation.id, [])[:TOP_FIXES],
            }
        )
    older = await own.exclude(year=year).order_by("-year", "name") if year else await own.all()
    deadline = None
    if current:
        deadline = await deadline_info(current[0], request.app.state.settings.tz)
    elif year:
        deadline = await deadline_info(Innovation(year=year), request.app.state.settings.tz)
    return await render(
        request,
        "home/unit.html",
        user,
        unit=unit,
        year=year,
        cards=cards,
        older=older,
        deadline=deadline,
    )
