"""Plain text files: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""

from __future__ import annotations

import codecs

from indexer.extract import limits
from indexer.extract.result import ExtractionResult, from_pages

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decoded text and the charset that was used."""
    for bom, charset in _BOMS:
        if data.startswith(bom):
            return data.decode(charset, "replace"), charset
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Office PCs in Indonesia write Windows-1252; its five unassigned bytes are replaced.
    return data.decode("cp1252", "replace"), "cp1252"


def extract_text(path: str) -> ExtractionResult:
    """Read a text file; form feeds separate pages, as pdftotext writes them."""
    with open(path, "rb") as fh:
        data = fh.read(limits.TEXT_MAX_BYTES + 1)
    truncated = len(data) > limits.TEXT_MAX_BYTES
    text, charset = decode(data[: limits.TEXT_MAX_BYTES])
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    pages = text.split("\f")
    meta: dict[str, object] = {"charset": charset}
    if truncated:
        meta["truncated"] = True
    return from_pages(pages, meta=meta, empty_reason="the file is empty")
