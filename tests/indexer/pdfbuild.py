"""A minimal PDF writer for tests: text pages and handcrafted (hostile) object graphs."""

from __future__ import annotations


def assemble(objects: list[bytes], *, extra_trailer: bytes = b"") -> bytes:
    """Number `objects` from 1, write a correct xref table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        extra_trailer,
        xref,
    )
    return bytes(out)


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def stream(data: bytes) -> bytes:
    """An uncompressed stream object body."""
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def text_pdf(pages: list[list[str]]) -> bytes:
    """A born-digital PDF: each page is a list of lines set in Helvetica."""
    count = len(pages)
    # 1 catalog, 2 page tree, 3 font, then (page, content) pairs.
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 11 Tf 14 TL 56 790 Td"]
        ops += [b"(%s) '" % _escape(line) for line in lines]
        ops.append(b"ET")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(stream(b"\n".join(ops)))
    return assemble(objects)
