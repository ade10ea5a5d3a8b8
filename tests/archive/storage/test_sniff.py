"""sniff: the type comes from the bytes; everything outside the allowed set is a 415."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from archive.errors import BadInput, UnsupportedType
from archive.storage import ooxml
from archive.storage.sniff import DOCX, JPEG, MP4, PDF, PNG, TEXT, XLSX, sniff

SAMPLE_PDFS = Path(__file__).resolve().parents[2] / "data" / "sample-pdfs"
IN_CI = os.environ.get("CI", "").lower() == "true"

MINIMAL_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def sniff_file(path: Path, filename: str | None = None) -> str:
    """Sniff as the upload path does: the head plus the whole file on disk."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    return sniff(head, path.name if filename is None else filename, path)


def refused(head: bytes, filename: str | None, path: Path | None = None) -> str:
    """The 415 message for content that must be refused."""
    with pytest.raises(UnsupportedType) as caught:
        sniff(head, filename, path)
    assert caught.value.status_code == 415
    return caught.value.detail


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def mp4_header(major: bytes, *compatible: bytes) -> bytes:
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    ftyp = (8 + len(brands)).to_bytes(4, "big") + b"ftyp" + brands
    return ftyp + b"\x00\x00\x00\x08free" + b"\x00\x00\x00\x10mdat" + b"\x00" * 8


# --- accepted --------------------------------------------------------------------------


def test_minimal_pdf(tmp_path: Path) -> None:
    assert sniff_file(write(tmp_path, "sk.pdf", MINIMAL_PDF)) == PDF


