"""What the archive may rely on from any search backend: document and result shapes, errors.

Two backends implement `SearchBackend`: `indexer.whoosh_backend.WhooshBackend` (files, the
embedded default) and `indexer.pg_backend.PostgresSearch` (PostgreSQL full-text search, shared
by any number of processes). `archive` knows only this protocol and one factory.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable
from typing import Any, Literal, Protocol

# typing_extensions: pydantic serves these as API response models (Python < 3.12).
from typing_extensions import TypedDict

from indexer.query import MAX_QUERY_LENGTH, QueryTooLong

# At most this many hits per request; deep pages cost a heap of offset+limit hits and nobody
# reads past `MAX_OFFSET`.
MAX_LIMIT = 200
MAX_OFFSET = 10_000
# Pages of one file that are indexed: a 250,000-page PDF (one line a page) once took the
# index writer minutes and hundreds of MB; past this the file is found by its first pages and
# its name, and the evidence page says so.
MAX_INDEXED_PAGES = 2_000

__all__ = [
    "MAX_INDEXED_PAGES",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_QUERY_LENGTH",
    "Document",
    "EvidencePage",
    "IndexBusy",
    "InnovationProfile",
    "QueryTooLong",
    "SearchBackend",
    "SearchHit",
    "SearchResult",
]


class EvidencePage(TypedDict, total=False):
    """One page of an evidence file; ``doc_id`` is ``f"e{evidence_id}p{page}"``."""

    doc_id: str
    type: Literal["evidence"]
    evidence_id: int
    innovation_id: int
    page: int
    text: str
    filename: str
    indicator: str
    unit: str
    year: int
    innovation_name: str
    kind: str | None
    number: str | None
    status: str
    published: bool


class InnovationProfile(TypedDict, total=False):
    """An innovation's profile text; ``doc_id`` is ``f"i{innovation_id}"``."""

    doc_id: str
    type: Literal["innovation"]
    innovation_id: int
    text: str
    innovation_name: str
    unit: str
    year: int
    status: str
    published: bool


Document = EvidencePage | InnovationProfile


class SearchHit(TypedDict):
    """One matching page or profile; ``snippet`` is HTML with matches in ``<mark>``."""

    type: str
    doc_id: str
    evidence_id: int | None
    innovation_id: int
    innovation_name: str | None
    filename: str | None
    indicator: str | None
    kind: str | None
    unit: str | None
    year: int | None
    page: int | None
    score: float
    snippet: str


class SearchResult(TypedDict):
    """The body of ``GET /api/search`` (plus ``matched``: ``all`` words, or ``any`` as fallback)."""

    total: int
    # The total of a quoted phrase with too many candidates to check each one is estimated
    # from a random sample of them (Whoosh); the hits shown are always checked.
    estimated: bool
    suggestion: str | None
    matched: str
    hits: list[SearchHit]


def no_results() -> SearchResult:
    """The answer of a search that finds nothing (or may see nothing)."""
    return {"total": 0, "estimated": False, "suggestion": None, "matched": "all", "hits": []}


class IndexBusy(RuntimeError):
    """Another writer holds the index lock (only one writer process may run)."""


class SearchBackend(Protocol):
    """A full-text index of evidence pages and innovation profiles: what `archive` may call.

    Async so that a backend over a database (PostgreSQL) and one over files (Whoosh, whose
    calls run in a thread) look alike. Writers are the worker and `sepeda reindex`; readers
    are any number of web processes. Every backend passes the contract suite
    (``tests/indexer/test_backend_contract.py``).
    """

    #: ``"whoosh"`` or ``"postgres"``: shown by `/api/health` and `sepeda fsck`.
    name: str

    async def state(self) -> Literal["ok", "missing", "outdated"]:
        """Whether the index exists and was built by this version of the analysis."""
        ...

    async def update(self, docs: Iterable[Document]) -> int:
        """Add or replace documents; an evidence's pages in the batch replace all its pages."""
        ...

    async def delete(
        self,
        doc_ids: Iterable[str] = (),
        *,
        evidence_ids: Iterable[int] = (),
        innovation_ids: Iterable[int] = (),
    ) -> None:
        """Remove documents by id, whole evidences (all pages), or whole innovations."""
        ...

    async def search(
        self,
        query: str,
        *,
        allowed_innovation_ids: set[int] | None,
        only_published: bool = False,
        year: int | None = None,
        unit: str | None = None,
        indicator: str | None = None,
        kind: str | None = None,
        doc_type: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResult:
        """Hits the caller may see (permissions inside the query), with a spelling suggestion
        built only from visible documents; raises only `QueryTooLong`."""
        ...

    async def rebuild(
        self,
        batches: AsyncIterable[list[Document]],
        progress: Callable[[int], Any] | None = None,
    ) -> int:
        """Replace the whole index with ``batches``; searches see the old one until the end."""
        ...

    async def doc_ids(self) -> set[str]:
        """Every indexed document id (for `sepeda fsck`)."""
        ...

    async def doc_count(self) -> int: ...

    async def close(self) -> None: ...


async def needs_rebuild(backend: SearchBackend) -> bool:
    """True when the index is missing or was built by another version of the analysis."""
    return await backend.state() != "ok"
