"""The region's own (SPD) indicators of a year: levels, evidence, the SPD score."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from archive.api.deps import ActorDep, CurrentUser, SettingsDep, StaffUser, StoreDep
from archive.api.openapi import evidence_body
from archive.job_signal import jobs_queued
from archive.models import RegionalIndicator
from archive.schemas.common import Strict
from archive.schemas.evidence import EvidenceOut
from archive.schemas.reports import RegionalIndicatorOut, RegionalView
from archive.services import regional
from archive.services.evidence import evidence_out
from archive.services.report_tables import require_reader
from archive.storage import (
    Upload,
    receive_form,
    safe_filename,
)

router = APIRouter(prefix="/periods", tags=["regional"])

UPLOAD_BODY = evidence_body("regional (SPD) indicator code")


class RegionalClaimIn(Strict):
    claimed_level: int = Field(ge=0, le=3)
    note: str | None = Field(default=None, max_length=5000)


@router.put("/{year}/indicators/{code}")
async def set_indicator(
    year: int, code: str, body: RegionalClaimIn, staff: StaffUser, actor: ActorDep
) -> RegionalIndicatorOut:
    row = await regional.set_indicator(year, code, body.claimed_level, body.note, actor)
    return _indicator_out(row)


class RegionalReviewIn(Strict):
    verified_level: int = Field(ge=0, le=3)
    note: str | None = Field(default=None, max_length=5000)


def _indicator_out(row: RegionalIndicator) -> RegionalIndicatorOut:
    return RegionalIndicatorOut(year=row.year, indicator=row.indicator,
                                claimed_level=row.claimed_level,
                                verified_level=row.verified_level, note=row.note)  # fmt: skip


@router.post("/{year}/indicators/{code}/review")
async def review_indicator(
    year: int, code: str, body: RegionalReviewIn, user: CurrentUser, actor: ActorDep
) -> RegionalIndicatorOut:
    """A verifier records the SPD level the region's evidence proves (level > 0 needs evidence)."""
    row = await regional.review_indicator(user, year, code, body.verified_level, body.note, actor)
    return _indicator_out(row)


@router.post("/{year}/evidence", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload_evidence(
    year: int,
    request: Request,
    staff: StaffUser,
    actor: ActorDep,
    settings: SettingsDep,
    store: StoreDep,
) -> EvidenceOut:
    """Stream the body to disk while hashing, like innovation evidence."""
    await regional.period_pack(year)  # 404 before reading a body for a year without a period

    async def validate(upload: Upload) -> regional.RegionalForm:
        has_file = upload.media_type is not None
        return await regional.check_form(year, upload.fields, has_file=has_file)

    upload, form = await receive_form(
        request, store, settings.max_upload_bytes, validate, links=True
    )
    name = safe_filename(upload.filename, upload.media_type) if upload.blob else None
    evidence = await regional.add_regional_evidence(
        staff, year, form, upload.blob, name, upload.media_type, actor
    )
    if upload.blob is not None:
        await jobs_queued(request.app)
    return await evidence_out(evidence)


@router.delete("/{year}/evidence/{evidence_id}", status_code=204)
async def delete_evidence(
    year: int, evidence_id: int, staff: StaffUser, actor: ActorDep
) -> Response:
    await regional.delete_regional_evidence(staff, year, evidence_id, actor)
    return Response(status_code=204)


@router.get("/{year}/regional", response_model=RegionalView)
async def get_regional(year: int, user: CurrentUser) -> dict[str, Any]:
    """The year's SPD indicators with levels, evidence and the SPD score (staff, verifiers)."""
    require_reader(user)
    return await regional.regional_view(year)
