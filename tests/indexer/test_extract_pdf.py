"""PDF extraction: the shared sample corpus, generated PDFs, scans and hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter

from indexer.extract import PDF, extract_file

from .conftest import SAMPLE_PDFS, skip_or_fail
from .pdfbuild import assemble, text_pdf


def _samples() -> list[dict]:
    listing = SAMPLE_PDFS / "files.json"
    if not listing.exists():
        return []
    return json.loads(listing.read_text(encoding="utf-8"))


@pytest.mark.parametrize("sample", _samples() or [None], ids=lambda s: s["file"] if s else "none")
def test_sample_pdf_page_count(sample: dict | None) -> None:
    if sample is None:
        skip_or_fail(f"sample corpus not found at {SAMPLE_PDFS}")
    # Page counts do not depend on OCR; the OCR path has its own tests.
    result = extract_file(str(SAMPLE_PDFS / sample["file"]), PDF, ocr=False)
    if sample["encrypted"]:
        assert result.status == "encrypted"
        assert result.reason
        return
    assert result.status in {"done", "no_text"}, result.reason
    assert result.page_count == sample["pages"]
    assert len(result.pages) == sample["pages"]
    assert result.chars == sum(len(p) for p in result.pages)


def test_sample_text_is_readable() -> None:
    path = SAMPLE_PDFS / "pdflatex-4-pages.pdf"
    if not path.exists():
        skip_or_fail(f"sample corpus not found at {SAMPLE_PDFS}")
    result = extract_file(str(path), PDF)
    assert result.status == "done"
    assert not result.ocr
    assert all(len(page) > 100 for page in result.pages)


@pytest.fixture(scope="module")
def decree_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "decree.pdf"
    lines = [
        ["PEMERINTAH KABUPATEN BALANGAN", "KEPUTUSAN BUPATI BALANGAN", "NOMOR 188.45/123/2024"],
        ["TENTANG", "PENETAPAN INOVASI DAERAH", "Ditetapkan di Paringin, 2 Januari 2024"],
        ["LAMPIRAN KEPUTUSAN BUPATI BALANGAN", "Daftar inovasi daerah tahun 2024"],
    ]
    path.write_bytes(text_pdf(lines))
    return path


def test_text_pdf_pages_in_order(decree_pdf: Path) -> None:
    result = extract_file(str(decree_pdf), PDF)
    assert result.status == "done"
    assert result.page_count == 3
    assert "NOMOR 188.45/123/2024" in result.pages[0]
    assert "Paringin" in result.pages[1]
    assert result.ocr is False
    assert result.to_dict()["page_count"] == 3


def _scan_image(text_lines: list[str]) -> Image.Image:
    # An A4 page at 150 dpi with large type, like a flatbed scan of a signed decree.
    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=34)
    y = 160
    for line in text_lines:
        draw.text((90, y), line, fill=0, font=font)
        y += 70
    return img


@pytest.fixture(scope="module")
def scanned_decree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    img = _scan_image(
        ["KEPUTUSAN BUPATI BALANGAN", "NOMOR 188.45/123/2024", "TENTANG INOVASI DAERAH"]
    )
    img.save(path, "PDF", resolution=150)
    return path


@pytest.mark.slow
def test_scanned_decree_is_read_by_ocr(scanned_decree: Path, needs_ocr: None) -> None:
    result = extract_file(str(scanned_decree), PDF)
    assert result.status == "done", result.reason
    assert result.ocr is True
    assert result.page_count == 1
    assert result.meta["ocr_pages"] == [1]
    text = result.pages[0]
    assert "188.45/123/2024" in text
    assert "BALANGAN" in text


def test_scan_without_ocr_is_no_text(scanned_decree: Path, no_ocr: None) -> None:
    result = extract_file(str(scanned_decree), PDF)
    assert result.status == "no_text"
    assert "OCR is not available" in (result.reason or "")
    assert result.page_count == 1
    assert result.ocr is False


def test_ocr_can_be_switched_off(scanned_decree: Path) -> None:
    result = extract_file(str(scanned_decree), PDF, ocr=False)
    assert result.status == "no_text"
    assert result.meta["pages_without_text"] == [1]


def test_ocr_budget_exhausted_keeps_partial_result(scanned_decree: Path) -> None:
    # A negative budget is spent before the first page: the scan is listed as skipped.
    result = extract_file(str(scanned_decree), PDF, ocr_budget_s=-1)
    if result.meta.get("pages_without_text"):
        pytest.skip("OCR not available here")
    assert result.meta["ocr_skipped_pages"] == [1]
    assert result.status == "no_text"


def test_text_layer_comes_from_pdfium_with_plain_newlines(decree_pdf: Path) -> None:
    # PDFium is the fast path; its CRLF line ends must not leak into stored text.
    result = extract_file(str(decree_pdf), PDF)
    assert result.meta["extractor"] == "pdfium"
    assert result.pages[0].splitlines()[:3] == [
        "PEMERINTAH KABUPATEN BALANGAN",
        "KEPUTUSAN BUPATI BALANGAN",
        "NOMOR 188.45/123/2024",
    ]
    assert not any("\r" in page for page in result.pages)


def test_hyphens_survive_the_fast_path(tmp_path: Path) -> None:
    # PDFium marks some hyphens with U+0002; "Undang-Undang" must stay searchable as written.
    path = tmp_path / "uu.pdf"
    path.write_bytes(
        text_pdf([["Menimbang Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan",
                   "Daerah sebagaimana telah diubah beberapa kali terakhir dengan Undang-",
                   "Undang Nomor 9 Tahun 2015"]])
    )  # fmt: skip
    text = extract_file(str(path), PDF).pages[0]
    assert "Undang-Undang Nomor 23" in text
    assert "\x02" not in text and "\ufffe" not in text
    assert "dengan Undang-\nUndang Nomor 9" in text


def test_metadata_still_comes_from_pypdf(tmp_path: Path, decree_pdf: Path) -> None:
    writer = PdfWriter(clone_from=str(decree_pdf))
    writer.add_metadata({"/Title": "Keputusan Bupati Balangan", "/Producer": "Kantor Bupati"})
    path = tmp_path / "titled.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    result = extract_file(str(path), PDF)
    assert result.meta["extractor"] == "pdfium"
    assert result.meta["title"] == "Keputusan Bupati Balangan"
    assert result.meta["producer"] == "Kantor Bupati"


def test_file_pdfium_cannot_open_goes_to_pypdf(tmp_path: Path, decree_pdf: Path) -> None:
    # An xref pointing past the end: pypdf rebuilds it from the objects and reads the text.
    data = decree_pdf.read_bytes()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n99999999\n%%EOF\n"
    path = tmp_path / "badxref.pdf"
    path.write_bytes(broken)
    result = extract_file(str(path), PDF)
    assert result.status == "done", result.reason
    assert "188.45/123/2024" in result.pages[0]


# -- hostile and broken files ----------------------------------------------------------


def test_truncated_pdf_fails(tmp_path: Path, decree_pdf: Path) -> None:
    path = tmp_path / "truncated.pdf"
    data = decree_pdf.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = extract_file(str(path), PDF)
    assert result.status == "failed"
    assert result.reason


def test_not_a_pdf_fails(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"MZ\x90\x00 this is an executable, not a PDF" * 10)
    result = extract_file(str(path), PDF)
    assert result.status == "failed"
    assert result.reason


def test_empty_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert extract_file(str(path), PDF).status == "failed"


def _encrypt(source: Path, target: Path, user_password: str, algorithm: str) -> None:
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm=algorithm)
    with target.open("wb") as fh:
        writer.write(fh)


def _algorithms() -> list[str]:
    # AES needs the `cryptography` package (pypdf[crypto]); RC4 works without it.
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return ["RC4-128"]
    return ["RC4-128", "AES-256"]


@pytest.mark.parametrize("algorithm", _algorithms())
def test_encrypted_pdf_with_user_password(tmp_path: Path, decree_pdf: Path, algorithm: str) -> None:
    path = tmp_path / "locked.pdf"
    _encrypt(decree_pdf, path, "rahasia", algorithm)
    result = extract_file(str(path), PDF)
    assert result.status == "encrypted"
    assert "password" in (result.reason or "")
    assert result.pages == []


@pytest.mark.parametrize("algorithm", _algorithms())
def test_owner_password_only_pdf_opens(tmp_path: Path, decree_pdf: Path, algorithm: str) -> None:
    # Official decrees are often "protected" with an owner password only; the empty user
    # password opens them and the text must come out.
    path = tmp_path / "owner-only.pdf"
    _encrypt(decree_pdf, path, "", algorithm)
    result = extract_file(str(path), PDF)
    assert result.status == "done", result.reason
    assert "188.45/123/2024" in result.pages[0]


CYCLES = {
    "circular-kids": [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ],
    "self-kids": [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ],
    "self-parent": [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R >>",
    ],
}


@pytest.mark.parametrize("name", sorted(CYCLES))
def test_object_loop_fails(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(assemble(CYCLES[name]))
    result = extract_file(str(path), PDF)
    assert result.status == "failed"
    assert "cycl" in (result.reason or "").lower()
