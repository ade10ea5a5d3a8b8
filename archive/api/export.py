from typing import Literal

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import FileResponse

from archive.api.deps import ActorDep, SettingsDep, StaffUser
from archive.audit import record
from archive.services.export import build_package
from archive.storage import content_disposition

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
    path = await build_package(
        settings, year=year, unit=unit, innovation_id=innovation, include=include
    )
    background.add_task(path.unlink, missing_ok=True)
    scope = {"year": year, "unit": unit, "innovation": innovation, "include": include}
    await record(actor, "export", "package", None, after=scope)
    name = f"sepeda-baru-{year or 'semua'}{'-' + unit if unit else ''}.zip"
    headers = {
        "Content-Disposition": content_disposition(name),
        "X-Content-Type-Options": "nosniff",
    }
    return FileResponse(path, media_type="application/zip", headers=headers)
