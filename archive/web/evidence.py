"""Evidence from the pages: uploads (several files at once), one evidence's page, removal.

Uploads stream to disk while hashing, exactly as ``POST /api/.../evidence`` does. A request
sent by the page's script (header ``X-Sepeda-Fetch``) gets JSON back so the card updates in
place; a plain form post is redirected to the indicator's card, or shown again with the error
beside the form.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from archive import downloads
from archive.deps import SettingsDep, StoreDep, get_store
from archive.errors import BadInput, DomainError, NotFound, UnsupportedType
from archive.job_signal import jobs_queued
from archive.models import Innovation
from archive.permissions import allowed_actions
from archive.schemas.evidence import FactsCorrection
from archive.services import catalogue, previews
from archive.services import evidence as service
from archive.services import facts as facts_service
from archive.services.rules import rulepack_for_year
from archive.storage import Upload, receive_form, safe_filename
from archive.storage.multipart import UploadedFile
from archive.web.innovations import innovation_page
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked, verify_csrf
from checklist.facts import KINDS

router = APIRouter(route_class=PageRoute)

# Files one form may carry at once (the page's script sends them one request each).
MAX_FILES = 20
FETCH_HEADER = "x-sepeda-fetch"


def _wants_json(request: Request) -> bool:
    return request.headers.get(FETCH_HEADER) == "1"


@router.post("/inovasi/{innovation_id}/bukti")
async def upload(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    settings: SettingsDep,
) -> Response:
    """Store the form's files (or link) as evidence of one indicator."""
    indicator: str | None = None  # the row the answer goes back to
    fields: dict[str, str] = {}
    try:
        innovation = await service.uploadable_innovation(user, innovation_id)

        async def validate(upload: Upload) -> service.EvidenceForm:
            nonlocal fields
            fields = dict(upload.fields)
            verify_csrf(request, fields.pop("csrf", None))
            return await service.check_form(
                innovation, fields, has_file=upload.media_type is not None
            )

        received, form = await receive_form(
            request,
            get_store(settings),
            settings.max_upload_bytes,
            validate,
            links=True,
            max_files=MAX_FILES,
        )
        indicator = form.indicator
        saved = []
        parts: list[UploadedFile | None] = [*received.files] or [None]
        for part in parts:
            blob = part.blob if part else None
            name = safe_filename(part.filename, part.media_type) if part else None
            saved.append(
                await service.add_evidence(
                    user, innovation, form, blob, name, part.media_type if part else None, actor
                )
            )
            form = service.EvidenceForm(form.indicator, form.level, None, form.url)
    except DomainError as exc:
        code = indicator or fields.get("indicator") or None
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        if isinstance(exc, UnsupportedType) or exc.status_code in (413, 507):
            exc.detail = f"{exc.detail} Tidak ada berkas yang tersimpan."
        return await innovation_page(
            request,
            user,
            innovation_id,
            status_code=exc.status_code,
            upload_error={"code": code, "detail": exc.detail, "url": fields.get("url", "")},
        )
    if received.files:
        await jobs_queued(request.app)
    names = [e.filename for e in saved if e.filename]
    what = f"Berkas '{names[0]}'" if len(names) == 1 else f"{len(names)} berkas"
    spec = (await rulepack_for_year(innovation.year)).indicator(saved[0].indicator)
    message = f"{what if names else 'Tautan'} tersimpan untuk indikator {spec.name if spec else ''}"
    message += "; berkas sedang dibaca, hasilnya muncul sebentar lagi." if names else "."
    if _wants_json(request):
        return JSONResponse({"ids": [e.id for e in saved], "message": message}, status_code=201)
    flash(request, message)
    return RedirectResponse(f"/inovasi/{innovation_id}#ind-{saved[0].indicator}", status_code=303)


@router.get("/bukti/{evidence_id}", response_class=HTMLResponse)
async def show(request: Request, evidence_id: int, user: PageUser) -> HTMLResponse:
    return await evidence_page(request, user, evidence_id)


async def evidence_page(
    request: Request, user, evidence_id: int, *, status_code: int = 200, **context
) -> HTMLResponse:
    evidence = await service.get_visible_evidence(user, evidence_id)
    if evidence.innovation_id is None:
        raise NotFound("Bukti tidak ditemukan.")
    innovation = await Innovation.get(id=evidence.innovation_id)
    pack = await rulepack_for_year(innovation.year)
    spec = pack.indicator(evidence.indicator)
    out = (await service.evidence_outs([evidence]))[0]
    versions = await service.evidence_outs(await service.list_versions(user, evidence_id))
    text = await service.evidence_text(evidence)
    return await render(
        request,
        "evidence/detail.html",
        user,
        status_code=status_code,
        evidence=out,
        innovation=innovation,
        indicator_name=spec.name if spec else evidence.indicator,
        versions=versions,
        text=text,
        preview=previews.kind_of(out.media_type),
        actions=await allowed_actions(user, innovation),
        kinds=KINDS,
        **context,
    )


