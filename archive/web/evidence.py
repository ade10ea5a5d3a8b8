"""Evidence from the pages: the upload form (streamed like the API's) and the download link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from archive.api.deps import SettingsDep
from archive.api.evidence import download as api_download
from archive.api.evidence import get_store
from archive.errors import DomainError
from archive.services import evidence as service
from archive.storage import (
    Upload,
    is_urlencoded,
    receive_form_fields,
    receive_upload,
    safe_filename,
)
from archive.web.innovations import innovation_page
from archive.web.pages import PageActor, PageRoute, PageUser, flash
from archive.web.session import verify_csrf

router = APIRouter(route_class=PageRoute)


@router.post("/inovasi/{innovation_id}/bukti")
async def upload(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    settings: SettingsDep,
) -> Response:
    """Stream the form's file to disk while hashing, exactly as POST /api/.../evidence does.

    The CSRF token travels as a form field of the multipart body, so it is checked in
    ``before_commit``: after the body arrived, before the blob is committed. A refused form
    leaves nothing on disk.
    """
    try:
        innovation = await service.uploadable_innovation(user, innovation_id)
        checked: dict[str, service.EvidenceForm] = {}

        async def validate(upload: Upload) -> None:
            fields = dict(upload.fields)
            verify_csrf(request, fields.pop("csrf", None))
            has_file = upload.media_type is not None
            checked["form"] = await service.check_form(innovation, fields, has_file=has_file)

        if is_urlencoded(request):  # a link needs no multipart body
            received = Upload(fields=await receive_form_fields(request))
            await validate(received)
        else:
            received = await receive_upload(
                request, get_store(settings), settings.max_upload_bytes, before_commit=validate
            )
        form = checked["form"]
        name = safe_filename(received.filename, received.media_type) if received.blob else None
        await service.add_evidence(
            user, innovation, form, received.blob, name, received.media_type, actor
        )
    except DomainError as exc:
        return await innovation_page(
            request, user, innovation_id, status_code=exc.status_code, upload_error=exc.detail
        )
    if received.blob is not None and request.app.state.worker is not None:
        request.app.state.worker.wake()
    what = f"Berkas '{name}'" if name else "Tautan"
    reading = " Berkas sedang dibaca; hasilnya muncul sebentar lagi." if name else ""
    flash(request, f"{what} tersimpan sebagai bukti indikator {form.indicator}.{reading}")
    return RedirectResponse(f"/inovasi/{innovation_id}#bukti", status_code=303)


@router.get("/bukti/{evidence_id}/unduh", response_class=FileResponse)
async def download(
    request: Request, evidence_id: int, user: PageUser, actor: PageActor, settings: SettingsDep
) -> FileResponse:
    """The same bytes, headers and audit event as GET /api/evidence/{id}/file, by session."""
    return await api_download(evidence_id, request, user, actor, get_store(settings))
