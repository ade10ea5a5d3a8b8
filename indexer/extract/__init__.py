"""Text extraction from untrusted evidence files (PDF, DOCX, XLSX, text, images)."""

# Call `extract_file` inside the sandbox (`indexer.sandbox`), never in a request handler.

from indexer.extract.dispatch import DOCX, IMAGE_TYPES, PDF, TEXT_TYPES, XLSX, extract_file
from indexer.extract.ocr import available as ocr_available
from indexer.extract.result import ExtractionResult

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
