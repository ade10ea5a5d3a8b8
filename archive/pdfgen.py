"""A minimal PDF writer: text pages in Helvetica, for the demo's generated documents and tests."""

from __future__ import annotations

PAGE = (
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[{kids}]/Count {count}>>endobj\n"
)


def pdf_bytes(*pages: str | list[str]) -> bytes:
    """A valid PDF; each page is a line or a list of lines of text (Latin-1)."""
    objects: list[bytes] = []
    kids = []
    font_id = 3 + 2 * len(pages)
    for index, text in enumerate(pages):
        page_id, content_id = 3 + 2 * index, 4 + 2 * index
        kids.append(f"{page_id} 0 R")
        lines = [text] if isinstance(text, str) else list(text)
        shown = " T* ".join(f"({_escape(line)}) Tj" for line in lines)
        stream = f"BT /F1 11 Tf 14 TL 50 790 Td {shown} ET".encode("latin-1", "replace")
        objects.append(
            f"{page_id} 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
            f"/Resources<</Font<</F1 {font_id} 0 R>>>>/Contents {content_id} 0 R>>endobj\n".encode()
        )
        objects.append(
            f"{content_id} 0 obj<</Length {len(stream)}>>stream\n".encode()
            + stream
            + b"\nendstream endobj\n"
        )
    objects.append(
        f"{font_id} 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n".encode()
    )
    head = PAGE.format(kids=" ".join(kids), count=len(pages)).encode()
    body = bytearray(head)
    offsets = [9, head.index(b"2 0 obj")]
    for obj in objects:
        offsets.append(len(body))
        body += obj
    xref = len(body)
    body += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    body += f"trailer<</Size {len(offsets) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(body)


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
