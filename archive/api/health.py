from fastapi import APIRouter
from tortoise import connections

from archive import __version__

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict:
    await connections.get("default").execute_query("SELECT 1")
    return {"status": "ok", "version": __version__, "database": "ok"}
