from typing import Any

from fastapi import APIRouter, Query

from archive.api.deps import OptionalUser, SearchDep
from archive.schemas.reports import SearchOut
from archive.services import search as service

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut)
async def search(
    index: SearchDep,
    user: OptionalUser,
    q: str = Query(description='Kata kunci; "frasa", awalan*, -kecuali, a OR b'),
    year: int | None = Query(default=None, ge=2000, le=2100),
    unit: str | None = Query(default=None, max_length=32),
    indicator: str | None = Query(default=None, max_length=64),
    kind: str | None = Query(default=None, max_length=64),
    limit: int = Query(default=20, ge=1, le=100),
    offset: int = Query(default=0, ge=0, le=10_000),
) -> dict[str, Any]:
    return await service.search(
        index,
        user,
        q,
        year=year,
        unit=unit,
        indicator=indicator,
        kind=kind,
        limit=limit,
        offset=offset,
    )
