"""DOCX text: headers, body paragraphs and tables in document order, footers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from indexer.extract import zipguard
from indexer.extract.result import ExtractionResult, failed, from_pages

_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def extract_docx(path: str) -> ExtractionResult:
    """Extract a DOCX as one page (Word keeps no page layout in the file)."""
    try:
        zipguard.check_office(path)
    except zipguard.UnsafeArchive as exc:
        return failed(str(exc))
    try:
        document = docx.Document(path)
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        return failed(f"cannot open DOCX: {type(exc).__name__}: {exc}")
    headers, footers = _headers_footers(document)
    body = list(_blocks(document))
    text = "\n".join(line for line in [*headers, *body, *footers] if line.strip())
    meta: dict[str, Any] = _core_meta(document)
    meta["headers"] = len(headers)
    meta["footers"] = len(footers)
    return from_pages([text], meta=meta, empty_reason="the document contains no text")


def _blocks(container: Any) -> Iterator[str]:
    # iter_inner_content keeps paragraphs and tables in the order they appear.
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield _paragraph_text(block)
        elif isinstance(block, Table):
            yield from _table_lines(block)


def _paragraph_text(paragraph: Paragraph) -> str:
    parts = [paragraph.text]
    # Letterheads often sit in text boxes, which Paragraph.text skips. The VML fallback
    # of a text box repeats the same text, so only the DrawingML choice is read.
    for box in paragraph._p.iter(_TXBX):
        if any(anc.tag == _FALLBACK for anc in box.iterancestors()):
            continue
        parts.extend("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in box.iter(qn("w:p")))
    return "\n".join(p for p in parts if p)


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # Merged cells come back once per grid column; keep each cell once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(line for line in _blocks(cell) if line.strip()))
        line = " | ".join(cells)
        if line.strip(" |"):
            yield line


def _headers_footers(document: Document) -> tuple[list[str], list[str]]:
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for kind, out in (("header", headers), ("footer", footers)):
            for attr in (f"first_page_{kind}", kind, f"even_page_{kind}"):
                part = getattr(section, attr)
                if part.is_linked_to_previous:
                    continue
                text = "\n".join(line for line in _blocks(part) if line.strip())
                if text and text not in out:
                    out.append(text)
    return headers, footers


def _core_meta(document: Document) -> dict[str, Any]:
    props = document.core_properties
    meta: dict[str, Any] = {}
    for key in ("title", "author", "subject"):
        value = getattr(props, key, None)
        if value:
            meta[key] = value
    if props.created:
        meta["created"] = props.created.isoformat()
    return meta
