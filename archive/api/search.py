from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from archive.api.deps import OptionalUser, SettingsDep
from archive.services import search as service
from indexer.search import SearchIndex
from indexer.search_backend import SearchResult

router = APIRouter(tags=["search"])


def get_search_index(request: Request, settings: SettingsDep) -> SearchIndex:
    """One reader per app; every query opens a fresh searcher, so it sees the latest commit."""
    index = getattr(request.app.state, "search_index", None)
    if index is None:
        index = SearchIndex.open(settings.index_dir, create=False)
        request.app.state.search_index = index
    return index


SearchIndexDep = Annotated[SearchIndex, Depends(get_search_index)]


@router.get("/search", response_model=SearchResult)
async def search(
    index: SearchIndexDep,
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
