"""The search page: a form, ranked hits with highlighted snippets, paging and a suggestion."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from archive.deps import SearchDep
from archive.errors import DomainError
from archive.models import Unit
from archive.services import search as service
from archive.services.rules import newest_period_year, rulepack_for_year
from archive.timeutil import utcnow
from archive.web.pages import PageRoute, PageUser, render
from checklist.facts import KINDS

router = APIRouter(route_class=PageRoute)

PER_PAGE = 10
MAX_PAGE = 500


def page_numbers(page: int, pages: int, around: int = 3) -> list[int]:
    """The page numbers to link: the first, the last, and a window around the current one."""
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    return sorted(n for n in shown if 1 <= n <= pages)


@router.get("/cari", response_class=HTMLResponse)
async def search_page(
    request: Request,
    user: PageUser,
    index: SearchDep,
    q: str = Query(default="", max_length=500),
    year: str = Query(default="", max_length=4),
    unit: str = Query(default="", max_length=32),
    indicator: str = Query(default="", max_length=64),
    kind: str = Query(default="", max_length=64),
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
) -> HTMLResponse:
    # Empty select boxes arrive as "": they mean "any".
    filters = {"year": year, "unit": unit, "indicator": indicator, "kind": kind}
    year_value = int(year) if year.isdigit() else None
    result: dict[str, Any] | None = None
    error = None
    if q.strip():
        try:
            result = await service.search(
                index,
                user,
                q,
                year=year_value,
                unit=unit or None,
                indicator=indicator or None,
                kind=kind or None,
                limit=PER_PAGE,
                offset=(page - 1) * PER_PAGE,
            )
        except DomainError as exc:
            error = exc.detail
    pages = -(-result["total"] // PER_PAGE) if result else 0

    def link(**changes: Any) -> str:
        params = {"q": q, **filters, "page": page, **changes}
        return "/cari?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    # The filter lists the indicators of the year asked for, else of the newest period's.
    pack = await rulepack_for_year(year_value or await newest_period_year() or utcnow().year)
    return await render(
        request,
        "search/index.html",
        user,
        q=q,
        filters=filters,
        result=result,
        error=error,
        page=page,
        pages=pages,
        numbers=page_numbers(page, pages) if pages else [],
        link=link,
        units=await Unit.all().order_by("name"),
        indicators=[(i.code, i.name) for i in pack.indicators],
        kinds=KINDS,
    )
