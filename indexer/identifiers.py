"""Decree and regulation numbers as search keys.

A number is compared in its *compact* form: folded, with every separator removed, so
``188.4/69/Balitbangda-Blg/2020`` -> ``188469balitbangdablg2020`` and ``NOMOR 41 TAHUN 2021``
-> ``41tahun2021``. A whole number matches its compact form exactly; a partial one
(``188.4/69``, ``188469``) matches as a prefix of it.
"""

from __future__ import annotations

import re

from indexer.analysis import fold

# Shortest compact key searched as a prefix: shorter ones match half the archive.
MIN_PREFIX_LENGTH = 3
MAX_IDENTIFIER_LENGTH = 64

# "NOMOR : 124 /DISKOMINFO/2024", "Nomor 41 Tahun 2021", "NOMOR PM 1 TAHUN 2025".
_AFTER_NOMOR = re.compile(
    r"\b(?:nomor|no\.)\s*:?\s*"
    r"((?:[a-z]{1,6}\s+)?\d[\w.\-]*(?:\s*/\s*[\w.\-]+)*(?:\s+tahun\s+\d{4})?)",
    re.IGNORECASE,
)
# Free-standing slashed numbers: "188.4/69/Balitbangda-Blg/2020", "148/PMK.01/2012".
_SLASHED = re.compile(r"(?<![\w/])\d[\w.\-]*(?:\s?/\s?[\w.\-]*\w){1,6}")


def compact(text: str) -> str:
    """The compact key of an identifier: folded, letters and digits only."""
    return "".join(c for c in fold(text) if c.isalnum())


def looks_like_identifier(chunk: str) -> bool:
    """True for a query word that is a number with separators, or a long bare number."""
    has_digit = any(c.isdigit() for c in chunk)
    if not has_digit:
        return False
    if any(c in "./-" for c in chunk.strip("./-")):
        return True
    return chunk.isdigit() and len(chunk) >= 5


def extract_identifiers(text: str) -> list[str]:
    """Compact keys of every number cited in ``text`` (after NOMOR, or slashed), in order."""
    found: dict[str, None] = {}
    for pattern in (_AFTER_NOMOR, _SLASHED):
        for match in pattern.finditer(text):
            key = compact(match.group(1) if match.groups() else match.group())
            if MIN_PREFIX_LENGTH <= len(key) <= MAX_IDENTIFIER_LENGTH:
                found.setdefault(key, None)
    return list(found)


def own_number(first_page: str, *, window: int = 2000) -> str | None:
    """Best guess at a document's own number: the first NOMOR in its heading."""
    match = _AFTER_NOMOR.search(first_page[:window])
    if not match:
        return None
    key = compact(match.group(1))
    return key if len(key) >= MIN_PREFIX_LENGTH else None
