"""Tables as CSV (UTF-8 with BOM, for Excel) and XLSX, with formula-like cells escaped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import Response

from archive.storage import content_disposition

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """A value that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
) -> bytes:
    """CSV with a BOM. Indonesian Excel expects ``;`` between cells and ``,`` in decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        cells = [safe_cell(v) for v in row]
        if decimal_comma:
            cells = [str(c).replace(".", ",") if isinstance(c, float) else c for c in cells]
        writer.writerow(cells)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data") -> bytes:
    return to_workbook([(title, columns, rows)])


def to_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX with one sheet per ``(title, columns, rows)``, bold headers, sized columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_xlsx_cell(c) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    """`safe_cell`, without the control characters an XLSX cannot hold (stored before input
    dropped them, or read from a document)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def attachment(body: bytes, media_type: str, name: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "X-Content-Type-Options": "nosniff",
        },
    )


def table_response(
    fmt: str, columns: Sequence[str], rows: list[Sequence[Any]], filename: str
) -> Response:
    """The table as a CSV or XLSX attachment."""
    if fmt == "xlsx":
        body, media_type, name = to_xlsx(columns, rows), XLSX_TYPE, f"{filename}.xlsx"
    else:
        body, media_type, name = to_csv(columns, rows), CSV_TYPE, f"{filename}.csv"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "X-Content-Type-Options": "nosniff",
        },
    )
