"""safe_filename and content_disposition: hostile names become harmless display names."""

from __future__ import annotations

import re
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import unquote

import pytest

from archive.storage.filenames import content_disposition, safe_filename

PDF = "application/pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\admin\\Desktop\\SK Bupati.pdf", "SK Bupati.pdf"),
        ("/var/www/../", "berkas.pdf"),
        (".htaccess", "htaccess"),
        ("...pdf", "pdf"),
        ("laporan\x00.pdf.exe", "laporan.pdf.exe"),
        ("lap\x00oran.pdf", "laporan.pdf"),
        ("  Laporan\t\tAkhir \r\n 2024 .pdf ", "Laporan Akhir 2024 .pdf"),
        ("SK Bupati – Inovasi.pdf", "SK Bupati – Inovasi.pdf"),
        ("Kepala\u202egpj.exe", "Kepalagpj.exe"),
        ("", "berkas.pdf"),
        (None, "berkas.pdf"),
        ("\x00\x01\x02", "berkas.pdf"),
    ],
)
def test_safe_filename(raw: str | None, expected: str) -> None:
    assert safe_filename(raw, PDF) == expected


def test_fallback_without_a_media_type() -> None:
    assert safe_filename(None) == "berkas"
    assert safe_filename("..", "video/mp4") == "berkas.mp4"


def test_500_characters_keep_the_extension() -> None:
    name = safe_filename("a" * 500 + ".pdf")
    assert len(name) == 200
    assert name.endswith("a.pdf")


def test_500_characters_without_extension() -> None:
    assert safe_filename("b" * 500) == "b" * 200


def test_long_unicode_name() -> None:
    name = safe_filename("Inovasi " * 100 + "Peraturan Bupati.docx")
    assert len(name) <= 200
    assert name.endswith(".docx")
    assert not name[:-5].endswith(" ")


def test_safe_filename_is_idempotent() -> None:
    for raw in ("../a b.pdf", "x" * 300 + ".xlsx", "SK – 1.pdf", "\x00"):
        once = safe_filename(raw, PDF)
        assert safe_filename(once, PDF) == once


def parse(header: str) -> Message:
    message = Message()
    message["Content-Disposition"] = header
    return message


@pytest.mark.parametrize(
    "raw",
    [
        'a"; filename="evil.exe',
        "a\r\nSet-Cookie: x=1.pdf",
        'laporan\\".pdf',
        "semi;colon,comma.pdf",
        "SK Bupati – Inovasi.pdf",
        "Surat Edaran Nomor 050/12/Bappeda (2024).pdf",
        "日本語.pdf",
    ],
)
def test_content_disposition_is_one_safe_header(raw: str) -> None:
    header = content_disposition(raw)
    assert "\r" not in header and "\n" not in header
    assert header.isascii()
    assert header.startswith("attachment; ")
    fallback = re.fullmatch(r"attachment; filename=\"([^\"\\]*)\"; filename\*=UTF-8''(\S+)", header)
    assert fallback is not None, header
    # The exact (sanitised) name comes back from filename*.
    assert unquote(fallback.group(2)) == safe_filename(raw)
    # A standard parser sees an attachment with just the two names: the quoted ASCII one,
    # and filename* decoded (RFC 2231) into the exact safe name; nothing was injected.
    message = parse(header)
    assert message.get_content_disposition() == "attachment"
    params = message.get_params(header="content-disposition")[1:]
    assert [key for key, _ in params] == ["filename", "filename"]
    assert params[0][1] == fallback.group(1)
    assert collapse_rfc2231_value(params[1][1]) == safe_filename(raw)


def test_content_disposition_unicode() -> None:
    header = content_disposition("SK Bupati – Inovasi.pdf")
    assert header == (
        'attachment; filename="SK Bupati _ Inovasi.pdf"; '
        "filename*=UTF-8''SK%20Bupati%20%E2%80%93%20Inovasi.pdf"
    )


def test_content_disposition_folds_accents() -> None:
    assert 'filename="Laporan Kegiatan Desa Pelajau.pdf"' in content_disposition(
        "Laporan Kegiatan Désa Pelajaù.pdf"
    )


def test_content_disposition_without_a_name() -> None:
    assert content_disposition(None, "image/png") == (
        "attachment; filename=\"berkas.png\"; filename*=UTF-8''berkas.png"
    )
    assert 'filename="berkas.pdf"' in content_disposition("日本語.pdf")
