"""The page of one innovation: profile, checklist, evidence, upload form and submission."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.errors import Conflict
from archive.models import Innovation, InnovationStatus, Role, User
from archive.schemas.evidence import EvidenceOut
from archive.scoping import OPEN_STATUSES, can_edit_innovation, get_visible_innovation
from archive.services import checklists, reviews, workflow
from archive.services import evidence as evidence_service
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)

SUBMITTABLE = {InnovationStatus.DRAFT, InnovationStatus.REVISION}
REOPENABLE = workflow.LATER


def is_outside_verifier(user: User, innovation: Innovation) -> bool:
    """A verifier who may judge this innovation (never one of its own unit)."""
    return user.role == Role.VERIFIER and (
        user.unit_id is None or user.unit_id != innovation.unit_id
    )


def offered_steps(user: User, innovation: Innovation) -> dict[str, bool]:
    """Which review forms to show; the services decide for real."""
    submitted = innovation.status == InnovationStatus.SUBMITTED
    staff = user.role == Role.STAFF
    return {
        "can_review": submitted and is_outside_verifier(user, innovation),
        "can_decide": submitted and (staff or is_outside_verifier(user, innovation)),
        "can_publish": staff and innovation.status == InnovationStatus.VERIFIED,
        "can_reopen": staff and innovation.status in REOPENABLE,
    }


def may_submit(user: User, innovation: Innovation) -> bool:
    """Whether to offer the "Ajukan" button; the workflow service decides for real."""
    return (
        user.role == Role.ADMIN
        and user.unit_id is not None
        and user.unit_id == innovation.unit_id
        and innovation.status in SUBMITTABLE
    )


async def may_upload(user: User, innovation: Innovation) -> bool:
    """Whether to offer the upload form; the evidence service decides for real."""
    if not await can_edit_innovation(user, innovation):
        return False
    return user.role == Role.STAFF or innovation.status in OPEN_STATUSES


def by_indicator(rows: list[EvidenceOut]) -> dict[str, list[EvidenceOut]]:
    grouped: dict[str, list[EvidenceOut]] = defaultdict(list)
    for row in rows:
        grouped[row.indicator].append(row)
    return dict(grouped)


async def innovation_page(
    request: Request,
    user: User,
    innovation_id: int,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    innovation = await get_visible_innovation(user, innovation_id)  # 404 when not the caller's
    await innovation.fetch_related("unit")
    checklist = await checklists.get_checklist(innovation)
    rows = await evidence_service.list_current(user, innovation.id)
    evidence = [await evidence_service.evidence_out(row) for row in rows]
    names = {i["code"]: i.get("name") or i["code"] for i in checklist.get("indicators", [])}
    found = {r["indicator"]: r for r in await reviews.list_reviews(user, innovation.id)}
    return await render(
        request,
        "innovations/detail.html",
        user,
        status_code=status_code,
        innovation=innovation,
        checklist=checklist,
        evidence=by_indicator(evidence),
        evidence_count=len(evidence),
        pending=[e for e in evidence if e.extraction.status == "pending"],
        names=names,
        can_upload=await may_upload(user, innovation),
        can_submit=may_submit(user, innovation),
        reviews=found,
        **offered_steps(user, innovation),
        **context,
    )


@router.get("/inovasi/{innovation_id}", response_class=HTMLResponse)
async def show(request: Request, innovation_id: int, user: PageUser) -> HTMLResponse:
    return await innovation_page(request, user, innovation_id)


@router.post("/inovasi/{innovation_id}/ajukan", dependencies=[CsrfChecked])
async def submit(
    request: Request, innovation_id: int, user: PageUser, actor: PageActor
) -> Response:
    try:
        await workflow.transition(user, innovation_id, "submit", actor)
    except Conflict as exc:
        refusal = {
            "detail": exc.detail,
            "missing": exc.extra.get("missing", []),
            "findings": exc.extra.get("findings", []),
        }
        return await innovation_page(request, user, innovation_id, status_code=409, refusal=refusal)
    flash(request, "Inovasi telah diajukan dan menunggu verifikasi.")
    return RedirectResponse(f"/inovasi/{innovation_id}", status_code=303)
