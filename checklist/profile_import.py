"""Import an innovation profile document (numbered or titled sections) into profile fields."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from checklist.dates import parse_date
from checklist.textutil import load_patterns, squash

NATIONAL_FIELDS = (
    "name",
    "made_by",
    "stage",
    "initiator",
    "type",
    "form",
    "affairs",
    "design",
    "goals",
    "benefits",
    "results",
    "trial_date",
    "implementation_date",
    "budget",
)
_NUMBERING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-hA-H])[.)]\s*")
_MARKUP = re.compile(r"[*_`>#]+")
# Lead-in phrases a writer puts before the value ("Inovasi diberi nama X.").
_LEAD_INS = {
    "name": r"^.*?\b(diberi\s+nama|bernama|dinamakan|dengan\s+nama)\s+",
    "made_by": r"^.*?\bdibuat\s+oleh\s+",
    "initiator": r"^[^:]{0,60}:\s*",
    "form": r"^.*?\bberbentuk\s+",
    "affairs": r"^.*?\btermasuk\s+(dalam\s+)?(kategori\s+)?",
}
_STAGE_WORDS = {"inisiatif": "inisiatif", "uji coba": "uji coba", "ujicoba": "uji coba"}
_STAGE_WORDS |= {"penerapan": "penerapan", "implementasi": "penerapan", "diterapkan": "penerapan"}


@cache
def _sections() -> list[tuple[str, bool, re.Pattern[str]]]:
    """(field, is_national, title pattern) for every known section title."""
    spec = load_patterns("profile.yaml")
    out = []
    for group, national in (("fields", True), ("proposal", False)):
        for field, patterns in spec[group].items():
            out += [(field, national, re.compile(p)) for p in patterns]
    return out


def _label(field: str) -> str:
    """Indonesian label of a field."""
    return str(load_patterns("profile.yaml")["labels"].get(field, field))


def _plain(line: str) -> str:
    """A line without markdown marks and surrounding blanks."""
    return squash(_MARKUP.sub(" ", line))


def _heading(line: str) -> tuple[str, str] | None:
    """(field, inline value) when the line is a section title, optionally 'Title: value'."""
    text = _NUMBERING.sub("", _plain(line))
    if not text or len(text) > 160:
        return None
    candidates = [(text, "")]
    if ":" in text:
        title, value = text.split(":", 1)
        candidates.append((title, value.strip()))
    for title, value in candidates:
        key = re.sub(r"\s*\(.*\)\s*$", "", title).strip(" :.").lower()
        if len(key) > 80:
            continue
        for field, _, pattern in _sections():
            if pattern.fullmatch(key):
                return field, value
    return None


def _is_subheading(line: str) -> bool:
    """Whether a content line is only a sub-title ("**Dampak :**", "### Latar Belakang")."""
    raw = line.strip()
    words = len(_plain(raw).split())
    marked = raw.startswith("#") or (raw.startswith("**") and raw.endswith("**"))
    return (marked and words <= 12) or (raw.endswith(":") and words <= 8)


def _split(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """Section lines per field, in document order, and the fields seen."""
    sections: dict[str, list[str]] = {}
    seen: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        found = _heading(line)
        if found:
            current, value = found
            if current not in sections:
                seen.append(current)
            sections.setdefault(current, [])
            if value:
                sections[current].append(value)
        elif current:
            sections[current].append(line)
    return sections, seen


def _body(lines: list[str]) -> str | None:
    """Section text with markdown removed; None when it holds only blanks and sub-titles."""
    kept = [ln for ln in lines if ln.strip()]
    if all(_is_subheading(ln) for ln in kept):
        return None
    paragraphs = []
    for ln in kept:
        clean = re.sub(r"\*\*|__|^#+\s*", "", ln.strip()).strip()
        paragraphs.append(clean)
    return "\n".join(paragraphs).strip() or None


def _short_value(field: str, body: str) -> str:
    """A one-line field value without the writer's lead-in and final full stop."""
    first = squash(body.split("\n")[0])
    lead = _LEAD_INS.get(field)
    if lead:
        first = re.sub(lead, "", first, count=1, flags=re.IGNORECASE) or first
    return first.rstrip(" .;")


