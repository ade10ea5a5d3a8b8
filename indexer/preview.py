"""Page previews: one page of a PDF, or an image, as a PNG of bounded size.

Runs inside the extraction sandbox (``indexer.sandbox``), never in the web process: a hostile
file can only fail its own preview. The PNG carries pixels only, so a browser shows it as an
image, never as a document that could run script.
"""

from __future__ import annotations

import io

WIDTH = 1000
MAX_PIXELS = 4000 * 4000


def render_page(path: str, media_type: str, page: int = 1, width: int = WIDTH) -> bytes | None:
    """PNG bytes of ``page`` (1-based), or None when the file has no such page."""
    if media_type == "application/pdf":
        return _pdf_page(path, page, width)
    if media_type.startswith("image/"):
        return _image(path, width) if page == 1 else None
    return None


def _pdf_page(path: str, page: int, width: int) -> bytes | None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        if not 1 <= page <= len(document):
            return None
        sheet = document[page - 1]
        points = max(sheet.get_width(), 1.0)
        scale = min(width / points, 4.0)
        bitmap = sheet.render(scale=scale)
        image = bitmap.to_pil()
        if image.width * image.height > MAX_PIXELS:
            image.thumbnail((width, width * 4))
        return _png(image)
    finally:
        document.close()


def _image(path: str, width: int) -> bytes:
    from PIL import Image

    with Image.open(path) as source:
        source.thumbnail((width, width * 4))
        return _png(source.convert("RGB"))


def _png(image) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
