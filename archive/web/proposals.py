"""Proposals: the public form and the proposer's link; staff's list, accept and decline."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from archive.deps import SettingsDep, StoreDep, client_ip
from archive.errors import DomainError
from archive.job_signal import jobs_queued
from archive.models import ProposalStatus, Unit
from archive.services import proposals as service
from archive.services.rules import newest_period_year
from archive.storage import Upload, content_disposition, receive_form, safe_filename
from archive.timeutil import utcnow
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked, SessionUser, verify_csrf

router = APIRouter(route_class=PageRoute)


def _now() -> float:
    return time.time()


STARTED = "proposal_form_at"  # session key: when the form was last shown
STATUS_LABELS = {
    ProposalStatus.NEW: ("Menunggu tinjauan petugas", "info"),
    ProposalStatus.ACCEPTED: ("Diterima: menjadi draf inovasi", "ok"),
    ProposalStatus.DECLINED: ("Tidak dilanjutkan", "bad"),
}
FIELDS = ("kind", "name", "description", "problem", "origin", "contact_name",
          "contact_email", "contact_phone")  # fmt: skip


async def _form_page(
    request: Request, user: Any, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    request.session[STARTED] = _now()
    return await render(
        request, "proposals/form.html", user, status_code=status_code,
        kinds=list(service.KIND_LABELS.items()), max_files=service.MAX_FILES,
        max_mb=service.MAX_FILE_BYTES // (1024 * 1024), **context,
    )  # fmt: skip


@router.get("/usulan", response_class=HTMLResponse)
async def form(request: Request, user: SessionUser) -> HTMLResponse:
    return await _form_page(request, user, typed={})


@router.post("/usulan")
async def submit(
    request: Request, user: SessionUser, settings: SettingsDep, store: StoreDep
) -> Response:
    fields: dict[str, str] = {}
    sender = service.sender_key(settings.secret_key, client_ip(request))
    started = request.session.get(STARTED)
    elapsed = _now() - started if isinstance(started, int | float) else None

    async def validate(upload: Upload) -> service.ProposalForm:
        nonlocal fields
        fields = dict(upload.fields)
        verify_csrf(request, fields.pop("csrf", None))
        await service.check_not_spam(
            fields.get("website", ""), elapsed, sender, settings.proposal_min_seconds
        )
        return service.check_form(fields)

    try:
        received, checked = await receive_form(
            request, store, service.MAX_FILE_BYTES, validate, links=True,
            max_files=service.MAX_FILES,
        )  # fmt: skip
        files = [
            service.ReceivedFile(
                part.blob, safe_filename(part.filename, part.media_type), part.media_type
            )
            for part in received.files
            if part.blob is not None and part.media_type is not None
        ]
        year = await newest_period_year() or utcnow().year
        _, token = await service.submit(checked, files, sender, year)
    except DomainError as exc:
        field = exc.extra.get("field")
        if exc.status_code in (413, 415):
            exc.detail = f"{exc.detail} Usulan belum terkirim; tidak ada berkas yang tersimpan."
        return await _form_page(
            request, user, status_code=exc.status_code, form_error=exc.detail,
            error_field=field, typed={k: fields.get(k, "") for k in FIELDS},
        )  # fmt: skip
    request.session.pop(STARTED, None)
    if received.files:
        await jobs_queued(request.app)
    flash(request, "Usulan terkirim. Simpan tautan halaman ini untuk melihat tanggapan petugas.")
    return RedirectResponse(f"/usulan/{token}", status_code=303)


# Staff's routes come before /usulan/{token}, which would otherwise take "masuk" as a token.
@router.get("/usulan/masuk", response_class=HTMLResponse)
async def inbox(
    request: Request, user: PageUser, status: str = Query(default="new", max_length=16)
) -> HTMLResponse:
    chosen = status if status in {s.value for s in ProposalStatus} else ""
    return await render(
        request, "proposals/inbox.html", user,
        rows=await service.for_staff(user, chosen or None), counts=await service.counts(user),
        status=chosen, labels=STATUS_LABELS, kind_labels=service.KIND_LABELS,
    )  # fmt: skip


async def _staff_page(
    request: Request, user: Any, proposal_id: int, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    proposal = await service.get_for_staff(user, proposal_id)
    units = await Unit.filter(deactivated_at=None).order_by("name")
    return await render(
        request, "proposals/review.html", user, status_code=status_code,
        proposal=proposal, files=list(proposal.files), units=units,
        labels=STATUS_LABELS, kind_labels=service.KIND_LABELS,
        year=await newest_period_year() or proposal.year, **context,
    )  # fmt: skip


@router.get("/usulan/masuk/{proposal_id}", response_class=HTMLResponse)
async def review(request: Request, proposal_id: int, user: PageUser) -> HTMLResponse:
    return await _staff_page(request, user, proposal_id)


@router.post("/usulan/masuk/{proposal_id}/terima", dependencies=[CsrfChecked])
async def accept(
    request: Request,
    proposal_id: int,
    user: PageUser,
    actor: PageActor,
    unit: Annotated[str, Form(max_length=32)] = "",
    year: Annotated[int, Form(ge=2000, le=2100)] = 2000,
) -> Response:
    try:
        innovation = await service.accept(user, proposal_id, unit, year, actor)
    except DomainError as exc:
        return await _staff_page(
            request, user, proposal_id, status_code=exc.status_code, accept_error=exc.detail
        )
    flash(request, f"Usulan menjadi draf inovasi '{innovation.name}'; admin unit diberi tahu.")
    return RedirectResponse(f"/inovasi/{innovation.id}", status_code=303)


@router.post("/usulan/masuk/{proposal_id}/tolak", dependencies=[CsrfChecked])
async def decline(
    request: Request,
    proposal_id: int,
    user: PageUser,
    actor: PageActor,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        await service.decline(user, proposal_id, reason, actor)
    except DomainError as exc:
        return await _staff_page(
            request, user, proposal_id, status_code=exc.status_code,
            decline_error=exc.detail, typed_reason=reason,
        )  # fmt: skip
    flash(request, "Usulan tidak dilanjutkan; pengusul membaca alasannya di tautan mereka.")
    return RedirectResponse("/usulan/masuk", status_code=303)


@router.get("/usulan/masuk/{proposal_id}/berkas/{file_id}")
async def proposal_file(
    proposal_id: int, file_id: int, user: PageUser, store: StoreDep
) -> Response:
    item = await service.proposal_file(user, proposal_id, file_id)
    return FileResponse(
        store.path(item.blob_id),
        media_type=item.media_type,
        headers={
            "Content-Disposition": content_disposition(item.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/usulan/{token}", response_class=HTMLResponse)
async def status(request: Request, token: str, user: SessionUser) -> HTMLResponse:
    proposal = await service.by_token(token[:100])
    return await render(
        request, "proposals/status.html", user,
        proposal=proposal, label=STATUS_LABELS[proposal.status],
        kind_labels=service.KIND_LABELS,
    )  # fmt: skip
