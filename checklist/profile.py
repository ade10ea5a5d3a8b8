"""Checks of the innovation profile (Proposal Inovasi Daerah): fields, design, dates, stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checklist.findings import ERROR, WARNING, finding
from checklist.rulepack import RulePack
from checklist.timeref import plausible_year, to_date
from checklist.types import Finding

STAGES = ("inisiatif", "uji coba", "penerapan")
TYPES = ("digital", "non digital")
LABELS = {
    "name": "Nama inovasi",
    "made_by": "Dibuat oleh",
    "stage": "Tahapan inovasi",
    "initiator": "Inisiator inovasi",
    "type": "Jenis inovasi",
    "form": "Bentuk inovasi",
    "affairs": "Urusan pemerintahan",
    "design": "Rancang bangun",
    "goals": "Tujuan inovasi",
    "benefits": "Manfaat yang diperoleh",
    "results": "Hasil inovasi",
    "trial_date": "Waktu uji coba",
    "implementation_date": "Waktu penerapan",
    "budget": "Anggaran",
}
_DATE_FIELDS = ("trial_date", "implementation_date", "development_date")


def _empty(value: Any) -> bool:
    """None, blank strings and empty collections count as empty."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | dict):
        return not value
    return False


def _label(field: str) -> str:
    """The Indonesian label of a profile field."""
    return LABELS.get(field, field)


def _words(value: Any) -> int:
    """Number of words in a text (0 for non-text)."""
    return len(value.split()) if isinstance(value, str) else 0


def _norm(value: Any) -> str | None:
    """Lower-case single-spaced text, or None."""
    return " ".join(value.lower().split()) if isinstance(value, str) else None


def check_profile(profile: dict[str, Any], year: int, rulepack: RulePack) -> list[Finding]:
    """Findings ``{code, severity, field, message}`` for one profile; never raises."""
    profile = profile if isinstance(profile, dict) else {}
    year = plausible_year(year) or rulepack.year
    rules = rulepack.profile
    out: list[Finding] = []
    for field in rules.required_fields:
        if _empty(profile.get(field)):
            out.append(
                finding(
                    "FIELD_EMPTY",
                    ERROR,
                    f"{_label(field)} belum diisi. Lengkapi kolom {_label(field)} pada profil "
                    "inovasi.",
                    field=field,
                )
            )
    out += _enumerations(profile)
    design = profile.get("design")
    words = _words(design)
    if not _empty(design) and words < rules.design_min_words:
        out.append(
            finding(
                "DESIGN_TOO_SHORT",
                ERROR,
                f"Rancang bangun baru {words} kata; minimal {rules.design_min_words} kata. "
                "Lengkapi dengan dasar hukum, permasalahan, isu strategis, metode baru, "
                "keunggulan/kebaruan dan tahapan inovasi.",
                field="design",
            )
        )
    dates = _dates(profile, out)
    out += _date_order(dates)
    out += _stage(profile, dates, year)
    out += _eligibility(dates, rulepack, year)
    return out


def _enumerations(profile: dict[str, Any]) -> list[Finding]:
    """Stage and type must be one of their listed values."""
    out = []
    for field, allowed in (("stage", STAGES), ("type", TYPES)):
        value = profile.get(field)
        if not _empty(value) and _norm(value) not in allowed:
            choices = ", ".join(f"'{choice}'" for choice in allowed)
            out.append(
                finding(
                    "INVALID_VALUE",
                    ERROR,
                    f"{_label(field)} '{value}' tidak dikenal; pilih salah satu: {choices}.",
                    field=field,
                )
            )
    return out


def _dates(profile: dict[str, Any], out: list[Finding]) -> dict[str, dt.date | None]:
    """Parsed profile dates; unreadable ones get INVALID_DATE."""
    dates: dict[str, dt.date | None] = {}
    for field in _DATE_FIELDS:
        raw = profile.get(field)
        dates[field] = to_date(raw)
        if dates[field] is None and not _empty(raw):
            out.append(
                finding(
                    "INVALID_DATE",
                    ERROR,
                    f"{_label(field)} '{raw}' bukan tanggal yang sah; isi dengan format "
                    "TTTT-BB-HH.",
                    field=field,
                )
            )
    return dates


def _date_order(dates: dict[str, dt.date | None]) -> list[Finding]:
    """A trial comes before (or on the day of) implementation."""
    trial, applied = dates["trial_date"], dates["implementation_date"]
    if trial and applied and trial > applied:
        return [
            finding(
                "DATE_ORDER",
                ERROR,
                f"Waktu uji coba ({trial.isoformat()}) sesudah waktu penerapan "
                f"({applied.isoformat()}). Perbaiki tanggal: uji coba mendahului penerapan.",
                field="trial_date",
            )
        ]
    return []


def _stage(profile: dict[str, Any], dates: dict[str, dt.date | None], year: int) -> list[Finding]:
    """The stage agrees with the dates as of the end of the assessment year."""
    stage = _norm(profile.get("stage"))
    trial, applied = dates["trial_date"], dates["implementation_date"]
    year_end = dt.date(year, 12, 31)
    message = None
    if stage == "inisiatif" and (
        (trial and trial <= year_end) or (applied and applied <= year_end)
    ):
        message = (
            "Tahapan 'inisiatif' tetapi sudah ada waktu uji coba/penerapan. Ubah tahapan menjadi "
            "'uji coba' atau 'penerapan', atau kosongkan tanggalnya."
        )
    elif stage == "uji coba" and applied and applied <= year_end:
        message = (
            "Tahapan 'uji coba' tetapi waktu penerapan sudah terisi. Ubah tahapan menjadi "
            "'penerapan', atau kosongkan waktu penerapan."
        )
    elif stage == "penerapan" and applied and applied > year_end:
        message = (
            f"Tahapan 'penerapan' tetapi waktu penerapan ({applied.isoformat()}) sesudah tahun "
            f"penilaian {year}. Periksa tanggal atau ubah tahapan."
        )
    return [finding("STAGE_MISMATCH", WARNING, message, field="stage")] if message else []


def _eligibility(dates: dict[str, dt.date | None], rulepack: RulePack, year: int) -> list[Finding]:
    """The assessment year's window: applied in it, or developed in it (rule pack dates)."""
    rules = rulepack.profile
    applied = dates["implementation_date"]
    if applied is None or rules.applied_from is None or rules.applied_to is None:
        return []
    start, end = rules.applied_from, rules.applied_to
    if year != rulepack.year:
        # The window moves with the year when a pack is applied to another year.
        shift = year - rulepack.year
        start, end = _shift(start, shift), _shift(end, shift)
    developed = dates["development_date"]
    period = f"{start.isoformat()} s.d. {end.isoformat()}"
    if applied < start and not (developed and start <= developed <= end):
        return [
            finding(
                "NOT_ELIGIBLE",
                WARNING,
                f"Inovasi diterapkan {applied.isoformat()}, sebelum periode penilaian {year} "
                f"({period}). Inovasi lama hanya dinilai bila ada pengembangan dalam periode itu: "
                "isi waktu pengembangan terbaru dan unggah bukti pembaruannya.",
                field="implementation_date",
            )
        ]
    if applied > end:
        return [
            finding(
                "NOT_ELIGIBLE",
                WARNING,
                f"Inovasi diterapkan {applied.isoformat()}, sesudah periode penilaian {year} "
                f"({period}); inovasi belum memenuhi masa penerapan untuk tahun ini.",
                field="implementation_date",
            )
        ]
    return []


def _shift(day: dt.date, years: int) -> dt.date:
    """The same calendar day some years later (28 Feb for 29 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
