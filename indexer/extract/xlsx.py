"""XLSX text: one page per worksheet, one line per row, cells separated by tabs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import openpyxl

from indexer.extract import limits, zipguard
from indexer.extract.result import ExtractionResult, failed, from_pages


def extract_xlsx(path: str) -> ExtractionResult:
    """Extract every worksheet in streaming (read-only) mode."""
    try:
        zipguard.check_office(path)
    except zipguard.UnsafeArchive as exc:
        return failed(str(exc))
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        return failed(f"cannot open XLSX: {type(exc).__name__}: {exc}")
    pages: list[str] = []
    budget = limits.MAX_TOTAL_CHARS
    truncated = False
    try:
        for sheet in workbook.worksheets:
            # Declared dimensions are often wrong and would pad rows with empty cells.
            sheet.reset_dimensions()
            lines: list[str] = []
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join(_cell(v) for v in row).rstrip("\t")
                if not line.strip():
                    continue
                budget -= len(line) + 1
                if budget < 0:
                    truncated = True
                    break
                lines.append(line)
            pages.append("\n".join(lines))
            if truncated:
                break
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    meta: dict[str, Any] = {"sheets": names}
    if truncated:
        meta["truncated"] = True
    return from_pages(
        pages, page_count=len(pages), meta=meta, empty_reason="the workbook contains no values"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\t", " ").replace("\n", " ")
