"""Text extraction from untrusted evidence files (PDF, DOCX, XLSX, text, images).

Call `extract_file` inside the sandbox (`indexer.sandbox`), never in a request handler. The
names below load their parsers (pypdf, PDFium, python-docx, openpyxl) on first use, so a web
process that only reads `indexer.extract.result` does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.extract.dispatch import DOCX, IMAGE_TYPES, PDF, TEXT_TYPES, XLSX, extract_file
    from indexer.extract.ocr import available as ocr_available
    from indexer.extract.result import ExtractionResult

_WHERE = {
    "DOCX": ("indexer.extract.dispatch", "DOCX"),
    "IMAGE_TYPES": ("indexer.extract.dispatch", "IMAGE_TYPES"),
    "PDF": ("indexer.extract.dispatch", "PDF"),
    "TEXT_TYPES": ("indexer.extract.dispatch", "TEXT_TYPES"),
    "XLSX": ("indexer.extract.dispatch", "XLSX"),
    "extract_file": ("indexer.extract.dispatch", "extract_file"),
    "ocr_available": ("indexer.extract.ocr", "available"),
    "ExtractionResult": ("indexer.extract.result", "ExtractionResult"),
}

__all__ = [
    "DOCX",
    "IMAGE_TYPES",
    "PDF",
    "TEXT_TYPES",
    "XLSX",
    "ExtractionResult",
    "extract_file",
    "ocr_available",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'indexer.extract' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), attribute)
