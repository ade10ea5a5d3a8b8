"""What every backend indexes of one document, decided once: masked text, names, numbers.

Both backends (Whoosh in `indexer.search`, PostgreSQL in `indexer.pg_backend`) call
`prepare`, so masking, the document's own number and the cited numbers are the same whatever
the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from indexer.analysis import normalize_text
from indexer.identifiers import compact as compact_number
from indexer.identifiers import extract_identifiers, own_number
from indexer.redact import mask_personal_numbers
from indexer.search_backend import Document, EvidencePage

# Filter fields a search may restrict on, besides permissions.
FILTER_KEYS = ("indicator", "unit", "year", "kind", "status")


@dataclass(frozen=True)
class Prepared:
    """One document as any backend stores it (NIK/NIP already masked)."""

    doc_id: str
    type: str
    innovation_id: int
    evidence_id: int | None
    page: int | None
    text: str
    names: str
    innovation_name: str | None
    filename: str | None
    number_text: str | None
    own_number: str | None
    cited_numbers: tuple[str, ...]
    published: bool
    filters: dict[str, str]


def prepare(doc: Document) -> Prepared:
    """Mask, find the own and cited numbers, and gather the filters of ``doc``."""
    text = mask_personal_numbers(normalize_text(doc.get("text") or ""))
    is_evidence = doc.get("type", "evidence") == "evidence"
    page = cast(EvidencePage, doc)  # read only when ``is_evidence``
    number = page.get("number") if is_evidence else None
    own = compact_number(number) if number else None
    if is_evidence and not own and doc.get("page", 1) == 1:
        own = own_number(text)  # no detected number: trust the heading of page 1
    flat = cast(dict[str, Any], doc)
    return Prepared(
        doc_id=str(doc["doc_id"]),
        type="evidence" if is_evidence else "innovation",
        innovation_id=int(doc["innovation_id"]),
        evidence_id=int(page["evidence_id"]) if is_evidence else None,
        page=page.get("page") if is_evidence else None,
        text=text,
        names=" ".join(str(flat.get(k) or "") for k in ("filename", "innovation_name")),
        innovation_name=doc.get("innovation_name"),
        filename=page.get("filename") if is_evidence else None,
        number_text=number,
        own_number=own or None,
        cited_numbers=tuple(extract_identifiers(text)),
        published=bool(doc.get("published")),
        filters={k: str(flat[k]) for k in FILTER_KEYS if flat.get(k) not in (None, "")},
    )
