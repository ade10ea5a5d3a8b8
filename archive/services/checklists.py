"""The checklist of each innovation: evaluated by the pure engine, stored after every change.

A stored checklist is stale when it was made under another engine or rule-pack content
(``is_fresh``), or when the innovation's inputs changed since (a pending "recheck" job, written
by ``mark_stale`` with the change). Whoever changes an input calls ``inputs_changed``, which marks
and evaluates at once; should the evaluation not happen (the process stopped, it raised), every
reader sees the mark and evaluates before showing, and the worker takes the job.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from archive import audit, runtime
from archive.audit import Actor
from archive.errors import BadInput
from archive.models import (
    ChecklistResult,
    IndicatorClaim,
    Innovation,
    Job,
    JobKind,
    JobState,
    User,
)
from archive.scoping import get_editable_innovation, visible_innovations
from archive.services.inputs import evaluation_input, reviews_for_engine
from archive.services.rules import rulepack_for_year
from checklist import ENGINE_VERSION, RulePack, evaluate
from checklist.summary import is_current, summarize
from checklist.types import ChecklistResult as ChecklistResultDict


def _marks(innovation_id: int | None = None) -> Any:
    query = Job.filter(kind=JobKind.RECHECK, state=JobState.PENDING)
    return query if innovation_id is None else query.filter(ref=str(innovation_id))


async def mark_stale(innovation_id: int) -> None:
    """Mark the innovation's checklist stale: one pending recheck however often it is called.

    Call it inside the transaction of the change, so the change and the mark land together.
    """
    if not await _marks(innovation_id).exists():
        await Job.create(kind=JobKind.RECHECK, ref=str(innovation_id))


async def stale_ids() -> set[int]:
    """Innovations marked stale and not evaluated since."""
    return {int(ref) for ref in await _marks().values_list("ref", flat=True)}


async def inputs_changed(innovation_id: int) -> ChecklistResultDict:
    """An input of the innovation's checklist changed: mark it stale, then evaluate it."""
    await mark_stale(innovation_id)
    return await refresh(innovation_id)


async def recheck_pending(limit: int = 50) -> int:
    """Evaluate the innovations still marked stale (the worker's share); returns how many."""
    refs = await _marks().order_by("id").limit(limit).values_list("ref", flat=True)
    done = 0
    for ref in dict.fromkeys(refs):
        if await Innovation.exists(id=int(ref)):
            await refresh(int(ref))
        else:  # the innovation is gone: nothing to evaluate
            await _marks(int(ref)).delete()
        done += 1
    return done


async def refresh(innovation_id: int) -> ChecklistResultDict:
    """Evaluate one innovation, store the result and clear the marks it answers."""
    # Marks written after this point (a change racing this evaluation) must survive it.
    marks = await _marks(innovation_id).values_list("id", flat=True)
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
    values: dict[str, Any] = {
        "rulepack": pack.id,
        "rulepack_digest": pack.digest,
        "engine_version": ENGINE_VERSION,
        "completeness": result["completeness"],
        "claimed": maturity["claimed"],
        "supported": maturity["supported"],
        "verified": maturity["verified"],
        "result": result,
        "summary": summarize(result),
    }
    await _store(innovation_id, values)
    if marks:
        await Job.filter(id__in=marks).delete()
    return result


async def _store(innovation_id: int, values: dict[str, Any]) -> None:
    """Update the stored checklist, or insert the first one. Another process (the worker's
    recheck racing a request) may insert it in between: then update that row instead."""
    stored = ChecklistResult.filter(innovation_id=innovation_id)
    if await stored.update(**values):
        return
    try:
        async with in_transaction():  # a savepoint: a lost race must not spoil the caller's
            await ChecklistResult.create(innovation_id=innovation_id, **values)
    except IntegrityError:
        await stored.update(**values)


def is_fresh(
    pack: RulePack,
    rulepack: str,
    digest: str | None,
    engine_version: int | None,
    summary: dict[str, Any] | None,
) -> bool:
    """Whether a stored checklist was made by this engine under this content of the year's pack.

    Every read of a stored checklist goes through it (and the marks of changed inputs), and a
    stale one is evaluated again before it is shown, so a changed rule pack, engine or input
    never leaves an old verdict on screen.
    """
    return (
        rulepack == pack.id
        and digest == pack.digest
        and engine_version == ENGINE_VERSION
        and is_current(summary)
    )


async def get_checklist(innovation: Innovation) -> ChecklistResultDict:
    """The innovation's checklist: the stored one, or evaluated again when missing or stale."""
    stored = await ChecklistResult.get_or_none(innovation_id=innovation.id)
    pack = await rulepack_for_year(innovation.year)
    if (
        stored is None
        or not is_fresh(
            pack, stored.rulepack, stored.rulepack_digest, stored.engine_version, stored.summary
        )
        or await _marks(innovation.id).exists()
    ):
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
    await inputs_changed(innovation.id)
    return claim


@dataclass(frozen=True)
class StoredSummary:
    """A stored checklist without its full result: the columns and ``checklist.summary``."""

    innovation_id: int
    rulepack: str
    rulepack_digest: str | None
    engine_version: int | None
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
    stale = await stale_ids()
    packs: dict[int, RulePack] = {}
    for innovation in innovations:
        if innovation.year not in packs:
            packs[innovation.year] = await rulepack_for_year(innovation.year)
        row = rows.get(innovation.id)
        pack = packs[innovation.year]
        if (
            row is None
            or innovation.id in stale
            or not is_fresh(
                pack, row.rulepack, row.rulepack_digest, row.engine_version, row.summary
            )
        ):
            await refresh(innovation.id)
            (rows[innovation.id],) = await _summaries(innovation_id=innovation.id)
    return rows


async def visible_results(
    user: User | None,
    *,
    year: int | None,
    unit: str | None,
    unit_id: int | None = None,
    ids: set[int] | None = None,
) -> list[tuple[Innovation, ChecklistResultDict]]:
    """Stored checklists of the innovations the caller may see (computed where stale),
    narrowed to a unit (by code or id) or to some innovations before anything is read."""
    query = visible_innovations(user)
    if year is not None:
        query = query.filter(year=year)
    if unit:
        query = query.filter(unit__code=unit)
    if unit_id is not None:
        query = query.filter(unit_id=unit_id)
    if ids is not None:
        query = query.filter(id__in=list(ids))
    innovations = await query.order_by("unit_id", "name").prefetch_related("unit")
    stored = {
        r.innovation_id: r
        for r in await ChecklistResult.filter(innovation_id__in=[i.id for i in innovations])
    }
    stale = await stale_ids()
    packs: dict[int, RulePack] = {}
    rows = []
    for innovation in innovations:
        if innovation.year not in packs:
            packs[innovation.year] = await rulepack_for_year(innovation.year)
        row = stored.get(innovation.id)
        if row is not None and innovation.id not in stale and is_fresh(
            packs[innovation.year], row.rulepack, row.rulepack_digest, row.engine_version,
            row.summary,
        ):  # fmt: skip
            rows.append((innovation, row.result))
        else:
            rows.append((innovation, await refresh(innovation.id)))
    return rows
