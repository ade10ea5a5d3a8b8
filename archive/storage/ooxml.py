"""Telling DOCX and XLSX apart from other ZIP files, without trusting the archive."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A DOCX or XLSX has tens to a few thousand parts; a million-entry ZIP is an attack on
# memory (zipfile builds one object per entry) and is refused before zipfile reads it.
MAX_ENTRIES = 20_000
MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024
# [Content_Types].xml is small; a bigger one is not worth reading (and may be a bomb).
CONTENT_TYPES_LIMIT = 512 * 1024

_DOCX_MAIN = DOCX + ".main+xml"
_XLSX_MAIN = XLSX + ".main+xml"
_OVERRIDE_RE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(rb"""(PartName|ContentType)\s*=\s*["']([^"']*)["']""")
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    NotImplementedError,  # unsupported compression
    RuntimeError,  # encrypted member
    EOFError,
    zlib.error,
)


class NotOffice(Exception):
    """The ZIP is not a DOCX or XLSX; `looks_like` describes it for people."""

    def __init__(self, looks_like: str) -> None:
        super().__init__(looks_like)
        self.looks_like = looks_like


def office_type(source: Path | bytes) -> str:
    """DOCX or XLSX judged from [Content_Types].xml and the parts present; NotOffice else."""
    with _open(source) as raw:
        _check_directory_size(raw)
        try:
            with zipfile.ZipFile(raw) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" not in names:
                    raise NotOffice(_zip_kind(archive, names))
                with archive.open("[Content_Types].xml") as handle:
                    content_types = handle.read(CONTENT_TYPES_LIMIT + 1)
        except _BROKEN_ZIP as exc:
            raise NotOffice("arsip ZIP yang rusak atau tidak lengkap") from exc
    if len(content_types) > CONTENT_TYPES_LIMIT:
        raise NotOffice("paket Office yang tidak wajar")
    parts = _main_parts(content_types)
    if _has_part(parts, _DOCX_MAIN, names):
        return DOCX
    if _has_part(parts, _XLSX_MAIN, names):
        return XLSX
    lowered = content_types.lower()
    if b"macroenabled" in lowered:
        raise NotOffice("dokumen Office bermakro (DOCM/XLSM)")
    if b"presentationml" in lowered:
        raise NotOffice("presentasi PowerPoint (PPTX)")
    raise NotOffice("paket Office selain DOCX atau XLSX")


def _open(source: Path | bytes) -> BinaryIO:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    return Path(source).open("rb")


def _check_directory_size(raw: BinaryIO) -> None:
    """Read the end-of-central-directory record(s) and refuse oversized directories."""
    size = raw.seek(0, io.SEEK_END)
    tail_size = min(size, 22 + 65535 + 20)  # EOCD, the longest comment, a ZIP64 locator
    raw.seek(size - tail_size)
    tail = raw.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise NotOffice("arsip ZIP yang rusak atau tidak lengkap")
    entries, directory = struct.unpack("<H4xI", tail[at + 10 : at + 20])
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        entries, directory = _zip64_sizes(raw, tail, at, size - tail_size)
    if entries > MAX_ENTRIES or directory > MAX_CENTRAL_DIRECTORY:
        raise NotOffice(f"arsip ZIP dengan {entries} entri (terlalu banyak)")
    raw.seek(0)


def _zip64_sizes(raw: BinaryIO, tail: bytes, eocd_at: int, tail_offset: int) -> tuple[int, int]:
    """Entry count and directory size from the ZIP64 record the locator points to."""
    locator = tail[eocd_at - 20 : eocd_at] if eocd_at >= 20 else b""
    if not locator.startswith(_EOCD64_LOCATOR):
        raise NotOffice("arsip ZIP64 yang rusak")
    (record_at,) = struct.unpack("<Q", locator[8:16])
    raw.seek(record_at)
    record = raw.read(56)
    if len(record) < 56 or not record.startswith(_EOCD64):
        raise NotOffice("arsip ZIP64 yang rusak")
    entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def _main_parts(content_types: bytes) -> dict[str, str]:
    """Content type -> part name from the Override elements (regex: no XML parser on input)."""
    parts: dict[str, str] = {}
    for element in _OVERRIDE_RE.findall(content_types):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR_RE.findall(element)}
        if "PartName" in attrs and "ContentType" in attrs:
            parts.setdefault(attrs["ContentType"].strip(), attrs["PartName"].strip())
    return parts


def _has_part(parts: dict[str, str], content_type: str, names: set[str]) -> bool:
    """The main part is declared and actually present in the archive."""
    part = parts.get(content_type)
    return part is not None and part.lstrip("/") in names


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    """A friendly name for a ZIP that is not an Office package."""
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100]
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return "dokumen OpenDocument (ODT/ODS)"
        if mimetype.startswith(b"application/epub"):
            return "buku elektronik EPUB"
    if "AndroidManifest.xml" in names:
        return "aplikasi Android (APK)"
    if "META-INF/MANIFEST.MF" in names:
        return "arsip Java (JAR)"
    return "arsip ZIP"
