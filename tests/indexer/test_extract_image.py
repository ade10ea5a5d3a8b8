"""Images: oversized and corrupt files refused before decoding; OCR of photos and scans."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from indexer.extract import extract_file


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims `width` x `height` pixels but carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize("size", [(30_000, 30_000), (12_000, 10_000)])
def test_oversized_image_refused_before_decoding(tmp_path: Path, size: tuple[int, int]) -> None:
    path = png_header_only(tmp_path / "huge.png", *size)
    result = extract_file(str(path), "image/png")
    assert result.status == "failed"
    assert "too large" in (result.reason or "")


def _corrupt_png(path: Path) -> Path:
    img = Image.new("RGB", (200, 100), "white")
    img.save(path, "PNG")
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT") + 4
    data[start : start + 40] = b"\xff" * 40  # garble the compressed pixels
    path.write_bytes(bytes(data))
    return path


def test_corrupt_png_fails(tmp_path: Path) -> None:
    result = extract_file(str(_corrupt_png(tmp_path / "corrupt.png")), "image/png")
    assert result.status == "failed"
    assert "corrupt" in (result.reason or "")


def test_corrupt_png_fails_without_ocr(tmp_path: Path, no_ocr: None) -> None:
    result = extract_file(str(_corrupt_png(tmp_path / "corrupt.png")), "image/png")
    assert result.status == "failed"


def test_not_an_image_fails(tmp_path: Path) -> None:
    path = tmp_path / "fake.jpg"
    path.write_bytes(b"<html>not an image</html>")
    result = extract_file(str(path), "image/jpeg")
    assert result.status == "failed"
    assert result.reason


def _photo(path: Path, fmt: str) -> Path:
    img = Image.new("RGB", (1400, 500), (250, 250, 245))
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=40)
    draw.text((60, 120), "KEPUTUSAN BUPATI BALANGAN", fill=(20, 20, 20), font=font)
    draw.text((60, 220), "NOMOR 188.45/123/2024", fill=(20, 20, 20), font=font)
    img.save(path, fmt, dpi=(200, 200))
    return path


def test_image_without_ocr_is_no_text(tmp_path: Path, no_ocr: None) -> None:
    result = extract_file(str(_photo(tmp_path / "photo.jpg", "JPEG")), "image/jpeg")
    assert result.status == "no_text"
    assert "OCR is not available" in (result.reason or "")
    assert result.meta["width"] == 1400


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "fmt", "media_type"), [("p.jpg", "JPEG", "image/jpeg"), ("p.png", "PNG", "image/png")]
)
def test_photo_of_decree_is_read(
    tmp_path: Path, needs_ocr: None, name: str, fmt: str, media_type: str
) -> None:
    result = extract_file(str(_photo(tmp_path / name, fmt)), media_type)
    assert result.status == "done", result.reason
    assert result.ocr is True
    assert "188.45/123/2024" in result.pages[0]


@pytest.mark.slow
def test_blank_image_is_no_text(tmp_path: Path, needs_ocr: None) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (600, 400), 255).save(path)
    result = extract_file(str(path), "image/png")
    assert result.status == "no_text"
    assert result.reason == "OCR found no text"


@pytest.mark.slow
def test_exif_rotation_is_applied(tmp_path: Path, needs_ocr: None) -> None:
    # A phone photo stored sideways, with the orientation flag saying "rotate 90° clockwise".
    upright = _photo(tmp_path / "upright.png", "PNG")
    img = Image.open(upright).convert("RGB").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "sideways.jpg"
    img.save(path, "JPEG", exif=exif, quality=95)
    result = extract_file(str(path), "image/jpeg")
    assert result.status == "done", result.reason
    assert "188.45/123/2024" in result.pages[0]


@pytest.mark.slow
def test_large_jpeg_is_scaled_for_ocr(
    tmp_path: Path, needs_ocr: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer.extract import limits

    monkeypatch.setattr(limits, "OCR_MAX_PIXELS", 400_000)
    result = extract_file(str(_photo(tmp_path / "big.jpg", "JPEG")), "image/jpeg")
    assert result.status == "done", result.reason
    assert "BALANGAN" in result.pages[0]
