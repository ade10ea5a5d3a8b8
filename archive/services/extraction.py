"""Storing what extraction read: text per blob, facts per evidence, and the job bookkeeping."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import anyio.to_thread
from tortoise.transactions import in_transaction

from archive.models import Blob, Evidence, ExtractionStatus, Innovation, Job, JobKind, JobState
from archive.services import checklists, search_outbox
from archive.timeutil import utcnow
from checklist.facts import read_facts

MAX_ATTEMPTS = 3
# Media types whose kind is known without reading: a photo is a photo.
KIND_BY_MEDIA = {"image/jpeg": "foto", "image/png": "foto", "video/mp4": "video"}


async def reset_interrupted_jobs() -> int:
    """Jobs left running by a crash or restart go back to the queue."""
    return await Job.filter(state=JobState.RUNNING).update(state=JobState.PENDING)


async def claim_jobs(kind: JobKind, limit: int, *, slow: bool | None = None) -> list[Job]:
    """Take up to ``limit`` pending jobs; two workers never take the same one.

    ``slow`` picks a lane of extraction jobs: False the express lane (files not yet tried),
    True the long lane (files the express lane could not read in its budget), None both.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``, so concurrent workers
    take different jobs without waiting on each other; SQLite has no row locks (and one
    writer at a time), so there the conditional update alone decides who gets a job.
    """
    claimed = []
    ids = await _fair_order(kind, limit, slow) if kind == JobKind.EXTRACT else None
    async with in_transaction():
        pending = Job.filter(kind=kind, state=JobState.PENDING)
        if slow is not None:
            pending = pending.filter(slow=slow)
        if ids is not None:
            pending = pending.filter(id__in=ids)
        pending = pending.order_by("id").limit(limit)
        for job in await pending.select_for_update(skip_locked=True):
            taken = Job.filter(id=job.id, state=JobState.PENDING)
            # updated_at starts the lease that the worker's heartbeat renews.
            if await taken.update(state=JobState.RUNNING, updated_at=utcnow()):
                job.state = JobState.RUNNING
                claimed.append(job)
    return claimed


async def _fair_order(kind: JobKind, limit: int, slow: bool | None = None) -> list[int]:
    """Up to ``limit`` pending job ids, taking turns between queues (units), oldest first.

    One query for the queues that wait, one per queue for its oldest jobs: with 35 units that
    is at most 36 small indexed reads, whatever the number of pending jobs.
    """
    pending = Job.filter(kind=kind, state=JobState.PENDING)
    if slow is not None:
        pending = pending.filter(slow=slow)
    queues = await pending.distinct().order_by("queue").values_list("queue", flat=True)
    heads: list[list[int]] = []
    for queue in queues:
        ids = (
            await pending.filter(queue=queue)
            .order_by("id")
            .limit(limit)
            .values_list("id", flat=True)
        )
        # Another worker may have taken the queue's last job since the first query.
        if ids:
            heads.append([int(i) for i in ids])  # type: ignore[call-overload]
    # Round robin: everyone's first job (the longest waiting first), then everyone's second...
    heads.sort(key=lambda ids: ids[0])
    order = [ids[turn] for turn in range(limit) for ids in heads if turn < len(ids)]
    return order[:limit]


async def renew_leases(job_ids: set[int]) -> None:
    """The worker holding these jobs is alive: they stay its own."""
    if job_ids:
        await Job.filter(id__in=list(job_ids), state=JobState.RUNNING).update(updated_at=utcnow())


async def requeue_abandoned(lease_s: float) -> int:
    """Running jobs whose lease ran out (their worker died) go back to the queue."""
    expired = utcnow() - timedelta(seconds=lease_s)
    running = Job.filter(state=JobState.RUNNING, updated_at__lt=expired)
    return await running.update(state=JobState.PENDING)


async def enqueue_extraction(shas: list[str], queue: str = "cli") -> int:
    """Mark blobs for (re-)extraction and queue one job each, unless one is already waiting."""
    queued = 0
    for sha in shas:
        async with in_transaction():
            await Blob.filter(sha256=sha).update(
                extraction_status=ExtractionStatus.PENDING, extraction_attempts=0
            )
            if not await Job.exists(kind=JobKind.EXTRACT, ref=sha, state=JobState.PENDING):
                await Job.create(kind=JobKind.EXTRACT, ref=sha, queue=queue)
                queued += 1
    return queued


async def store_result(job: Job, result: dict[str, Any]) -> None:
    """Keep the text read from a blob with the facts of its evidence, and finish the job.

    The facts are read before anything is written, then the blob's status and every
    evidence's facts change in one transaction: nobody sees "done" with facts still empty.
    """
    values = {
        "extraction_status": result["status"],
        "extraction_reason": result.get("reason"),
        "page_count": result.get("page_count"),
        "chars": result.get("chars"),
        "ocr": bool(result.get("ocr")),
        "pages": result.get("pages") or [],
        "meta": _json_safe(result.get("meta") or {}),
        "extracted_at": utcnow(),
    }
    blob = await Blob.get_or_none(sha256=job.ref)
    if blob is None:
        await Job.filter(id=job.id).update(state=JobState.DONE, last_error=None)
        return
    for key, value in values.items():
        setattr(blob, key, value)
    rows, facts = await _facts_of_rows(blob)
    changed = sorted({e.innovation_id for e in rows if e.innovation_id is not None})
    async with in_transaction():
        await Blob.filter(sha256=job.ref).update(**values)
        for evidence in rows:
            await Evidence.filter(id=evidence.id).update(facts=facts[evidence.id])
        await search_outbox.enqueue([search_outbox.evidence_ref(e.id) for e in rows])
        for innovation_id in changed:
            await checklists.mark_stale(innovation_id)
        await Job.filter(id=job.id).update(state=JobState.DONE, last_error=None)
    for innovation_id in changed:
        await checklists.refresh(innovation_id)


async def _facts_of_rows(blob: Blob) -> tuple[list[Evidence], dict[int, dict[str, Any]]]:
    """Every evidence row using this blob, and the facts read for each (names differ)."""
    rows = await Evidence.filter(blob_id=blob.sha256)
    names = dict(
        await Innovation.filter(id__in={r.innovation_id for r in rows} - {None}).values_list(
            "id", "name"
        )
    )
    facts = {}
    for evidence in rows:
        name = names.get(evidence.innovation_id)
        facts[evidence.id] = await anyio.to_thread.run_sync(_facts_for, blob, name)
    return rows, facts


# The start of the reason of a blob waiting in the long lane.
LONG_LANE = "long lane"


async def move_to_long_lane(job: Job, budget_s: float) -> None:
    """The express lane ran out of time on this file: read it again in a long lane, without
    counting a failed attempt (the file is not broken, only long)."""
    reason = f"tidak selesai dibaca dalam {budget_s:g} detik; dibaca ulang di antrean panjang"
    async with in_transaction():
        await Job.filter(id=job.id).update(state=JobState.PENDING, slow=True, last_error=reason)
        # The blob's reason tells the uploader why it takes long (the page explains it); the
        # result of the long lane overwrites it.
        await Blob.filter(sha256=job.ref).update(
            extraction_reason=f"{LONG_LANE}: not read within {budget_s:g} s by the express lane"
        )


async def record_crash(job: Job, reason: str, failed_result: dict[str, Any]) -> bool:
    """Count a crashed attempt; after the third the blob is ``failed``. True when given up."""
    blob = await Blob.get_or_none(sha256=job.ref)
    attempts = (blob.extraction_attempts if blob else 0) + 1
    if attempts >= MAX_ATTEMPTS:
        failed_result = {**failed_result, "reason": f"{reason} (percobaan ke-{attempts})"}
        await Blob.filter(sha256=job.ref).update(extraction_attempts=attempts)
        await store_result(job, failed_result)
        await Job.filter(id=job.id).update(state=JobState.FAILED, last_error=reason)
        return True
    async with in_transaction():
        await Blob.filter(sha256=job.ref).update(extraction_attempts=attempts)
        await Job.filter(id=job.id).update(
            state=JobState.PENDING, attempts=attempts, last_error=reason
        )
    return False


def _facts_for(blob: Blob, innovation_name: str | None) -> dict[str, Any]:
    pages = blob.pages or []
    if blob.extraction_status != ExtractionStatus.DONE or not any(p.strip() for p in pages):
        return {"kind": KIND_BY_MEDIA.get(blob.media_type)}
    names = innovation_names(innovation_name) if innovation_name else None
    facts = read_facts(pages, innovation_names=names)
    # Keep how many personal numbers there are, not where: the text itself is the source.
    facts["personal_ids"] = len(facts.get("personal_ids") or [])
    if blob.media_type in KIND_BY_MEDIA and facts.get("kind") in (None, "other"):
        facts["kind"] = KIND_BY_MEDIA[blob.media_type]
    return facts


def innovation_names(name: str) -> list[str]:
    """The name and the abbreviation in brackets, e.g. ``... Terpadu (SEPEDA BARU)``."""
    names = [name]
    for short in re.findall(r"\(([^()]{2,40})\)", name):
        names.append(short.strip())
    bare = re.sub(r"\s*\([^()]*\)", "", name).strip()
    if bare and bare != name:
        names.append(bare)
    return names


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
