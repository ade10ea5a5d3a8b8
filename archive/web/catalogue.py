"""The public catalogue pages: no sign-in, light, shareable (titles, Open Graph, Atom, sitemap)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from archive import links, runtime
from archive.competitions import results as competition_results
from archive.deps import SearchDep, StoreDep
from archive.errors import DomainError, NotFound
from archive.models import Stage
from archive.services import catalogue
from archive.services import search as search_service
from archive.storage import content_disposition
from archive.web.pages import PageRoute, render
from archive.web.search import page_numbers
from archive.web.session import SessionUser

router = APIRouter(route_class=PageRoute)

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The full-text hits a catalogue query may match before the filters narrow them.
MAX_HITS = 500
# Public pages may be cached briefly by the browser and a proxy: they change on publication.
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}


def _base(request: Request) -> str:
    return links.base_url(request)


@router.get("/katalog", response_class=HTMLResponse)
async def index(
    request: Request,
    user: SessionUser,
    search_index: SearchDep,
    q: str = Query(default="", max_length=200),
    year: str = Query(default="", max_length=4),
    unit: str = Query(default="", max_length=32),
    affair: str = Query(default="", max_length=120),
    stage: str = Query(default="", max_length=16),
    type: str = Query(default="", max_length=16),
    page: int = Query(default=1, ge=1, le=1000),
) -> HTMLResponse:
    filters = catalogue.Filters(
        q=q.strip(), year=int(year) if year.isdigit() else None, unit=unit, affair=affair,
        stage=stage if stage in {s.value for s in Stage} else "",
        type=type if type in {"digital", "non digital"} else "",
    )  # fmt: skip
    ids: list[int] | None = None
    error = None
    if filters.q:
        try:
            found = await search_service.search(search_index, None, filters.q, limit=MAX_HITS)
            ids = list(dict.fromkeys(h["innovation_id"] for h in found["hits"]))
        except DomainError as exc:
            error, ids = exc.detail, []
    listing = await catalogue.listing(filters, page, ids)
    query = {k: v for k, v in {"q": q, "year": year, "unit": unit, "affair": affair,
                               "stage": stage, "type": type}.items() if v}  # fmt: skip
    return await render(
        request, "catalogue/index.html", user,
        filters=filters, listing=listing, error=error, base=_base(request),
        announcements=await competition_results.announced() if page == 1 else [],
        page_links=[(n, "?" + urlencode({**query, "page": n}))
                    for n in page_numbers(listing.page, listing.pages)],
        stages=[s.value for s in Stage],
    )  # fmt: skip


@router.get("/katalog/angka", response_class=HTMLResponse)
async def figures(
    request: Request, user: SessionUser, year: str = Query(default="", max_length=4)
) -> HTMLResponse:
    years = await catalogue.years()
    chosen = int(year) if year.isdigit() and int(year) in years else (years[0] if years else None)
    result = await catalogue.figures(chosen) if chosen else None
    return await render(
        request, "catalogue/figures.html", user,
        years=years, figures=result, base=_base(request),
    )  # fmt: skip


@router.get("/katalog/feed.atom")
async def feed(request: Request) -> Response:
    """Atom (RFC 4287) of the innovations most recently published."""
    base = _base(request)
    rows = await catalogue.newest()
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "id"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    sub(root, "id", f"{base}/katalog")
    sub(root, "title", f"Inovasi daerah {runtime.region}")
    sub(root, "subtitle", "Inovasi yang baru dipublikasikan di katalog SEPEDA BARU.")
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    updated = max((r.published_at or r.updated_at for r in rows), default=epoch)
    sub(root, "updated", updated.isoformat())
    sub(root, "link", href=f"{base}/katalog/feed.atom", rel="self", type="application/atom+xml")
    sub(root, "link", href=f"{base}/katalog", rel="alternate", type="text/html")
    author = sub(root, "author")
    sub(author, "name", runtime.region)
    for innovation in rows:
        entry = sub(root, "entry")
        url = f"{base}/katalog/{innovation.id}"
        sub(entry, "id", url)
        sub(entry, "title", innovation.name)
        sub(entry, "updated", (innovation.published_at or innovation.updated_at).isoformat())
        if innovation.published_at:
            sub(entry, "published", innovation.published_at.isoformat())
        sub(entry, "link", href=url, rel="alternate", type="text/html")
        sub(entry, "category", term=str(innovation.year), label=f"Tahun {innovation.year}")
        summary = catalogue.masked(innovation).get("design") or ""
        what = f"{innovation.unit.name}, {innovation.year}. "
        sub(entry, "summary", what + (summary[:400] + ("…" if len(summary) > 400 else "")))
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8", headers=PUBLIC_CACHE)


@router.get("/sitemap.xml")
async def sitemap(request: Request) -> Response:
    base = _base(request)
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, changed in [("/katalog", None), ("/katalog/angka", None), ("/usulan", None)] + [
        (f"/katalog/{innovation_id}", updated)
        for innovation_id, updated in await catalogue.sitemap()
    ]:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = base + path
        if changed:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = changed.date().isoformat()
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/xml", headers=PUBLIC_CACHE)


@router.get("/robots.txt")
async def robots(request: Request) -> Response:
    # Only the catalogue is for crawlers; the rest asks for a sign-in anyway.
    text = (
        "User-agent: *\nAllow: /katalog\nAllow: /usulan$\nDisallow: /\n"
        f"Sitemap: {_base(request)}/sitemap.xml\n"
    )
    return Response(text, media_type="text/plain; charset=utf-8")


@router.get("/katalog/{innovation_id}", response_class=HTMLResponse)
async def detail(request: Request, innovation_id: int, user: SessionUser) -> HTMLResponse:
    innovation = await catalogue.entry(innovation_id)
    return await render(
        request, "catalogue/detail.html", user,
        innovation=innovation, texts=catalogue.masked(innovation),
        affairs=catalogue.split_affairs(innovation.affairs),
        maturity=await catalogue.maturity(innovation),
        documents=await catalogue.public_documents(innovation.id),
        awards=await competition_results.awards_of(innovation.id),
        base=_base(request),
    )  # fmt: skip


@router.get("/katalog/{innovation_id}/dokumen/{evidence_id}")
async def document(innovation_id: int, evidence_id: int, store: StoreDep) -> Response:
    evidence = await catalogue.public_document(innovation_id, evidence_id)
    path = store.path(evidence.blob_id or "")
    if not path.exists():
        raise NotFound("Berkas dokumen tidak tersedia.")
    return FileResponse(
        path,
        media_type=evidence.media_type or "application/octet-stream",
        headers={
            "Content-Disposition": content_disposition(evidence.filename or "dokumen"),
            "X-Content-Type-Options": "nosniff",
            **PUBLIC_CACHE,
        },
    )
