"""Display names for uploaded files, and a Content-Disposition header that cannot be abused."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 200
FALLBACK_STEM = "berkas"
# Longer "extensions" are just a dot in a title ("Laporan v1.final draft"), not worth keeping.
_MAX_EXTENSION_CHARS = 10
# Cc control, Cf format (bidi overrides that disguise "fdp.exe" as "exe.pdf"), Cs surrogates.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_MEDIA_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/plain": ".txt",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "video/mp4": ".mp4",
}
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()\[\]+,=@&-]+")


def safe_filename(name: str | None, media_type: str | None = None) -> str:
    """A file name fit for display: last path component, no controls, at most 200 chars."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    # Whitespace controls (tab, CR, LF, line separators) separate words; other controls go.
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    text = " ".join(text.split())
    text = text.lstrip(". ").rstrip(". ")
    if not text:
        return FALLBACK_STEM + _MEDIA_EXTENSIONS.get(media_type or "", "")
    return _shorten(text)


def _shorten(name: str) -> str:
    """Cut to MAX_NAME_CHARS, keeping a short extension intact."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    extension = dot + suffix if dot and stem and 0 < len(suffix) < _MAX_EXTENSION_CHARS else ""
    if not extension:
        stem = name
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(". ")
    return (stem or FALLBACK_STEM) + extension


def ascii_filename(name: str) -> str:
    """An ASCII stand-in for old clients: accents folded, anything risky replaced by '_'."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    # Quotes, backslashes, semicolons, CR/LF and non-ASCII all become '_': nothing can end
    # the quoted string or the header early.
    cleaned = re.sub(r"_{2,}", "_", _ASCII_UNSAFE.sub("_", folded))
    stem, dot, extension = cleaned.rpartition(".")
    if not dot:
        stem, extension = cleaned, ""
    stem = stem.strip(" ._") or FALLBACK_STEM
    extension = extension.strip(" _")
    return stem + ("." + extension if extension else "")


def content_disposition(filename: str | None, media_type: str | None = None) -> str:
    """`attachment` with an ASCII `filename` and the exact name as RFC 5987 `filename*`."""
    name = safe_filename(filename, media_type)
    encoded = quote(name, safe="")  # leaves only RFC 5987 attr-chars unescaped
    return f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{encoded}"