def test_sample_pdfs() -> None:
    if not SAMPLE_PDFS.is_dir():
        if IN_CI:
            pytest.fail(f"required in CI: {SAMPLE_PDFS}")
        pytest.skip(f"{SAMPLE_PDFS} not present")
    pdfs = sorted(SAMPLE_PDFS.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert sniff_file(pdf) == PDF, pdf.name


def test_pdf_with_a_preamble_is_still_a_pdf() -> None:
    assert sniff(b"\r\n\r\n" + MINIMAL_PDF, "scan.pdf") == PDF


def test_pdf_named_docx_is_a_pdf() -> None:
    assert sniff(MINIMAL_PDF, "Laporan.docx") == PDF


def test_real_docx(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Keputusan Bupati Balangan tentang Inovasi Daerah")
    path = tmp_path / "sk.docx"
    document.save(str(path))
    assert sniff_file(path) == DOCX
    assert sniff_file(path, "tanpa-ekstensi") == DOCX


def test_real_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Jumlah pengguna"
    path = tmp_path / "data.xlsx"
    workbook.save(str(path))
    assert sniff_file(path) == XLSX


def test_small_docx_from_head_alone(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    data = buffer.getvalue()
    if len(data) > 8192:
        # python-docx's template is bigger than a head: without the file it cannot be read.
        assert "ZIP" in refused(data[:8192], "sk.docx")
    else:
        assert sniff(data, "sk.docx") == DOCX


@pytest.mark.parametrize(("fmt", "expected"), [("JPEG", JPEG), ("PNG", PNG)])
def test_images(tmp_path: Path, fmt: str, expected: str) -> None:
    image_module = pytest.importorskip("PIL.Image")
    path = tmp_path / f"foto.{fmt.lower()}"
    image_module.new("RGB", (16, 16), (200, 30, 30)).save(path, fmt)
    assert sniff_file(path) == expected


@pytest.mark.parametrize("major", [b"isom", b"mp42", b"avc1"])
def test_mp4_ftyp(major: bytes) -> None:
    assert sniff(mp4_header(major, b"isom", b"mp41"), "video.mp4") == MP4


def test_mp4_by_compatible_brand() -> None:
    assert sniff(mp4_header(b"abcd", b"mp42", b"isom"), "video.mp4") == MP4


@pytest.mark.parametrize("name", ["catatan.txt", "README.md", "data.csv", None, "tanpa_ekstensi"])
def test_text_with_a_text_name(tmp_path: Path, name: str | None) -> None:
    path = write(tmp_path, "x", b"Nama;Jumlah\nPuskesmas Paringin;12\n")
    assert sniff_file(path, name) == TEXT


def test_utf8_text_with_indonesian_and_bom(tmp_path: Path) -> None:
    data = "\ufeffInovasi “SEPEDA” – Balangan\r\n".encode() * 100
    assert sniff_file(write(tmp_path, "a.txt", data)) == TEXT


def test_cp1252_text_is_accepted(tmp_path: Path) -> None:
    data = "Laporan kegiatan – tahap “uji coba” selesai.\r\n".encode("cp1252") * 20
    assert sniff_file(write(tmp_path, "laporan.txt", data)) == TEXT


def test_text_whose_utf8_is_cut_by_the_head() -> None:
    data = ("é" * 5000).encode()
    assert sniff(data[:8191], "a.txt") == TEXT


# --- refused ---------------------------------------------------------------------------


def test_empty_file() -> None:
    with pytest.raises(BadInput) as caught:
        sniff(b"", "kosong.pdf")
    assert caught.value.detail == "Berkas kosong."
    assert caught.value.status_code == 422


@pytest.mark.parametrize(
    "html",
    [
        b"<!DOCTYPE html><html><body>Bukan PDF</body></html>",
        b"\n  <html>\n<script>alert(1)</script>",
        b"<p>halo</p>",
        b"\xef\xbb\xbf<!doctype HTML>",
    ],
)
def test_html_named_pdf(html: bytes) -> None:
    message = refused(html, "SK Bupati.pdf")
    assert "HTML" in message
    assert "tidak sesuai dengan ekstensi .pdf" in message


def test_html_with_a_pdf_marker_is_still_html() -> None:
    assert "HTML" in refused(b"<html><!-- %PDF-1.7 --></html>", "x.pdf")


def test_html_hidden_after_text() -> None:
    assert "HTML" in refused(b"Halo\n<script>fetch('/api')</script>", "catatan.txt")


def test_svg() -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    assert "SVG" in refused(svg, "logo.png")
    assert "SVG" in refused(b"<svg onload=alert(1)>", None)


def test_script_named_pdf() -> None:
    message = refused(b"#!/bin/sh\nrm -rf /\n", "SK.pdf")
    assert "skrip" in message
    assert "tidak sesuai dengan ekstensi .pdf" in message


def test_plain_text_named_pdf() -> None:
    message = refused(b"ini cuma teks biasa\n", "SK Bupati.pdf")
    assert "teks biasa" in message
    assert "tidak sesuai dengan ekstensi .pdf" in message


def test_text_with_an_unlisted_extension() -> None:
    assert ".html" in refused(b"teks\n", "halaman.html")


def test_elf_and_exe() -> None:
    assert "ELF" in refused(b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "laporan.pdf")
    assert "Windows" in refused(b"MZ\x90\x00\x03" + b"\x00" * 60, "laporan.docx")


def test_random_zip(tmp_path: Path) -> None:
    path = tmp_path / "arsip.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto/1.jpg", b"\xff\xd8\xff")
    message = refused(path.read_bytes()[:8192], "arsip.docx", path)
    assert "ZIP" in message
    assert "tidak sesuai dengan ekstensi .docx" in message


def test_zip_pretending_to_be_docx(tmp_path: Path) -> None:
    """[Content_Types].xml naming a main part the archive does not contain."""
    path = tmp_path / "palsu.docx"
    content_types = (
        b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        b"</Types>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
    assert "Office" in refused(path.read_bytes(), "palsu.docx", path)


def test_pptx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "paparan.pptx"
    content_types = (
        b'<Types><Override PartName="/ppt/presentation.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("ppt/presentation.xml", b"<p/>")
    assert "PowerPoint" in refused(path.read_bytes(), "paparan.pptx", path)


def test_zip_with_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ZIP whose directory would cost memory is refused before zipfile reads it."""
    monkeypatch.setattr(ooxml, "MAX_ENTRIES", 5)
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(6):
            archive.writestr(f"x/{index}", b"")
    assert "terlalu banyak" in refused(path.read_bytes()[:8192], "bom.xlsx", path)


def test_truncated_zip() -> None:
    assert "ZIP" in refused(b"PK\x03\x04" + b"\x00" * 100, "x.xlsx")


@pytest.mark.parametrize(
    ("major", "label"), [(b"heic", "HEIC"), (b"qt  ", "QuickTime"), (b"M4A ", "M4A")]
)
def test_iso_media_that_is_not_mp4(major: bytes, label: str) -> None:
    assert label in refused(mp4_header(major, major), "video.mp4")


def test_old_office_and_gif() -> None:
    assert "Office lama" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.doc")
    assert "GIF" in refused(b"GIF89a\x01\x00\x01\x00", "a.gif")


def test_binary_garbage() -> None:
    assert "tidak dikenali" in refused(bytes(range(256)) * 4, "x.pdf")


def test_nul_bytes_are_not_text(tmp_path: Path) -> None:
    data = b"teks biasa " * 2000 + b"\x00" + b"lagi"
    path = write(tmp_path, "a.txt", data)
    assert sniff(data[:8192], "a.txt") == TEXT  # the head alone looks fine ...
    refused(data[:8192], "a.txt", path)  # ... the whole file does not


def test_utf16_text() -> None:
    assert "UTF-16" in refused("halo".encode("utf-16"), "a.txt")
