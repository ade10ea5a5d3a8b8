"""Search: index documents built from the database (the truth), and permission-aware queries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from archive.errors import BadRequest
from archive.models import Blob, Evidence, Innovation, InnovationStatus, Unit, User
from archive.scoping import READ_ALL, visible_innovations
from archive.services.inputs import effective_facts
from indexer.search_backend import (
    MAX_INDEXED_PAGES,
    MAX_QUERY_LENGTH,
    QueryTooLong,
    SearchBackend,
)

# Evidence files read per batch by a rebuild (their pages are in memory together).
REBUILD_BATCH = 200
HIT_KEYS = (
    "type",
    "evidence_id",
    "innovation_id",
    "filename",
    "indicator",
    "kind",
    "unit",
    "page",
    "score",
    "snippet",
    "innovation_name",
    "year",
)
PROFILE_TEXT_FIELDS = [
    "name",
    "made_by",
    "initiator",
    "form",
    "affairs",
    "design",
    "goals",
    "benefits",
    "results",
]


async def innovation_document(innovation: Innovation, unit: Unit) -> dict[str, Any]:
    text = "\n".join(str(getattr(innovation, f) or "") for f in PROFILE_TEXT_FIELDS)
    return {
        "doc_id": f"i{innovation.id}",
        "type": "innovation",
        "innovation_id": innovation.id,
        "text": text,
        "innovation_name": innovation.name,
        "unit": unit.code,
        "year": innovation.year,
        "status": str(innovation.status),
        "published": innovation.status == InnovationStatus.PUBLISHED,
    }


async def evidence_documents(
    evidence: Evidence, innovation: Innovation, unit: Unit
) -> list[dict[str, Any]]:
    """One document per page; a file without text (a photo, a link) is still found by name."""
    blob = await Blob.get_or_none(sha256=evidence.blob_id) if evidence.blob_id else None
    return evidence_pages(evidence, innovation, unit, blob)


def evidence_pages(
    evidence: Evidence, innovation: Innovation, unit: Unit, blob: Blob | None
) -> list[dict[str, Any]]:
    pages = (blob.pages or []) if blob else []
    facts = effective_facts(evidence)
    base = {
        "type": "evidence",
        "evidence_id": evidence.id,
        "innovation_id": innovation.id,
        "filename": evidence.filename or evidence.url or "",
        "indicator": evidence.indicator,
        "unit": unit.code,
        "year": innovation.year,
        "innovation_name": innovation.name,
        "kind": facts.kind,
        "number": facts.number,
        "status": str(innovation.status),
        "published": innovation.status == InnovationStatus.PUBLISHED,
    }
    return [
        {**base, "doc_id": f"e{evidence.id}p{number}", "page": number, "text": text}
        for number, text in enumerate((pages or [""])[:MAX_INDEXED_PAGES], start=1)
    ]


async def documents_for(ref: str) -> tuple[list[dict[str, Any]], list[int], list[int]]:
    """What an outbox job means now: (documents to write, evidence and innovations to drop).

    Writing an evidence's pages replaces all its earlier pages, so only what is gone is dropped.
    """
    kind, number = ref[0], int(ref[1:])
    if kind == "e":
        evidence = await Evidence.get_or_none(id=number)
        gone = evidence is None or evidence.deleted_at is not None or not evidence.is_current
        if gone or evidence.innovation_id is None:  # regional evidence is not searched
            return [], [number], []
        innovation = await Innovation.get(id=evidence.innovation_id)
        unit = await Unit.get(id=innovation.unit_id)
        return await evidence_documents(evidence, innovation, unit), [], []
    innovation = await Innovation.get_or_none(id=number)
    if innovation is None:
        return [], [], [number]
    unit = await Unit.get(id=innovation.unit_id)
    docs = [await innovation_document(innovation, unit)]
    for evidence in await Evidence.filter(innovation_id=number, is_current=True, deleted_at=None):
        # Their pages carry the innovation's name and status too.
        docs += await evidence_documents(evidence, innovation, unit)
    return docs, [], []


async def document_batches(
    batch: int = REBUILD_BATCH, progress: Callable[[int], Any] | None = None
) -> AsyncIterator[list[Any]]:  # Any: list[Document] is invariant
    """Every document the index should hold, for a rebuild: the profiles, then the pages of
    ``batch`` evidence files at a time (two queries a batch, never one per file), so no list
    of every page is ever in memory. ``progress`` gets the number of files read so far (see
    `evidence_count`)."""
    units = {u.id: u for u in await Unit.all()}
    innovations = {i.id: i for i in await Innovation.all()}
    yield [await innovation_document(i, units[i.unit_id]) for i in innovations.values()]
    current = Evidence.filter(is_current=True, deleted_at=None, innovation_id__isnull=False)
    last = files = 0
    while rows := await current.filter(id__gt=last).order_by("id").limit(batch):
        last = rows[-1].id
        files += len(rows)
        shas = {e.blob_id for e in rows if e.blob_id}
        blobs = {b.sha256: b for b in await Blob.filter(sha256__in=shas)} if shas else {}
        docs: list[dict[str, Any]] = []
        for evidence in rows:
            innovation = innovations[evidence.innovation_id]
            unit = units[innovation.unit_id]
            blob = blobs.get(evidence.blob_id) if evidence.blob_id else None
            docs += evidence_pages(evidence, innovation, unit, blob)
        yield docs
        if progress is not None:
            progress(files)


async def evidence_count() -> int:
    """How many files a rebuild reads (for its progress bar)."""
    return await Evidence.filter(
        is_current=True, deleted_at=None, innovation_id__isnull=False
    ).count()


async def search(
    index: SearchBackend,
    user: User | None,
    query: str,
    *,
    year: int | None = None,
    unit: str | None = None,
    indicator: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Ranked hits the caller may see; permissions are part of the query, not a later filter."""
    if not query.strip():
        raise BadRequest("Kata kunci pencarian kosong.")
    doc_type = None
    if user is None:
        # Anonymous visitors read the published catalogue: profiles, not evidence pages, which
        # may carry personal data.
        allowed, only_published, doc_type = None, True, "innovation"
    elif user.role in READ_ALL:
        allowed, only_published = None, False
    else:
        ids = await visible_innovations(user).values_list("id", flat=True)
        allowed, only_published = set(ids), False
    try:
        result = await index.search(
            query,
            allowed_innovation_ids=allowed,
            only_published=only_published,
            year=year,
            unit=unit,
            indicator=indicator,
            kind=kind,
            doc_type=doc_type,
            limit=limit,
            offset=offset,
        )
    except QueryTooLong as exc:
        raise BadRequest(
            f"Kata kunci terlalu panjang (lebih dari {MAX_QUERY_LENGTH} karakter)."
        ) from exc
    return await _drop_stale(result)


async def _drop_stale(result: dict[str, Any]) -> dict[str, Any]:
    """Drop hits of evidence deleted or replaced since the index last heard of it.

    The database is the truth and the index catches up within a second; until it does, a
    deletion must already count.
    """
    ids = [h["evidence_id"] for h in result["hits"] if h.get("evidence_id") is not None]
    live = set(
        await Evidence.filter(id__in=ids, deleted_at=None, is_current=True).values_list(
            "id", flat=True
        )
    )
    hits = [
        {key: hit.get(key) for key in HIT_KEYS}
        for hit in result["hits"]
        if hit.get("evidence_id") is None or hit["evidence_id"] in live
    ]
    dropped = len(result["hits"]) - len(hits)
    return {
        "total": max(0, result["total"] - dropped),
        "estimated": bool(result.get("estimated")),
        "suggestion": result.get("suggestion"),
        "hits": hits,
    }
