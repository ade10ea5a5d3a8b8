"""The outcome of one extraction: a plain, picklable record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["done", "no_text", "not_applicable", "encrypted", "failed"]


@dataclass
class ExtractionResult:
    """Text per page plus status, as stored in an evidence row's `extraction`."""

    status: Status
    pages: list[str] = field(default_factory=list)
    page_count: int = 0
    chars: int = 0
    ocr: bool = False
    reason: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready) of every field."""
        return asdict(self)

    @property
    def text(self) -> str:
        """All pages joined with form feeds, the pdftotext convention."""
        return "\f".join(self.pages)


def from_pages(
    pages: list[str],
    *,
    page_count: int | None = None,
    ocr: bool = False,
    meta: dict[str, Any] | None = None,
    empty_reason: str = "no text found",
) -> ExtractionResult:
    """`done` when any page has text, else `no_text` with `empty_reason`."""
    has_text = any(p.strip() for p in pages)
    return ExtractionResult(
        status="done" if has_text else "no_text",
        pages=pages,
        page_count=len(pages) if page_count is None else page_count,
        chars=sum(len(p) for p in pages),
        ocr=ocr,
        reason=None if has_text else empty_reason,
        meta=meta or {},
    )


def failed(reason: str, **meta: Any) -> ExtractionResult:
    """A `failed` result with a human-readable reason."""
    return ExtractionResult(status="failed", reason=reason, meta=dict(meta))


def not_applicable(reason: str | None = None) -> ExtractionResult:
    """A result for media that carry no text (video, links)."""
    return ExtractionResult(status="not_applicable", reason=reason)
