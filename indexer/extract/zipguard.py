"""Pre-flight checks for ZIP-based Office files: bombs and XML entity declarations."""

from __future__ import annotations

import zipfile

from indexer.extract import limits


class UnsafeArchive(ValueError):
    """The container is refused before it reaches a parser."""


_CHUNK = 1024 * 1024
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_OVERLAP = max(len(m) for m in _FORBIDDEN) - 1


def check_zip(path: str) -> None:
    """Refuse a ZIP whose declared entry count, sizes or compression ratios are excessive."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise UnsafeArchive(f"not a valid ZIP container: {exc}") from exc
    if len(infos) > limits.ZIP_MAX_ENTRIES:
        raise UnsafeArchive(f"ZIP bomb suspected: {len(infos)} entries")
    total = 0
    for info in infos:
        if info.file_size > limits.ZIP_MAX_ENTRY_BYTES:
            raise UnsafeArchive(
                f"ZIP bomb suspected: {info.filename} declares {info.file_size} bytes"
            )
        if info.file_size >= limits.ZIP_RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.ZIP_MAX_RATIO:
                raise UnsafeArchive(
                    f"ZIP bomb suspected: {info.filename} compression ratio {ratio:.0f}:1"
                )
        total += info.file_size
    if total > limits.ZIP_MAX_TOTAL_BYTES:
        raise UnsafeArchive(f"ZIP bomb suspected: {total} bytes uncompressed in total")


def check_xml_parts(path: str) -> None:
    """Refuse any XML part that declares a DTD or entities (billion laughs, XXE)."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            # zipfile never yields more than the declared size, which check_zip bounded.
            with zf.open(info) as fh:
                head = fh.read(_CHUNK)
                if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                    # OOXML allows UTF-16 parts; scan them decoded.
                    data = head + fh.read()
                    _scan(data.decode("utf-16", "replace").encode("utf-8"), info.filename)
                    continue
                tail = b""
                while head:
                    _scan(tail + head, info.filename)
                    tail = head[-_OVERLAP:]
                    head = fh.read(_CHUNK)


def _scan(data: bytes, name: str) -> None:
    for marker in _FORBIDDEN:
        if marker in data:
            raise UnsafeArchive(f"XML part {name} declares a DTD or entities; refused")


def check_office(path: str) -> None:
    """Both checks, in the order that keeps reading bounded."""
    check_zip(path)
    check_xml_parts(path)
