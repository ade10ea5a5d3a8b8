"""Typed values read from a page's form fields, with the error a user sees beside the form."""

from __future__ import annotations

from datetime import date

from archive.errors import BadInput


def form_date(value: str, label: str) -> date:
    """A date typed as YYYY-MM-DD (what ``<input type=date>`` sends)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"Tanggal {label} tidak valid; gunakan format TTTT-BB-HH.") from None


def optional_form_date(value: str, label: str) -> date | None:
    """A date that may be left empty (None)."""
    return form_date(value, label) if value.strip() else None
