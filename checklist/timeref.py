"""Dates of plain-data inputs and the year a document covers (T-0, T-1, T-2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# "Tahun Anggaran 2025", "TA 2025", "RKPD Tahun 2025": the year a plan or budget covers.
_COVERED_YEAR = re.compile(r"(?:tahun\s+anggaran|\bt\.?\s?a\.?|tahun)\s*(\d{4})\b", re.IGNORECASE)


def to_date(value: Any) -> dt.date | None:
    """A date from a date, datetime or ISO string; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 10:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    return None


def plausible_year(value: Any) -> int | None:
    """An int year between 1945 and 2100, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1945 <= value <= 2100 else None


def covered_year(title: str | None, date: dt.date | None, explicit: Any = None) -> int | None:
    """The year a document covers: an explicit year, else 'Tahun (Anggaran) YYYY' in the title.

    Budgets and plans are set before the year they cover (a DPA for 2026 is often signed in
    December 2025, an RKPD for 2026 in mid-2025), so the title wins over the signing date.
    """
    year = plausible_year(explicit)
    if year is not None:
        return year
    if title:
        match = _COVERED_YEAR.search(title)
        if match:
            year = plausible_year(int(match.group(1)))
            if year is not None:
                return year
    return date.year if date else None
