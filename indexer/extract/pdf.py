"""PDF text page by page: PDFium's text layer first, pypdf as the second opinion, OCR for scans.

PDFium (`pypdfium2`) reads the text layer about 2.5 times as fast as pypdf and as well or
better on the real sample PDFs (measured in `bench/bench_extract.py`, docs/benchmarks.md), so it
is the fast path. pypdf is kept for what it does better: document metadata, clear reasons for
encrypted, looping or broken files, and a second reading of any page PDFium cannot give.
"""

from __future__ import annotations

import time
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from indexer.extract import limits, ocr
from indexer.extract.result import ExtractionResult, failed, from_pages


class _Pdfium:
    """A lazily opened pdfium document, for rendering scans and as a fallback extractor."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._doc: pdfium.PdfDocument | None = None

    @property
    def doc(self) -> pdfium.PdfDocument:
        if self._doc is None:
            self._doc = pdfium.PdfDocument(self.path)
        return self._doc

    def text(self, index: int) -> str:
        """Text of one page according to pdfium, with newlines as pypdf writes them."""
        page = self.doc[index]
        try:
            textpage = page.get_textpage()
            try:
                return _normalise(str(textpage.get_text_bounded()))
            finally:
                textpage.close()
        finally:
            page.close()

    def has_images(self, index: int) -> bool:
        """True when the page draws an image (a scan); True as well when pdfium cannot tell."""
        try:
            page = self.doc[index]
        except Exception:
            return True
        try:
            objects = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)
            return next(iter(objects), None) is not None
        except Exception:
            return True
        finally:
            page.close()

    def render(self, index: int, dpi: int = limits.OCR_DPI) -> tuple[Image.Image, int]:
        """A grayscale image of one page (at most OCR_MAX_PIXELS) and its effective dpi."""
        page = self.doc[index]
        try:
            width, height = page.get_size()
            scale = dpi / 72
            pixels = width * height * scale * scale
            if pixels > limits.OCR_MAX_PIXELS:
                scale *= (limits.OCR_MAX_PIXELS / pixels) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            return bitmap.to_pil(), round(scale * 72)
        finally:
            page.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None


# PDFium ends lines with CRLF and joins a word hyphenated at a line's end, putting U+0002 (or
# U+FFFE) where the hyphen and the line break were; the pipeline expects the text as printed,
# as pypdf gives it: "\n" line ends and "Undang-\nUndang" (facts are read line by line).
_PDFIUM_CHARS = str.maketrans({"\r": None, "\x02": "-\n", "\ufffe": "-\n"})


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_PDFIUM_CHARS)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _metadata(reader: PdfReader) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    try:
        info = reader.metadata
        if info is None:
            return meta
        for key in ("title", "author", "subject", "creator", "producer"):
            value = getattr(info, key, None)
            if value:
                meta[key] = str(value)[:500]
        if info.creation_date:
            meta["created"] = info.creation_date.isoformat()
    except Exception:  # broken /Info dictionaries are common and never fatal
        pass
    return meta


def extract_pdf(
    path: str, *, ocr_enabled: bool = True, ocr_budget_s: float | None = None
) -> ExtractionResult:
    """Extract a PDF; OCR pages with almost no text layer while the budget lasts."""
    fallback = _Pdfium(path)
    try:
        return _extract(path, fallback, ocr_enabled, ocr_budget_s)
    finally:
        fallback.close()


def _fast(
    path: str, pdfium_doc: _Pdfium, ocr_enabled: bool, ocr_budget_s: float | None
) -> ExtractionResult | None:
    """The text layer as PDFium reads it; None when pypdf should have its say instead.

    pypdf decides whenever PDFium cannot open the file or finds no text at all: it explains
    passwords, loops and broken page trees, and it may read what PDFium could not.
    """
    try:
        count = len(pdfium_doc.doc)
    except MemoryError:
        raise
    except Exception:
        return None
    if count == 0:
        return None
    pages: list[str] = []
    errors: dict[int, str] = {}
    for index in range(count):
        try:
            pages.append(pdfium_doc.text(index))
        except MemoryError:
            raise
        except Exception as exc:
            errors[index + 1] = f"{type(exc).__name__}: {exc}"[:200]
            pages.append("")
    if not any(_visible(p) for p in pages):
        return None
    meta: dict[str, Any] = {"extractor": "pdfium"}
    reader = None
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        meta.update(_metadata(reader))
    except MemoryError:
        raise
    except Exception:  # metadata is a bonus; the text is what counts
        reader = None
    if errors:
        meta["page_errors"] = errors
        for number in errors:
            pages[number - 1] = _pypdf_text(reader, number - 1) or ""
    return _finish(pages, pdfium_doc, meta, ocr_enabled, ocr_budget_s)


def _pypdf_text(reader: PdfReader | None, index: int) -> str | None:
    if reader is None:
        return None
    try:
        return reader.pages[index].extract_text() or ""
    except MemoryError:
        raise
    except Exception:
        return None


def _open(path: str) -> tuple[PdfReader | None, ExtractionResult | None]:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return None, ExtractionResult(
                status="encrypted", reason="the PDF needs a password to open"
            )
        return reader, None
    except DependencyError as exc:
        return None, ExtractionResult(status="encrypted", reason=f"cannot decrypt: {exc}")
    except FileNotDecryptedError:
        return None, ExtractionResult(status="encrypted", reason="the PDF needs a password")
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises many kinds on malformed files
        return None, failed(f"unreadable PDF: {type(exc).__name__}: {exc}")


def _extract(
    path: str, pdfium_doc: _Pdfium, ocr_enabled: bool, ocr_budget_s: float | None
) -> ExtractionResult:
    fast = _fast(path, pdfium_doc, ocr_enabled, ocr_budget_s)
    if fast is not None:
        return fast
    reader, early = _open(path)
    if reader is None:
        assert early is not None
        if early.status == "failed":
            return _pdfium_only(pdfium_doc, early, ocr_enabled, ocr_budget_s)
        return early
    try:
        count = len(reader.pages)
    except MemoryError:
        raise
    except Exception as exc:
        broken = failed(f"unreadable page tree: {type(exc).__name__}: {exc}")
        return _pdfium_only(pdfium_doc, broken, ocr_enabled, ocr_budget_s)
    if count == 0:
        return _pdfium_only(pdfium_doc, failed("the PDF has no pages"), ocr_enabled, ocr_budget_s)
    meta = {"extractor": "pypdf", **_metadata(reader)}
    pages: list[str] = []
    errors: dict[int, str] = {}
    for index in range(count):
        try:
            pages.append(reader.pages[index].extract_text() or "")
        except MemoryError:
            raise
        except Exception as exc:
            errors[index + 1] = f"{type(exc).__name__}: {exc}"[:200]
            pages.append(_pdfium_text(pdfium_doc, index) or "")
    if errors:
        meta["page_errors"] = errors
        if len(errors) == count and not any(_visible(p) for p in pages):
            first = next(iter(errors.values()))
            return failed(f"no page could be read: {first}", **meta)
    return _finish(pages, pdfium_doc, meta, ocr_enabled, ocr_budget_s)


def _pdfium_text(pdfium_doc: _Pdfium, index: int) -> str | None:
    try:
        return pdfium_doc.text(index)
    except Exception:
        return None


def _pdfium_only(
    pdfium_doc: _Pdfium, error: ExtractionResult, ocr_enabled: bool, ocr_budget_s: float | None
) -> ExtractionResult:
    """Second opinion from pdfium when pypdf cannot read the file at all."""
    try:
        count = len(pdfium_doc.doc)
    except Exception:
        return error
    if count == 0:
        return error
    texts = [_pdfium_text(pdfium_doc, i) for i in range(count)]
    if all(t is None for t in texts):
        return error
    pages = [t or "" for t in texts]
    meta = {"extractor": "pdfium", "pypdf_error": error.reason}
    return _finish(pages, pdfium_doc, meta, ocr_enabled, ocr_budget_s)


def _finish(
    pages: list[str],
    pdfium_doc: _Pdfium,
    meta: dict[str, Any],
    ocr_enabled: bool,
    ocr_budget_s: float | None,
) -> ExtractionResult:
    # A short text layer alone is no scan (a title page, "Lampiran"): it also needs an image,
    # unless the page has no text at all.
    scans = [
        i
        for i, text in enumerate(pages)
        if _visible(text) < limits.MIN_PAGE_CHARS and (not text.strip() or pdfium_doc.has_images(i))
    ]
    if not scans:
        return from_pages(pages, meta=meta)
    if not (ocr_enabled and ocr.available()):
        meta["pages_without_text"] = [i + 1 for i in scans]
        return from_pages(pages, meta=meta, empty_reason=ocr.unavailable_reason())
    used = _ocr_pages(pages, scans, pdfium_doc, meta, ocr_budget_s)
    return from_pages(
        pages, ocr=used, meta=meta, empty_reason="no text layer and OCR found no text"
    )


def _ocr_pages(
    pages: list[str],
    scans: list[int],
    pdfium_doc: _Pdfium,
    meta: dict[str, Any],
    budget_s: float | None,
) -> bool:
    """OCR the given pages in place; True when OCR ran on at least one page."""
    started = time.monotonic()
    done: list[int] = []
    errors: dict[int, str] = {}
    skipped: list[int] = []
    for index in scans:
        elapsed = time.monotonic() - started
        if len(done) >= limits.OCR_MAX_PAGES or (budget_s is not None and elapsed > budget_s):
            skipped.append(index + 1)
            continue
        try:
            image, dpi = pdfium_doc.render(index)
            text = ocr.ocr_image(image, dpi=dpi)
        except MemoryError:
            raise
        except Exception as exc:  # a page pdfium cannot render, or a Tesseract failure
            errors[index + 1] = f"{type(exc).__name__}: {exc}"[:200]
            continue
        done.append(index + 1)
        if _visible(text) > _visible(pages[index]):
            pages[index] = text
    meta["ocr_pages"] = done
    meta["ocr_seconds"] = round(time.monotonic() - started, 3)
    if errors:
        meta["ocr_errors"] = errors
    if skipped:
        # Partial OCR beats a job killed at its deadline with nothing to show.
        meta["ocr_skipped_pages"] = skipped
    return bool(done)
