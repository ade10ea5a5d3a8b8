"""The page of one innovation: the checklist as its spine, one card per indicator.

Each card says what the indicator needs, what was found in the files, and takes the claim,
the uploads and the comments of that indicator. What a user may do comes from
``allowed_actions``; the services behind every form check again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive import links
from archive.errors import BadInput, Conflict, DomainError, NotFound
from archive.models import IndicatorClaim, Innovation, Period, User
from archive.permissions import allowed_actions
from archive.schemas.evidence import EvidenceOut
from archive.scoping import get_visible_innovation
from archive.services import checklists, collaboration, reviews, workflow
from archive.services import evidence as evidence_service
from archive.services.rules import rulepack_for_year
from archive.timeutil import deadline_end, utcnow
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked
from archive.web.verification import desk_page, desk_target, desk_url

router = APIRouter(route_class=PageRoute)

Text = Annotated[str, Form(max_length=10_000)]


def by_indicator(rows: list[EvidenceOut]) -> dict[str, list[EvidenceOut]]:
    grouped: dict[str, list[EvidenceOut]] = defaultdict(list)
    for row in rows:
        grouped[row.indicator].append(row)
    return dict(grouped)


async def deadline_info(innovation: Innovation, tz: Any) -> dict[str, Any] | None:
    """The input deadline of the innovation's year and the days left, in the local zone."""
    period = await Period.get_or_none(year=innovation.year)
    if period is None:
        return None
    end = deadline_end(period.closes, tz)
    today = utcnow().astimezone(tz).date()
    return {
        "closes": period.closes,
        "time": end.astimezone(tz).strftime("%H:%M"),
        "zone": end.astimezone(tz).tzname(),
        "days_left": (period.closes - today).days,
        "reopened": period.reopened,
    }


async def indicator_cards(
    user: User, innovation: Innovation, checklist: Mapping[str, Any]
) -> dict[str, Any]:
    """Per indicator: its checklist row, rule-pack entry, files, claim and comments."""
    pack = await rulepack_for_year(innovation.year)
    rows = await evidence_service.list_current(user, innovation.id)
    files = by_indicator(await evidence_service.evidence_outs(rows))
    claims = {c.indicator: c for c in await IndicatorClaim.filter(innovation_id=innovation.id)}
    return {"pack": pack, "files": files, "claims": claims}


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
    actions = await allowed_actions(user, innovation)
    checklist = await checklists.get_checklist(innovation)
    parts = await indicator_cards(user, innovation, checklist)
    evidence = parts["files"]
    names = {i["code"]: i.get("name") or i["code"] for i in checklist.get("indicators", [])}
    found = {r["indicator"]: r for r in await reviews.list_reviews(user, innovation.id)}
    thread = await collaboration.comments(user, innovation.id) if actions.comment else []
    comments: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for comment in thread:
        comments[comment["indicator"]].append(comment)
    settings = request.app.state.settings
    return await render(
        request,
        "innovations/detail.html",
        user,
        status_code=status_code,
        innovation=innovation,
        checklist=checklist,
        actions=actions,
        pack=parts["pack"],
        claims=parts["claims"],
        evidence=evidence,
        evidence_count=sum(len(v) for v in evidence.values()),
        names=names,
        comments=comments,
        innovators=await collaboration.innovators(user, innovation.id) if actions.invite else [],
        deadline=await deadline_info(innovation, settings.tz),
        reviews=found,
        # The review and decision forms (for verifiers and staff) read these names.
        can_review=actions.review,
        can_decide=actions.decide,
        can_publish=actions.publish,
        can_reopen=actions.reopen,
        blockers=await workflow.verification_blockers(innovation) if actions.decide else {},
        history=await workflow.history(user, innovation.id),
        **context,
    )


@router.get("/inovasi/{innovation_id}", response_class=HTMLResponse)
async def show(request: Request, innovation_id: int, user: PageUser) -> HTMLResponse:
    return await innovation_page(request, user, innovation_id)


