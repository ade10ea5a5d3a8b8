"""Importing an innovation profile document as a draft innovation."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from archive.api.deps import ActorDep, CurrentUser, SettingsDep
from archive.api.openapi import FILE, multipart_body
from archive.services import profile_import as service
from archive.storage import Upload, receive_form

router = APIRouter(tags=["innovations"])

IMPORT_BODY = multipart_body(
    {
        "file": {**FILE, "description": "the profile: DOCX, PDF, TXT or MD"},
        "unit": {"type": "string", "description": "unit code"},
        "year": {"type": "integer"},
    },
    ["file", "unit", "year"],
)


class ImportOut(BaseModel):
    id: int
    fields: dict[str, Any]
    findings: list[dict[str, str]]


@router.post("/innovations/import", status_code=201, openapi_extra=IMPORT_BODY)
async def import_profile(
    request: Request, user: CurrentUser, actor: ActorDep, settings: SettingsDep
) -> ImportOut:
    """A draft innovation filled from a profile document; the document itself is not kept."""
    service.require_importer(user)

    async def validate(upload: Upload) -> service.ImportForm:
        has_file = upload.media_type is not None
        return await service.check_form(user, upload.fields, has_file=has_file)

    worker = request.app.state.worker
    with service.scratch_store(settings) as store:
        upload, form = await receive_form(
            request, store, settings.max_upload_bytes, validate, check=service.check_type
        )
        result = await service.import_profile(
            user,
            form,
            service.ProfileFile.of(store, upload),
            settings,
            worker.supervisor if worker is not None else None,
            actor,
        )
    return ImportOut(**asdict(result))
