from fastapi import APIRouter, Request, Response

from archive import __version__
from archive.deps import SettingsDep, get_search
from archive.schemas.common import HealthOut
from archive.services import health as service

router = APIRouter(tags=["health"])


@router.get("/health", responses={503: {"model": HealthOut}})
async def health(request: Request, response: Response, settings: SettingsDep) -> HealthOut:
    """Database, blob store, search index, worker heartbeat and queue; 503 when nothing can be
    stored, "degraded" (still 200) when uploads would wait to be read or found; see the contract."""
    worker = request.app.state.worker
    running = None if worker is None else worker.running
    # The app's own search backend, opened once: a monitor polling every second must not
    # open an index reader (or check a table) on every call.
    try:
        search = await get_search(request, settings)
    except Exception:  # unreadable or unreachable: the check reports it
        search = None
    report = await service.check(settings, worker_running=running, search=search)
    if not report.serving:
        response.status_code = 503
    return HealthOut(status=report.status, version=__version__, checks=report.checks)
