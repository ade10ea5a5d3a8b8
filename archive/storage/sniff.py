"""Media type from the bytes (magic numbers, ZIP and MP4 internals), never from the name."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from archive.errors import BadInput, UnsupportedType
from archive.storage.ooxml import DOCX, XLSX, NotOffice, office_type

PDF = "application/pdf"
TEXT = "text/plain"
JPEG = "image/jpeg"
PNG = "image/png"
MP4 = "video/mp4"
ALLOWED_TYPES = (PDF, DOCX, XLSX, TEXT, JPEG, PNG, MP4)

# The extensions each type normally carries, to tell a user their file's name lies.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    TEXT: (".txt", ".md", ".csv"),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    PNG: (".png",),
    MP4: (".mp4", ".m4v"),
}
TEXT_EXTENSIONS = frozenset(EXTENSIONS[TEXT])
_ALLOWED_EXTENSIONS = frozenset(ext for exts in EXTENSIONS.values() for ext in exts)
HEAD_BYTES = 8192
ACCEPTED = "Jenis yang diterima: PDF, DOCX, XLSX, teks (TXT, MD, CSV), JPEG, PNG dan MP4."

# Acrobat accepts a PDF header anywhere in the first KB; some scanners write a preamble.
_PDF_WINDOW = 1024

_MP4_BRANDS = frozenset(
    b.encode()
    for b in (
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "mp71", "avc1", "M4V ", "M4VH", "M4VP", "dash", "msnv", "MSNV",
        "mmp4", "XAVC", "f4v ",
    )
)  # fmt: skip
_HEIF_BRANDS = frozenset(
    b.encode() for b in ("heic", "heix", "heim", "heis", "hevc", "mif1", "msf1", "avif", "avis")
)
_AUDIO_BRANDS = frozenset(b.encode() for b in ("M4A ", "M4B ", "M4P ", "F4A ", "F4B "))
_3GP_PREFIXES = (b"3gp", b"3g2")

# Leading tags that make a browser treat a body as HTML (after the WHATWG sniffing rules).
_HTML_STARTS = (
    b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<h1", b"<div",
    b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<br", b"<p", b"<!--",
    b"<meta", b"<link", b"<form", b"<img", b"<object", b"<embed",
)  # fmt: skip
_TAG_ENDS = (b" ", b">", b"\t", b"\n", b"\r", b"/", b"")
# In what would otherwise pass as text, these mean a web page whatever comes first.
_HTML_ANYWHERE = (b"<!doctype html", b"<html", b"<script")

# Binary signatures we refuse, with a name users recognise.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "program Windows (EXE/DLL)"),
    (b"\x7fELF", "program Linux (ELF)"),
    (b"\xfe\xed\xfa\xce", "program macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "program macOS (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "program macOS (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "program macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "program (Mach-O atau kelas Java)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "dokumen Office lama (DOC/XLS/PPT) atau terenkripsi"),
    (b"GIF87a", "gambar GIF"),
    (b"GIF89a", "gambar GIF"),
    (b"II*\x00", "gambar TIFF"),
    (b"MM\x00*", "gambar TIFF"),
    (b"\x1a\x45\xdf\xa3", "video MKV/WebM"),
    (b"Rar!\x1a\x07", "arsip RAR"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7-Zip"),
    (b"\x1f\x8b", "arsip GZIP"),
    (b"BZh", "arsip BZIP2"),
    (b"\xfd7zXZ\x00", "arsip XZ"),
    (b"{\\rtf", "dokumen RTF"),
    (b"%!PS", "berkas PostScript"),
    (b"ID3", "audio MP3"),
    (b"OggS", "audio/video Ogg"),
    (b"fLaC", "audio FLAC"),
    (b"\x00asm", "program WebAssembly"),
    (b"SQLite format 3\x00", "basis data SQLite"),
)
_RIFF_KINDS = {b"WEBP": "gambar WebP", b"AVI ": "video AVI", b"WAVE": "audio WAV"}
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1a")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_TEXT_CHUNK = 1024 * 1024


def sniff(head: bytes, filename: str | None, blob_path: Path | None = None) -> str:
    """The media type of a file judged by its content; UnsupportedType (415) when refused.

    `head` is the start of the file (at least the first 8 KB when it is that long).
    `blob_path` lets ZIP files be opened and text be checked to the end; without it only
    `head` is examined (so a DOCX or XLSX bigger than `head` needs it). The name only adds
    to the message, and keeps text from hiding behind a binary extension. An empty file
    raises BadInput.
    """
    if not head:
        raise BadInput("Berkas kosong.")
    extension = _extension(filename)
    try:
        media_type = _binary_type(head, blob_path)
        if media_type is not None:
            return media_type
        if not _is_text(head, blob_path):
            raise _Refused(_describe_unknown(head))
        if any(marker in head.lower() for marker in _HTML_ANYWHERE):
            raise _Refused("halaman HTML")
    except _Refused as refused:
        raise _refuse(refused.looks_like, extension) from None
    if extension is None or extension in TEXT_EXTENSIONS:
        return TEXT
    if extension in _ALLOWED_EXTENSIONS:
        raise _refuse("teks biasa", extension)
    raise _refuse(f"teks biasa dengan ekstensi {extension}, bukan .txt, .md atau .csv")


class _Refused(Exception):
    """Internal: the content is of a refused kind, described for people."""

    def __init__(self, looks_like: str) -> None:
        super().__init__(looks_like)
        self.looks_like = looks_like


def _binary_type(head: bytes, blob_path: Path | None) -> str | None:
    """An allowed type from magic numbers, None when the bytes may be text; refuses the rest."""
    text_kind = _markup_or_script(head)
    if text_kind is not None:
        raise _Refused(text_kind)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _office(head, blob_path)
    for magic, label in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise _Refused(label)
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        raise _Refused(_RIFF_KINDS[head[8:12]])
    # Checked last so that no other signature can hide a PDF header behind a preamble.
    if b"%PDF-" in head[:_PDF_WINDOW]:
        return PDF
    return None


def _markup_or_script(head: bytes) -> str | None:
    """HTML, SVG, XML and shebang scripts: text a browser or shell would run, never stored."""
    start = head[:1024].removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n\x0c").lower()
    if start.startswith(b"#!"):
        return "skrip (#!)"
    if start.startswith(b"<?xml"):
        if b"<svg" in start:
            return "gambar SVG"
        return "dokumen XHTML" if b"<html" in start else "dokumen XML"
    if start.startswith(b"<svg"):
        return "gambar SVG"
    for tag in _HTML_STARTS:
        if start.startswith(tag) and start[len(tag) : len(tag) + 1] in _TAG_ENDS:
            return "halaman HTML"
    return None


def _iso_media(head: bytes) -> str:
    """MP4 from the `ftyp` box brands; HEIC, MOV, M4A and 3GP are refused by name."""
    box_size = int.from_bytes(head[:4], "big")
    if box_size < 8 or len(head) < 12:
        raise _Refused("berkas media ISO yang rusak")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in _HEIF_BRANDS:
        raise _Refused("gambar HEIC/HEIF atau AVIF (ubah ke JPEG)")
    if major in _AUDIO_BRANDS:
        raise _Refused("audio M4A")
    if major == b"qt  ":
        raise _Refused("video QuickTime (MOV)")
    if major.startswith(_3GP_PREFIXES):
        raise _Refused("video 3GP")
    if major in _MP4_BRANDS or (compatible & _MP4_BRANDS and not compatible & _HEIF_BRANDS):
        return MP4
    label = major.decode("latin-1").strip() or "?"
    raise _Refused(f"berkas media ISO bermerek '{label}'")


def _office(head: bytes, blob_path: Path | None) -> str:
    """DOCX or XLSX; any other ZIP is refused, named as well as we can."""
    try:
        return office_type(blob_path if blob_path is not None else head)
    except NotOffice as not_office:
        raise _Refused(not_office.looks_like) from None


def _is_text(head: bytes, blob_path: Path | None) -> bool:
    """UTF-8 (or clearly cp1252) text with no NUL and no stray control bytes, to the end."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Refused("teks UTF-16 (simpan ulang sebagai UTF-8)")
    chunks = _chunks(head, blob_path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk, final in chunks:
            if not _plain_bytes(chunk):
                return False
            decoder.decode(chunk, final=final)
        return True
    except UnicodeDecodeError:
        pass
    return all(_looks_cp1252(chunk) for chunk, _ in _chunks(head, blob_path))


def _looks_cp1252(chunk: bytes) -> bool:
    """Western text from Windows: defined cp1252 bytes, mostly ASCII, no stray controls."""
    if not _plain_bytes(chunk) or _CP1252_UNDEFINED.intersection(chunk):
        return False
    high = len(chunk) - len(chunk.translate(None, bytes(range(128, 256))))
    return high <= len(chunk) * 0.3


def _chunks(head: bytes, blob_path: Path | None) -> Iterator[tuple[bytes, bool]]:
    """The file in chunks with a last-chunk flag: the whole blob when known, else the head."""
    if blob_path is None:
        # Only a prefix: a multi-byte character cut at its end is not an error.
        yield head, False
        return
    with Path(blob_path).open("rb") as handle:
        chunk = handle.read(_TEXT_CHUNK)
        while chunk:
            following = handle.read(_TEXT_CHUNK)
            yield chunk, not following
            chunk = following


def _plain_bytes(chunk: bytes) -> bool:
    """No NUL and no control bytes other than tab, newlines, form feed and DOS EOF."""
    if b"\x00" in chunk:
        return False
    controls = chunk.translate(None, bytes(range(32, 256)))
    return not controls or all(byte in _ALLOWED_CONTROLS for byte in controls)


def _describe_unknown(head: bytes) -> str:
    """What an unrecognised file looks like, for the error message."""
    return "data biner yang tidak dikenali" if b"\x00" in head[:1024] else "isi yang tidak dikenali"


def _extension(filename: str | None) -> str | None:
    """The lowercase extension of the last path component, or None."""
    if not filename:
        return None
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip().rstrip(".")
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem.strip(".") or not suffix:
        return None
    return "." + suffix.lower()


def _refuse(looks_like: str, extension: str | None = None) -> UnsupportedType:
    """A 415 naming what the content looks like and, when it applies, the lying extension."""
    message = f"Jenis berkas tidak didukung: isinya {looks_like}"
    if extension in _ALLOWED_EXTENSIONS:
        message += f", tidak sesuai dengan ekstensi {extension}"
    return UnsupportedType(f"{message}. {ACCEPTED}")
