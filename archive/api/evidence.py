from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from archive import downloads
from archive.api.deps import ActorDep, CurrentUser, OptionalUser, SettingsDep, StoreDep
from archive.api.openapi import evidence_body
from archive.job_signal import jobs_queued
from archive.schemas.evidence import EvidenceOut, EvidenceText
from archive.services import evidence as service
from archive.storage import (
    Upload,
    receive_form,
    safe_filename,
)

router = APIRouter(tags=["evidence"])

UPLOAD_BODY = evidence_body("indicator code of the rule pack")


@router.post("/innovations/{innovation_id}/evidence", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload_evidence(
    innovation_id: int,
    request: Request,
    user: CurrentUser,
    actor: ActorDep,
    settings: SettingsDep,
    store: StoreDep,
) -> EvidenceOut:
    """Stream the body to disk while hashing; no Form or File parameters, so nothing spools."""
    innovation = await service.uploadable_innovation(user, innovation_id)

    async def validate(upload: Upload) -> service.EvidenceForm:
        # A file is present when it was sniffed; a link needs no multipart body.
        has_file = upload.media_type is not None
        return await service.check_form(innovation, upload.fields, has_file=has_file)

    upload, form = await receive_form(
        request, store, settings.max_upload_bytes, validate, links=True
    )
    name = safe_filename(upload.filename, upload.media_type) if upload.blob else None
    evidence = await service.add_evidence(
        user, innovation, form, upload.blob, name, upload.media_type, actor
    )
    if upload.blob is not None:
        await jobs_queued(request.app)
    return await service.evidence_out(evidence)


@router.get("/innovations/{innovation_id}/evidence")
async def list_evidence(innovation_id: int, user: OptionalUser) -> list[EvidenceOut]:
    rows = await service.list_current(user, innovation_id)
    return [await service.evidence_out(row) for row in rows]


@router.get("/evidence/{evidence_id}")
async def get_evidence(evidence_id: int, user: OptionalUser) -> EvidenceOut:
    return await service.evidence_out(await service.get_visible_evidence(user, evidence_id))


@router.get("/evidence/{evidence_id}/versions")
async def list_versions(evidence_id: int, user: OptionalUser) -> list[EvidenceOut]:
    return [
        await service.evidence_out(row) for row in await service.list_versions(user, evidence_id)
    ]


@router.get("/evidence/{evidence_id}/file", response_class=FileResponse)
async def download(
    evidence_id: int, request: Request, user: OptionalUser, actor: ActorDep, store: StoreDep
) -> FileResponse:
    evidence = await service.get_visible_evidence(user, evidence_id)
    return await downloads.evidence_file(evidence, request, store, actor)


@router.get("/evidence/{evidence_id}/text")
async def get_text(evidence_id: int, user: OptionalUser) -> EvidenceText:
    """The text read from the document, per page; NIK and NIP numbers are masked."""
    return await service.evidence_text(await service.get_visible_evidence(user, evidence_id))


@router.delete("/evidence/{evidence_id}", status_code=204)
async def delete_evidence(evidence_id: int, user: CurrentUser, actor: ActorDep) -> Response:
    await service.delete_evidence(user, evidence_id, actor)
    return Response(status_code=204)
