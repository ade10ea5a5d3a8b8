"""The verifier's desk: the queue of what waits, and one innovation reviewed indicator by indicator.

``/verifikasi`` lists the year's submitted innovations, oldest first. ``/verifikasi/{id}/{code}``
shows one indicator: the admin's claim, the checklist's findings, each file with what was read
from it and a link to the page where it was read, the review form (nothing pre-chosen) and the
indicator's comments. Moving between indicators swaps the desk in place (htmx); without
JavaScript the links are ordinary pages. The forms post to the contract's routes
(``archive.web.review``), which come back here when the form carries ``next``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.errors import Forbidden, NotFound
from archive.models import Blob, IndicatorClaim, Role, Unit, User
from archive.permissions import allowed_actions
from archive.scoping import get_visible_innovation
from archive.services import checklists, collaboration, queue, reviews, workflow
from archive.services import evidence as evidence_service
from archive.services.rules import newest_period_year, rulepack_for_year
from archive.web.pages import PageRoute, PageUser, render

router = APIRouter(route_class=PageRoute)


def _readers_only(user: User) -> None:
    if user.role not in (Role.VERIFIER, Role.STAFF):
        raise Forbidden("Halaman verifikasi hanya untuk verifikator dan staf.")


@router.get("/verifikasi", response_class=HTMLResponse)
async def queue_page(
    request: Request,
    user: PageUser,
    unit: Annotated[str, Query(max_length=32)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    halaman: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    _readers_only(user)
    year = year or await newest_period_year()
    found = None
    if year:
        found = await queue.verification_queue(
            user, year, unit=unit or None, state=status or None, page=halaman
        )
    return await render(
        request,
        "verification/queue.html",
        user,
        found=found,
        rows=found.rows if found else [],
        year=year,
        units=await Unit.all().order_by("name"),
        chosen={"unit": unit, "status": status or "submitted"},
        states=queue.QUEUE_STATES,
    )


@router.get("/verifikasi/{innovation_id}", response_class=HTMLResponse)
async def first_indicator(innovation_id: int, user: PageUser) -> Response:
    """The desk opens at the first indicator that still needs the verifier."""
    _readers_only(user)
    innovation = await get_visible_innovation(user, innovation_id)
    checklist = await checklists.get_checklist(innovation)
    found = {r["indicator"]: r for r in await reviews.list_reviews(user, innovation.id)}
    indicators = checklist.get("indicators", [])
    codes = [i["code"] for i in indicators]
    backed = {e.indicator for e in await evidence_service.list_current(user, innovation.id)}
    # What needs the verifier: mandatory or backed indicators not reviewed (or made stale).
    todo = [
        i["code"]
        for i in indicators
        if (i.get("mandatory") or i["code"] in backed)
        and (i["code"] not in found or found[i["code"]]["state"] == "waiting")
    ]
    target = (todo or codes or [""])[0]
    return RedirectResponse(f"/verifikasi/{innovation_id}/{target}", status_code=303)


@router.get("/verifikasi/{innovation_id}/{code}", response_class=HTMLResponse)
async def desk(request: Request, innovation_id: int, code: str, user: PageUser) -> HTMLResponse:
    return await desk_page(request, user, innovation_id, code)


def desk_target(next_url: str, innovation_id: int) -> tuple[int, str] | None:
    """``(innovation, indicator)`` when ``next`` is this innovation's desk; never elsewhere.

    Redirects go to ``desk_url(...)`` built from these parts, never to the raw value.
    """
    parts = next_url.split("/")
    if (
        len(parts) == 4
        and parts[:3] == ["", "verifikasi", str(innovation_id)]
        and parts[3].replace("_", "").replace("-", "").isalnum()
    ):
        return innovation_id, parts[3]
    return None


def desk_url(innovation_id: int, code: str) -> str:
    return f"/verifikasi/{innovation_id}/{code}"


def _page_of(blob: Blob | None, needle: str | None) -> int | None:
    """The first page whose text holds ``needle`` (e.g. the decree number read from it)."""
    if blob is None or not blob.pages or not needle:
        return None
    for number, text in enumerate(blob.pages, start=1):
        if needle in (text or ""):
            return number
    return None


async def desk_page(
    request: Request,
    user: User,
    innovation_id: int,
    code: str,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """One indicator on the desk; with ``HX-Request`` only the desk, for an in-place swap."""
    _readers_only(user)
    innovation = await get_visible_innovation(user, innovation_id)
    await innovation.fetch_related("unit")
    checklist = await checklists.get_checklist(innovation)
    indicators = checklist.get("indicators", [])
    codes = [i["code"] for i in indicators]
    if code not in codes:
        raise NotFound("Indikator tidak ada dalam paket aturan tahun ini.")
    position = codes.index(code)
    row = indicators[position]
    pack = await rulepack_for_year(innovation.year)
    rows = [
        e for e in await evidence_service.list_current(user, innovation.id) if e.indicator == code
    ]
    files = await evidence_service.evidence_outs(rows)
    blobs = {
        b.sha256: b for b in await Blob.filter(sha256__in=[f.sha256 for f in files if f.sha256])
    }
    pages = {f.id: _page_of(blobs.get(f.sha256 or ""), f.facts.number) for f in files}
    found = {r["indicator"]: r for r in await reviews.list_reviews(user, innovation.id)}
    claim = await IndicatorClaim.get_or_none(innovation_id=innovation.id, indicator=code)
    actions = await allowed_actions(user, innovation)
    thread = [
        c for c in await collaboration.comments(user, innovation.id) if c["indicator"] == code
    ]
    context.setdefault("next_url", f"/verifikasi/{innovation.id}/{code}")
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = await render(
        request,
        "verification/_desk.html" if partial else "verification/desk.html",
        user,
        status_code=status_code,
        innovation=innovation,
        checklist=checklist,
        indicators=indicators,
        ind=row,
        rule=pack.indicator(code),
        # The national form's numbers, so the list and the heading agree with the checklist.
        numbers={i.code: i.number for i in pack.indicators},
        position=position,
        previous=codes[position - 1] if position > 0 else None,
        following=codes[position + 1] if position + 1 < len(codes) else None,
        files=files,
        pages=pages,
        reviews=found,
        review=found.get(code),
        claim=claim,
        actions=actions,
        comments=thread,
        blockers=await workflow.verification_blockers(innovation),
        history=await workflow.history(user, innovation.id),
        **context,
    )
    if partial:
        # The address bar follows the desk, also after a form's redirect.
        response.headers["HX-Push-Url"] = f"/verifikasi/{innovation.id}/{code}"
    return response