@router.get("/inovasi/{innovation_id}/indikator/{code}/status", response_class=HTMLResponse)
async def indicator_state(
    request: Request, innovation_id: int, code: str, user: PageUser
) -> HTMLResponse:
    """One indicator's status, findings and files: polled while a file is being read."""
    innovation = await get_visible_innovation(user, innovation_id)
    checklist = await checklists.get_checklist(innovation)
    row = next((i for i in checklist.get("indicators", []) if i["code"] == code), None)
    if row is None:
        raise NotFound("Indikator tidak ditemukan.")
    parts = await indicator_cards(user, innovation, checklist)
    return request.app.state.templates.TemplateResponse(
        request,
        "innovations/_indicator_state.html",
        {
            "innovation": innovation,
            "ind": row,
            "files": parts["files"].get(code, []),
            "actions": await allowed_actions(user, innovation),
            "csrf": request.session.get("csrf", ""),
        },
    )


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


@router.post("/inovasi/{innovation_id}/indikator/{code}/klaim", dependencies=[CsrfChecked])
async def claim(
    request: Request,
    innovation_id: int,
    code: str,
    user: PageUser,
    actor: PageActor,
    level: Annotated[str, Form(max_length=2)] = "",
    basis: Annotated[str, Form(max_length=64)] = "",
    note: Text = "",
) -> Response:
    """The level claimed for one indicator, and the measurement basis where it has several."""
    try:
        claimed = evidence_service.check_level(level)
        if claimed is None:
            raise BadInput("Pilih tingkat yang diklaim (0 sampai 3).")
        await checklists.set_claim(
            user, innovation_id, code, claimed, basis or None, note.strip() or None, actor
        )
    except (BadInput, Conflict) as exc:
        return await innovation_page(
            request,
            user,
            innovation_id,
            status_code=exc.status_code,
            claim_error={"code": code, "detail": exc.detail},
        )
    flash(request, "Klaim tingkat disimpan.")
    return RedirectResponse(f"/inovasi/{innovation_id}#ind-{code}", status_code=303)


@router.post("/inovasi/{innovation_id}/komentar", dependencies=[CsrfChecked])
async def comment(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    body: Text = "",
    indicator: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    anchor = f"ind-{indicator}" if indicator else "diskusi"
    try:
        if not body.strip():
            raise BadInput("Tulis isi komentar terlebih dahulu.")
        await collaboration.add_comment(user, innovation_id, body.strip(), indicator or None, actor)
    except (BadInput, Conflict) as exc:
        error = {"indicator": indicator, "detail": exc.detail, "body": body}
        if desk := desk_target(next, innovation_id):
            return await desk_page(
                request, user, innovation_id, desk[1], status_code=exc.status_code,
                comment_error=error,
            )  # fmt: skip
        return await innovation_page(
            request, user, innovation_id, status_code=exc.status_code, comment_error=error
        )
    flash(request, "Komentar terkirim.")
    if desk := desk_target(next, innovation_id):
        return RedirectResponse(desk_url(*desk), status_code=303)
    return RedirectResponse(f"/inovasi/{innovation_id}#{anchor}", status_code=303)


@router.post("/inovasi/{innovation_id}/inovator", dependencies=[CsrfChecked])
async def invite(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    username: Annotated[str, Form(max_length=64)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Invite an innovator; a new account's one-time link is shown once, here."""
    from archive.schemas.workflow import InviteIn

    try:
        try:
            data = InviteIn(username=username.strip().lower(), full_name=full_name.strip())
        except ValueError:
            raise BadInput(
                "Nama pengguna hanya boleh huruf kecil, angka, titik, garis bawah atau tanda "
                "hubung, 2 sampai 64 karakter."
            ) from None
        invited = await collaboration.invite(
            user, innovation_id, data.username, data.full_name, actor
        )
    except DomainError as exc:
        return await innovation_page(
            request,
            user,
            innovation_id,
            status_code=exc.status_code,
            invite_error=exc.detail,
            invite_values={"username": username, "full_name": full_name},
        )
    link = None
    if invited.get("reset_token"):
        link = links.link_for(request, "reset_page", token=invited["reset_token"])
    return await innovation_page(
        request, user, innovation_id, status_code=201, invited=invited, invite_link=link
    )
