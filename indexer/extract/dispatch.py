"""Route a file to its extractor by media type, and never let an exception escape."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable

from indexer.extract import limits
from indexer.extract.docx import extract_docx
from indexer.extract.image import extract_image
from indexer.extract.pdf import extract_pdf
from indexer.extract.result import ExtractionResult, failed, not_applicable
from indexer.extract.text import extract_text
from indexer.extract.xlsx import extract_xlsx

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/csv"})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/tiff", "image/webp"})


def _handler(
    media_type: str, ocr: bool, ocr_budget_s: float | None
) -> Callable[[str], ExtractionResult]:
    if media_type == PDF:
        return lambda p: extract_pdf(p, ocr_enabled=ocr, ocr_budget_s=ocr_budget_s)
    if media_type == DOCX:
        return extract_docx
    if media_type == XLSX:
        return extract_xlsx
    if media_type in TEXT_TYPES:
        return extract_text
    if media_type in IMAGE_TYPES:
        return lambda p: extract_image(p, ocr_enabled=ocr)
    raise KeyError(media_type)


def extract_file(
    path: str, media_type: str, *, ocr: bool = True, ocr_budget_s: float | None = None
) -> ExtractionResult:
    """Extract text from one stored file; failures come back as results, not exceptions."""
    # MemoryError is the one exception let through: the sandbox reports it as a crash.
    kind = media_type.split(";", 1)[0].strip().lower()
    if kind.startswith(("video/", "audio/")):
        return not_applicable("video and audio carry no text to extract")
    try:
        handler = _handler(kind, ocr, ocr_budget_s)
    except KeyError:
        return not_applicable(f"no text extractor for {kind or 'an unknown type'}")
    if not os.path.isfile(path):
        return failed("file not found")
    started = time.monotonic()
    # Library warnings are kept as data: the child's stderr is not read by anyone.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: ExtractionResult = handler(path)
        except MemoryError:
            raise
        except RecursionError:
            result = failed("the file's structure is nested too deeply")
        except Exception as exc:
            result = failed(f"extraction error: {type(exc).__name__}: {exc}"[:500])
    _cap(result)
    result.meta["seconds"] = round(time.monotonic() - started, 3)
    if caught:
        messages = list(dict.fromkeys(str(w.message)[:200] for w in caught))
        result.meta["warnings"] = messages[:5]
    return result


def _cap(result: ExtractionResult) -> None:
    """Cut the text at MAX_TOTAL_CHARS, keeping whole pages where possible."""
    budget = limits.MAX_TOTAL_CHARS
    if sum(len(p) for p in result.pages) > budget:
        kept: list[str] = []
        for page in result.pages:
            kept.append(page[: max(budget, 0)])
            budget -= len(page)
        result.pages = kept
        result.meta["truncated"] = True
    result.chars = sum(len(p) for p in result.pages)
