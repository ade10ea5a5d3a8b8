"""The JSON API under ``/api``: thin routes over the domain services."""

from fastapi import APIRouter, Depends

from archive.api import (
    audit,
    auth,
    checklists,
    collaboration,
    competitions,
    evidence,
    export,
    facts,
    health,
    imports,
    innovations,
    periods,
    regional,
    reports,
    search,
    units,
    users,
    workflow,
)
from archive.api.deps import password_state_checked


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api")
    router.include_router(health.router)
    router.include_router(auth.router)
    # Everything else refuses an account that still has to change a printed password, even
    # on routes that anonymous visitors may call.
    for module in (
        units,
        users,
        periods,
        imports,
        innovations,
        evidence,
        facts,
        checklists,
        regional,
        reports,
        search,
        workflow,
        collaboration,
        competitions,
        audit,
        export,
    ):
        router.include_router(module.router, dependencies=[Depends(password_state_checked)])
    return router
