"""Does a document's issuer name another region than the one being assessed?"""

from __future__ import annotations

import re

_LOCAL = r"kabupaten|kab\.|kota|bupati|wali\s?kota|walikota"
_PROVINCIAL = r"provinsi|prov\.|gubernur"
_LOCAL_MARK = re.compile(rf"(?:^|[^a-z])(?:{_LOCAL})\s+[a-z]", re.IGNORECASE)
_PROVINCIAL_MARK = re.compile(rf"(?:^|[^a-z])(?:{_PROVINCIAL})\s+[a-z]", re.IGNORECASE)
_PREFIX = re.compile(
    r"^(?:pemerintah\s+|pemkab\s+|pemkot\s+|pemprov\s+)?"
    r"(?:kabupaten|kab\.|kota|provinsi|prov\.)?\s*",
    re.IGNORECASE,
)


def _squash(text: str) -> str:
    """Lower-case with single spaces."""
    return " ".join(text.lower().split())


def region_key(region: str) -> str:
    """'Pemerintah Kabupaten Balangan' -> 'balangan'."""
    return _PREFIX.sub("", _squash(region)).strip()


def is_provincial(region: str) -> bool:
    """Whether the assessed region is a province."""
    return bool(re.match(r"^(?:pemerintah\s+)?(?:provinsi|prov\.)", _squash(region)))


def names_other_region(issuer: str | None, region: str | None) -> bool:
    """True when the issuer names a region of the same tier but never the assessed one.

    Only marks of the region's own tier count: a regency document may cite its province
    ("Provinsi Kalimantan Selatan") without being another region's document.
    """
    if not issuer or not region or not isinstance(issuer, str) or not isinstance(region, str):
        return False
    key = region_key(region)
    if not key:
        return False
    text = _squash(issuer)
    if key in text:
        return False
    mark = _PROVINCIAL_MARK if is_provincial(region) else _LOCAL_MARK
    return bool(mark.search(text))
