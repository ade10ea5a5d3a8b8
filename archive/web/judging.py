"""A judge's pages (``/lomba/nilai/{assignment}``): read the entry (blind when the stage is),
score each criterion with a justification, declare a conflict of interest, open attachments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from archive.competitions import judging
from archive.deps import StoreDep
from archive.downloads import evidence_file
from archive.errors import BadInput, DomainError
from archive.models import User
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)


async def score_page(
    request: Request, user: User, assignment_id: int, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    view = await judging.view(user, assignment_id)
    typed = context.pop("typed", None) or {}
    criteria = []
    for c in view.stage.criteria:
        saved = view.scores.get(c["key"], {})
        criteria.append({
            **c,
            "value": typed.get(c["key"], saved.get("value", "")),
            "note": typed.get(f"{c['key']}_note", saved.get("justification", "")),
        })  # fmt: skip
    done = sum(1 for c in view.stage.criteria if c["key"] in view.scores)
    return await render(
        request, "competitions/score.html", user, status_code=status_code,
        view=view, criteria=criteria, done=done, **context,
    )  # fmt: skip


@router.get("/lomba/nilai/{assignment_id:int}", response_class=HTMLResponse)
async def show(request: Request, assignment_id: int, user: PageUser) -> HTMLResponse:
    return await score_page(request, user, assignment_id)


@router.post("/lomba/nilai/{assignment_id:int}", dependencies=[CsrfChecked])
async def save(request: Request, assignment_id: int, user: PageUser, actor: PageActor) -> Response:
    """Every criterion filled in is saved (``{key}`` 0 to 100, ``{key}_note`` its reason)."""
    form = await request.form()
    typed = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    try:
        view = await judging.view(user, assignment_id)
        scores = []
        for c in view.stage.criteria:
            raw = typed.get(c["key"], "").strip()
            note = typed.get(f"{c['key']}_note", "").strip()
            if not raw and not note:
                continue
            if not raw.isdigit():
                raise BadInput(f"Nilai '{c['name']}' harus bilangan bulat 0 sampai 100.",
                               extra={"field": c["key"]})  # fmt: skip
            scores.append({"criterion": c["key"], "value": int(raw[:4]), "justification": note})
        if not scores:
            raise BadInput("Isi nilai dan alasan paling sedikit satu kriteria.")
        await judging.save_scores(user, assignment_id, scores, actor)
    except DomainError as exc:
        return await score_page(
            request, user, assignment_id, status_code=exc.status_code, form_error=exc.detail,
            error_field=exc.extra.get("field"), typed=typed,
        )  # fmt: skip
    left = len(view.stage.criteria) - len({s["criterion"] for s in scores} | set(view.scores))
    flash(request, "Nilai disimpan." + (f" {left} kriteria belum dinilai." if left > 0 else
                                        " Semua kriteria sudah dinilai."))  # fmt: skip
    return RedirectResponse(f"/lomba/nilai/{assignment_id}", status_code=303)


@router.post("/lomba/nilai/{assignment_id:int}/konflik", dependencies=[CsrfChecked])
async def conflict(
    request: Request, assignment_id: int, user: PageUser, actor: PageActor
) -> Response:
    form = await request.form()
    reason = str(form.get("reason", ""))[:2000]
    try:
        await judging.declare_conflict(user, assignment_id, reason, actor)
    except DomainError as exc:
        return await score_page(
            request, user, assignment_id, status_code=exc.status_code, conflict_error=exc.detail,
            reason=reason,
        )  # fmt: skip
    flash(request, "Konflik kepentingan dicatat; peserta ini tidak lagi Anda nilai.")
    return RedirectResponse("/lomba", status_code=303)


@router.get("/lomba/nilai/{assignment_id:int}/bukti/{evidence_id:int}")
async def attachment_file(
    request: Request,
    assignment_id: int,
    evidence_id: int,
    user: PageUser,
    actor: PageActor,
    store: StoreDep,
) -> FileResponse:
    evidence, blind = await judging.evidence_for(user, assignment_id, evidence_id)
    name = f"bukti-{evidence.indicator}-{evidence.id}" if blind else None
    return await evidence_file(evidence, request, store, actor, filename=name)
