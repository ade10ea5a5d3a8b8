from typing import Literal

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import FileResponse

from archive import downloads
from archive.api.deps import ActorDep, SettingsDep, StaffUser

router = APIRouter(tags=["export"])


@router.get("/export", response_class=FileResponse)
async def export(
    staff: StaffUser,
    actor: ActorDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    year: int | None = Query(default=None, ge=2000, le=2100),
    unit: str | None = Query(default=None, max_length=32),
    innovation: int | None = None,
    include: Literal["verified", "all"] = "verified",
) -> FileResponse:
    """A ZIP for the national portal: by default the evidence of indicators a verifier accepted."""
    return await downloads.national_package(
        settings, background, actor, year=year, unit=unit, innovation=innovation, include=include
    )
