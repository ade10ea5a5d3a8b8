"""Builders of plain-data inputs for the checklist engine tests."""

from __future__ import annotations

import itertools
from typing import Any

from checklist.engine import evaluate
from checklist.rulepack import load_rulepack

REGION = "Kabupaten Balangan"
ISSUER = "Pemerintah Kabupaten Balangan"
_ids = itertools.count(1)

DESIGN = " ".join(["kata"] * 320)


def profile(**overrides: Any) -> dict[str, Any]:
    """A complete, consistent 2026 profile."""
    base = {
        "id": 7,
        "year": 2026,
        "name": "SEPEDA BARU",
        "made_by": "OPD",
        "stage": "penerapan",
        "initiator": "ASN",
        "type": "digital",
        "form": "pelayanan publik",
        "affairs": "Kesehatan",
        "design": DESIGN,
        "goals": "Mempercepat layanan",
        "benefits": "Layanan lebih cepat",
        "results": "Waktu layanan turun",
        "trial_date": "2024-02-01",
        "implementation_date": "2024-06-01",
        "budget": 10_000_000,
    }
    return base | overrides


def doc(
    indicator: str,
    kind: str | None = None,
    *,
    date: str | None = "2025-06-01",
    title: str | None = None,
    named: bool | None = True,
    issuer: str | None = ISSUER,
    people: int | None = None,
    count: int | None = None,
    value: float | None = None,
    status: str = "done",
    media_type: str | None = "application/pdf",
    filename: str | None = None,
    url: str | None = None,
    facts: bool = True,
) -> dict[str, Any]:
    """One evidence dict as the archive passes it."""
    number = next(_ids)
    return {
        "id": number,
        "indicator": indicator,
        "media_type": media_type,
        "url": url,
        "filename": filename or (None if url else f"bukti-{number}.pdf"),
        "extraction_status": status,
        "facts": (
            {
                "kind": kind,
                "number": f"{number} TAHUN 2025",
                "date": date,
                "title": title,
                "issuer": issuer,
                "names_innovation": named,
                "people_count": people,
                "count": count,
                "value": value,
            }
            if facts
            else None
        ),
    }


def image(indicator: str, **kw: Any) -> dict[str, Any]:
    """A photo or screenshot with no readable facts."""
    return doc(indicator, media_type="image/jpeg", filename="foto.jpg", facts=False, **kw)


def link(indicator: str) -> dict[str, Any]:
    """A video or page link."""
    return doc(
        indicator,
        media_type=None,
        url="https://youtu.be/abc",
        status="not_applicable",
        facts=False,
    )


def check(
    evidence: list[dict[str, Any]],
    claims: dict[str, Any] | None = None,
    *,
    pack: str = "iid-2026",
    year: int | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """Evaluate with a complete profile; claims may be {code: level}."""
    rulepack = load_rulepack(pack)
    claims = {
        code: claim if isinstance(claim, dict) else {"claimed_level": claim}
        for code, claim in (claims or {}).items()
    }
    return evaluate(
        profile(year=year or rulepack.year),
        claims,
        evidence,
        rulepack,
        year or rulepack.year,
        region=kw.pop("region", REGION),
        **kw,
    )


def row(result: dict[str, Any], code: str) -> dict[str, Any]:
    """The checklist row of one indicator."""
    return next(item for item in result["indicators"] if item["code"] == code)


def codes(entry: dict[str, Any]) -> set[str]:
    """Finding codes of a row."""
    return {f["code"] for f in entry["findings"]}
