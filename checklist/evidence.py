"""Evidence items normalised from untrusted plain dicts; odd values become None, never errors."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from checklist.timeref import covered_year, to_date

EXTRACTION_STATUSES = {"pending", "done", "no_text", "not_applicable", "encrypted", "failed"}

_MEDIA_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/png": "png",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
_EXTENSIONS = {"jpeg": "jpg", "pdf": "pdf", "jpg": "jpg", "png": "png", "mp4": "mp4", "mov": "mov"}
_EXTENSIONS |= {"docx": "docx", "xlsx": "xlsx"}


@dataclass(frozen=True, slots=True)
class Item:
    """One evidence file or link with the facts the engine uses."""

    id: Any
    label: str
    file_type: str | None
    visual: bool
    status: str
    kind: str | None
    date: dt.date | None
    year: int | None
    issuer: str | None
    named: bool | None
    people_count: int | None
    count: int | None
    value: float | None

    @property
    def has_facts(self) -> bool:
        """Whether detection (or a person) gave this item a document kind."""
        return self.kind is not None


def _text(value: Any) -> str | None:
    """A stripped non-empty string, or None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _count(value: Any) -> int | None:
    """A non-negative whole count, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and math.isfinite(value) and value >= 0:
        return int(value)
    return None


def _number(value: Any) -> float | None:
    """A finite float, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _file_type(media_type: str | None, filename: str | None, url: str | None) -> str | None:
    """'pdf', 'jpg', 'png', 'mp4', ... or 'link' for a URL without a file."""
    if media_type:
        known = _MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if known:
            return known
    if filename and "." in filename:
        known = _EXTENSIONS.get(filename.rsplit(".", 1)[1].lower())
        if known:
            return known
    if url and not media_type:
        return "link"
    return None


def normalise(raw: Any) -> Item | None:
    """An Item from one evidence dict; None when it is not a dict at all."""
    if not isinstance(raw, dict):
        return None
    media_type = _text(raw.get("media_type"))
    url = _text(raw.get("url"))
    filename = _text(raw.get("filename"))
    given = raw.get("facts")
    facts: dict[str, Any] = given if isinstance(given, dict) else {}
    file_type = _file_type(media_type, filename, url)
    status = _text(raw.get("extraction_status"))
    if status not in EXTRACTION_STATUSES:
        # Unknown status: trust facts when there are some, else treat it as still being read.
        status = "done" if facts else "pending"
    evidence_id = raw.get("id")
    if not isinstance(evidence_id, str | int) or isinstance(evidence_id, bool):
        evidence_id = None
    label = filename or url or (f"bukti #{evidence_id}" if evidence_id is not None else "bukti")
    kind = _text(facts.get("kind"))
    date = to_date(facts.get("date"))
    named = facts.get("names_innovation")
    return Item(
        id=evidence_id,
        label=label[:120],
        file_type=file_type,
        visual=file_type in {"jpg", "png", "mp4", "mov", "link"},
        status=status,
        kind=kind.lower() if kind else None,
        date=date,
        year=covered_year(_text(facts.get("title")), date, facts.get("year")),
        issuer=_text(facts.get("issuer")),
        named=named if isinstance(named, bool) else None,
        people_count=_count(facts.get("people_count")),
        count=_count(facts.get("count")),
        value=_number(facts.get("value")),
    )


def group_by_indicator(evidence: Any) -> dict[str, list[Item]]:
    """Normalised items per indicator code, in input order; junk entries are skipped."""
    groups: dict[str, list[Item]] = {}
    if not isinstance(evidence, list | tuple):
        return groups
    for raw in evidence:
        if not isinstance(raw, dict):
            continue
        code = raw.get("indicator")
        if not isinstance(code, str):
            continue
        item = normalise(raw)
        if item is not None:
            groups.setdefault(code, []).append(item)
    return groups