@router.get("/bukti/{evidence_id}/unduh", response_class=FileResponse)
async def download(
    request: Request, evidence_id: int, user: PageUser, actor: PageActor, store: StoreDep
) -> FileResponse:
    """The same bytes, headers and audit event as GET /api/evidence/{id}/file, by session."""
    evidence = await service.get_visible_evidence(user, evidence_id)
    return await downloads.evidence_file(evidence, request, store, actor)


@router.get("/bukti/{evidence_id}/pratinjau/{page}", response_class=Response)
async def preview_page(
    request: Request, evidence_id: int, page: int, user: PageUser, settings: SettingsDep
) -> Response:
    """One page of a PDF (or the image itself) as a PNG, rendered in the sandbox."""
    evidence = await service.get_visible_evidence(user, evidence_id)
    worker = request.app.state.worker
    png = await previews.page_png(
        settings, evidence, page, worker.supervisor if worker is not None else None
    )
    return Response(
        png,
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@router.post("/bukti/{evidence_id}/hapus", dependencies=[CsrfChecked])
async def remove(request: Request, evidence_id: int, user: PageUser, actor: PageActor) -> Response:
    """Remove a file from the indicator; it stays in the archive's history and audit log."""
    evidence = await service.get_visible_evidence(user, evidence_id)
    try:
        await service.delete_evidence(user, evidence_id, actor)
    except DomainError as exc:
        return await evidence_page(
            request, user, evidence_id, status_code=exc.status_code, remove_error=exc.detail
        )
    what = evidence.filename or evidence.url or "Bukti"
    flash(request, f"'{what}' dihapus dari indikator ini; arsip tetap menyimpan riwayatnya.")
    return RedirectResponse(
        f"/inovasi/{evidence.innovation_id}#ind-{evidence.indicator}", status_code=303
    )


@router.post("/bukti/{evidence_id}/publik", dependencies=[CsrfChecked])
async def set_public(
    request: Request,
    evidence_id: int,
    user: PageUser,
    actor: PageActor,
    public: Annotated[bool, Form()] = False,
) -> Response:
    """Staff offer the document in the public catalogue (refused when it holds NIK/NIP)."""
    try:
        await catalogue.set_public(user, evidence_id, public, actor)
    except DomainError as exc:
        return await evidence_page(
            request, user, evidence_id, status_code=exc.status_code, public_error=exc.detail
        )
    flash(request, "Dokumen tampil di katalog publik bila inovasinya dipublikasikan."
          if public else "Dokumen ditarik dari katalog publik.")  # fmt: skip
    return RedirectResponse(f"/bukti/{evidence_id}", status_code=303)


FactField = Annotated[str, Form(max_length=2000)]


@router.post("/bukti/{evidence_id}/fakta", dependencies=[CsrfChecked])
async def correct(
    request: Request,
    evidence_id: int,
    user: PageUser,
    actor: PageActor,
    kind: FactField = "",
    number: FactField = "",
    date: FactField = "",
    title: FactField = "",
    issuer: FactField = "",
) -> Response:
    """A person's correction of what was read; an empty field keeps what was read."""
    typed = {"kind": kind, "number": number, "date": date, "title": title, "issuer": issuer}
    evidence = await service.get_visible_evidence(user, evidence_id)
    current = facts_service.effective_facts(evidence)
    changes = {
        key: value.strip() or None
        for key, value in typed.items()
        if (value.strip() or None) != getattr(current, key)
    }
    try:
        if not changes:
            raise BadInput("Tidak ada fakta yang berubah.")
        try:
            FactsCorrection(**{k: v for k, v in changes.items() if v is not None})
        except ValueError as exc:
            errors = getattr(exc, "errors", lambda: [])()
            message = errors[0]["msg"].removeprefix("Value error, ") if errors else str(exc)
            raise BadInput(f"Fakta tidak valid: {message}.") from None
        await facts_service.correct_facts(user, evidence_id, changes, actor)
    except DomainError as exc:
        return await evidence_page(
            request,
            user,
            evidence_id,
            status_code=exc.status_code,
            facts_error=exc.detail,
            facts_typed=typed,
        )
    flash(request, "Koreksi fakta disimpan.")
    return RedirectResponse(f"/bukti/{evidence_id}#fakta", status_code=303)
