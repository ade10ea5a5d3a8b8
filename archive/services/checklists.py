"""The checklist of each innovation: evaluated by the pure engine, stored after every change."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from archive import audit, runtime
from archive.audit import Actor
from archive.errors import BadInput
from archive.models import (
    Blob,
    ChecklistResult,
    Evidence,
    IndicatorClaim,
    Innovation,
    Unit,
    User,
)
from archive.scoping import get_editable_innovation, visible_innovations
from archive.services.facts import effective_facts
from archive.services.rules import rulepack_for_year
from checklist import evaluate
from checklist.summary import is_current, summarize

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


async def refresh(innovation_id: int) -> dict[str, Any]:
    """Evaluate one innovation and store the result."""
    from archive.services.reviews import reviews_for_engine  # reviews build on this module

    innovation = await Innovation.get(id=innovation_id)
    data = await evaluation_input(innovation)
    pack = await rulepack_for_year(innovation.year)
    result = evaluate(
        data["profile"],
        data["claims"],
        data["evidence"],
        pack,
        innovation.year,
        region=runtime.region,
        reviews=await reviews_for_engine(innovation),
        unit_kind=data["unit_kind"],
    )
    maturity = result["maturity"]
    values = {
        "rulepack": pack.id,
        "completeness": result["completeness"],
        "claimed": maturity["claimed"],
        "supported": maturity["supported"],
        "verified": maturity["verified"],
        "result": result,
        "summary": summarize(result),
    }
    if not await ChecklistResult.filter(innovation_id=innovation_id).update(**values):
        await ChecklistResult.create(innovation_id=innovation_id, **values)
    return result


async def get_checklist(innovation: Innovation) -> dict[str, Any]:
    stored = await ChecklistResult.get_or_none(innovation_id=innovation.id)
    if stored is None:
        return await refresh(innovation.id)
    return stored.result


async def set_claim(
    user: User, innovation_id: int, code: str, level: int, basis: str | None, note: str | None,
    actor: Actor,
) -> IndicatorClaim:  # fmt: skip
    innovation = await get_editable_innovation(user, innovation_id)
    pack = await rulepack_for_year(innovation.year)
    indicator = next((i for i in pack.indicators if i.code == code), None)
    if indicator is None:
        raise BadInput(f"Kode indikator '{code}' tidak dikenal dalam paket aturan {pack.id}.")
    bases = [str(b) for b in (indicator.bases or {})]
    if basis is not None and bases and basis not in bases:
        raise BadInput(f"basis: pilih salah satu dari {', '.join(map(str, bases))}.")
    claim = await IndicatorClaim.get_or_none(innovation_id=innovation.id, indicator=code)
    before = {"claimed_level": claim.claimed_level, "basis": claim.basis} if claim else None
    if claim is None:
        claim = await IndicatorClaim.create(
            innovation_id=innovation.id,
            indicator=code,
            claimed_level=level,
            basis=basis,
            note=note,
        )
    else:
        claim.claimed_level, claim.basis, claim.note = level, basis, note
        await claim.save()
    await audit.record(
        actor,
        "claim",
        "innovation",
        innovation.id,
        before={code: before} if before else None,
        after={code: {"claimed_level": level, "basis": basis}},
    )
    await refresh(innovation.id)
    return claim


@dataclass(frozen=True)
class StoredSummary:
    """A stored checklist without its full result: the columns and ``checklist.summary``."""

    innovation_id: int
    rulepack: str
    completeness: float
    claimed: int
    supported: int
    verified: int
    summary: dict[str, Any] | None


SUMMARY_FIELDS = tuple(f.name for f in fields(StoredSummary))


async def _summaries(**filters: Any) -> list[StoredSummary]:
    # Plain values, not model instances: building 1,000 models costs more than the query.
    rows = await ChecklistResult.filter(**filters).values_list(*SUMMARY_FIELDS)
    return [StoredSummary(*row) for row in rows]


async def stored_summaries(innovations: list[Innovation]) -> dict[int, StoredSummary]:
    """Each innovation's stored checklist without its full result, re-evaluated where stale.

    A year's reports read the summary (``checklist.summary``), about a kilobyte per innovation,
    instead of the thirteen of the full result.
    """
    ids = [innovation.id for innovation in innovations]
    rows = {row.innovation_id: row for row in await _summaries(innovation_id__in=ids)}
    packs: dict[int, str] = {}
    for innovation in innovations:
        if innovation.year not in packs:
            packs[innovation.year] = (await rulepack_for_year(innovation.year)).id
        row = rows.get(innovation.id)
        if row is None or row.rulepack != packs[innovation.year] or not is_current(row.summary):
            await refresh(innovation.id)
            (rows[innovation.id],) = await _summaries(innovation_id=innovation.id)
    return rows


async def visible_results(
    user: User | None, *, year: int | None, unit: str | None
) -> list[tuple[Innovation, dict[str, Any]]]:
    """Stored checklists of the innovations the caller may see (computed where missing)."""
    query = visible_innovations(user)
    if year is not None:
        query = query.filter(year=year)
    if unit:
        query = query.filter(unit__code=unit)
    innovations = await query.order_by("unit_id", "name").prefetch_related("unit")
    stored = {
        r.innovation_id: r.result
        for r in await ChecklistResult.filter(innovation_id__in=[i.id for i in innovations])
    }
    rows = []
    for innovation in innovations:
        result = stored.get(innovation.id) or await refresh(innovation.id)
        rows.append((innovation, result))
    return rows
