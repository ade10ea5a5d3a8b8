"""What the checklist engine reads about one innovation, gathered from the records.

A leaf of ``archive.services``: it imports no other service, so the services that change these
records (evidence, facts, reviews) can call ``checklists.inputs_changed`` without an import
cycle.
"""

from __future__ import annotations

from typing import Any

from archive.models import (
    Blob,
    Evidence,
    IndicatorClaim,
    Innovation,
    Review,
    ReviewState,
    Unit,
)
from archive.schemas.evidence import Facts

FACT_FIELDS = ("kind", "number", "date", "title", "issuer")


def effective_facts(evidence: Evidence) -> Facts:
    """What was read from the document, with a person's corrections on top."""
    read = dict(evidence.facts or {})
    corrected = dict(evidence.facts_corrected or {})
    merged = {key: corrected.get(key, read.get(key)) for key in FACT_FIELDS}
    return Facts(
        **merged,
        names_innovation=read.get("names_innovation"),
        corrected=sorted(corrected),
    )


async def reviews_for_engine(innovation: Innovation) -> dict[str, dict[str, Any]]:
    """The reviews the checklist counts: only those still about the evidence on file."""
    rows = await Review.filter(innovation_id=innovation.id, state=ReviewState.DONE)
    return {
        r.indicator: {
            "verified_level": r.verified_level,
            "verdict": str(r.verdict),
            "note": r.note or "",
        }
        for r in rows
    }


PROFILE_KEYS = [
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
    "development_date",
    "budget",
]


async def evaluation_input(innovation: Innovation) -> dict[str, Any]:
    """The plain data the engine reads, gathered from the records."""
    profile = {key: getattr(innovation, key) for key in PROFILE_KEYS}
    profile.update(id=innovation.id, year=innovation.year)
    for key, value in profile.items():
        if hasattr(value, "isoformat"):
            profile[key] = value.isoformat()
        elif hasattr(value, "value"):
            profile[key] = value.value
    claims = {
        c.indicator: {"claimed_level": c.claimed_level, "basis": c.basis}
        for c in await IndicatorClaim.filter(innovation_id=innovation.id)
    }
    rows = await Evidence.filter(innovation_id=innovation.id, is_current=True, deleted_at=None)
    statuses = dict(
        await Blob.filter(sha256__in=[r.blob_id for r in rows if r.blob_id]).values_list(
            "sha256", "extraction_status"
        )
    )
    evidence = []
    for row in rows:
        facts = effective_facts(row).model_dump()
        read = row.facts or {}
        for key in ("people_count", "count", "value", "year"):
            if key in read:
                facts[key] = read[key]
        evidence.append(
            {
                "id": row.id,
                "indicator": row.indicator,
                "media_type": row.media_type,
                "url": row.url,
                "filename": row.filename,
                "extraction_status": str(statuses.get(row.blob_id, "not_applicable"))
                if row.blob_id
                else "not_applicable",
                "facts": facts,
            }
        )
    unit = await Unit.get(id=innovation.unit_id)
    return {"profile": profile, "claims": claims, "evidence": evidence, "unit_kind": str(unit.kind)}