def _stage(body: str) -> str | None:
    """'inisiatif', 'uji coba' or 'penerapan' read from the stage section."""
    low = body.lower()
    after = re.search(r"\btahap(?:an)?\s+(inisiatif|uji\s?coba|penerapan|implementasi)", low)
    if after:
        return _STAGE_WORDS[after.group(1)]
    found = {v for k, v in _STAGE_WORDS.items() if re.search(rf"\b{k}\b", low)}
    return found.pop() if len(found) == 1 else None


def _type(body: str) -> str | None:
    """'digital' or 'non digital'."""
    low = body.lower()
    if re.search(r"\bnon[\s-]*digital\b", low):
        return "non digital"
    return "digital" if re.search(r"\bdigital\b", low) else None


def _finding(code: str, field: str, message: str) -> dict[str, str]:
    """One import finding."""
    return {"code": code, "field": field, "message": message}


def _value(field: str, body: str, findings: list[dict[str, str]]) -> Any:
    """Typed value of a filled section, adding a finding when it cannot be read."""
    label = _label(field)
    if field in ("trial_date", "implementation_date"):
        value = parse_date(body)
        if value is None:
            message = f"Isi bagian '{label}' tidak dapat dibaca sebagai tanggal: \"{body[:60]}\"."
            findings.append(_finding("INVALID_VALUE", field, message))
        return value
    if field in ("stage", "type"):
        value = _stage(body) if field == "stage" else _type(body)
        if value is None:
            allowed = "inisiatif, uji coba atau penerapan" if field == "stage" else (
                "digital atau non digital"
            )  # fmt: skip
            message = f"Isi bagian '{label}' tidak dikenali; pilih {allowed}."
            findings.append(_finding("INVALID_VALUE", field, message))
        return value
    if field in _LEAD_INS:
        return _short_value(field, body)
    return body


def _from_prose(text: str) -> dict[str, Any]:
    """Fields stated in running text when the document has no recognisable sections."""
    found: dict[str, Any] = {}
    low = text.lower()
    name = re.search(r"(?:diberi\s+nama|bernama)\s+([^.\n]{3,120})", text, re.IGNORECASE)
    if name:
        found["name"] = name.group(1).strip()
    stage = re.search(r"\btahap(?:an)?\s+(inisiatif|uji\s?coba|penerapan)", low)
    if stage:
        found["stage"] = _STAGE_WORDS[stage.group(1)]
    for field, words in (("trial_date", r"uji\s?coba"), ("implementation_date", r"implementasi")):
        # Look the keyword up first, then read its sentence: a bounded window, never a scan.
        hit = re.search(rf"\b{words}\b", text, re.IGNORECASE)
        if hit:
            sentence = re.split(r"[.\n]", text[hit.start() : hit.end() + 200])[0]
            if parse_date(sentence):
                found[field] = parse_date(sentence)
    return found


def parse_profile(text: str) -> dict[str, Any]:
    """Profile fields and findings (Bahasa Indonesia) read from a profile document's text."""
    text = text if isinstance(text, str) else ""
    sections, seen = _split(text)
    fields: dict[str, Any] = dict.fromkeys(NATIONAL_FIELDS)
    findings: list[dict[str, str]] = []
    if not seen:
        fields.update(_from_prose(text))
        findings.append(
            _finding(
                "NOT_FOUND",
                "profile",
                "Tidak ada bagian profil yang dikenali (mis. '1. Nama Inovasi'); hanya isian "
                "yang tertulis jelas di teks yang diambil.",
            )
        )
    for field in seen:
        body = _body(sections[field])
        if body is None:
            fields[field] = None
            message = f"Bagian '{_label(field)}' ada di dokumen tetapi belum diisi."
            findings.append(_finding("FIELD_EMPTY", field, message))
        else:
            fields[field] = _value(field, body, findings)
    for field in NATIONAL_FIELDS:
        if field not in sections and fields[field] is None:
            message = f"Bagian '{_label(field)}' tidak ditemukan di dokumen profil."
            findings.append(_finding("NOT_FOUND", field, message))
    return {"fields": fields, "findings": findings}
