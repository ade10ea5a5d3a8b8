from fastapi import APIRouter
from tortoise import connections

from archive import __version__
from archive.schemas.common import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> HealthOut:
    await connections.get("default").execute_query("SELECT 1")
    return HealthOut(status="ok", version=__version__, database="ok")
