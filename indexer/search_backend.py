"""What the archive may rely on from any search backend: document and result shapes, errors.

`indexer.search.SearchIndex` (Whoosh) implements `SearchBackend`; a PostgreSQL full-text or
OpenSearch backend would implement the same protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

# typing_extensions: pydantic serves these as API response models (Python < 3.12).
from typing_extensions import TypedDict

from indexer.query import MAX_QUERY_LENGTH, QueryTooLong

__all__ = [
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
    suggestion: str | None
    matched: str
    hits: list[SearchHit]


class IndexBusy(RuntimeError):
    """Another writer holds the index lock (only one writer process may run)."""


class SearchBackend(Protocol):
    """A full-text index of evidence pages and innovation profiles."""

    needs_rebuild: bool

    def add(self, docs: Iterable[Document]) -> int: ...

    def update(self, docs: Iterable[Document]) -> int: ...

    def delete(
        self,
        doc_ids: Iterable[str] = (),
        *,
        evidence_ids: Iterable[int] = (),
        innovation_ids: Iterable[int] = (),
    ) -> None: ...

    def search(
        self,
        query: str,
        *,
        allowed_innovation_ids: set[int] | None,
        only_published: bool = False,
        year: int | None = None,
        unit: str | None = None,
        indicator: str | None = None,
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResult: ...

    def rebuild(
        self, docs: Iterable[Document], progress: Callable[[int], Any] | None = None
    ) -> int: ...

    def close(self) -> None: ...
