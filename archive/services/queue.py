"""The verifiers' queue: what waits for review, oldest first, and what changed since.

A fixed number of queries whatever the size of the year (innovations, their reviews, their
stored checklists and the newest evidence per innovation are each read once), so the queue of a
regency's 1,000 innovations is one page of work, not a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Max

from archive.models import (
    ChecklistResult,
    Evidence,
    Innovation,
    InnovationStatus,
    Review,
    ReviewState,
    Role,
    Unit,
    User,
)
from archive.timeutil import utcnow

S = InnovationStatus
# What a verifier's queue shows by default, and what its state filter offers.
QUEUE_STATES = (S.SUBMITTED, S.REVISION, S.VERIFIED, S.REJECTED)


@dataclass(frozen=True)
class QueueRow:
    innovation: Innovation
    unit: Unit
    days_waiting: int | None
    indicators: int  # indicators with evidence: what there is to review
    reviewed: int  # of those, reviewed and not made stale by new evidence
    mandatory_left: int  # mandatory indicators not yet reviewed
    waiting_again: int  # reviews made stale by evidence changed after them
    changed_since_review: bool  # evidence newer than the last review
    own_unit: bool  # a verifier of this unit may not judge it


async def verification_queue(
    user: User,
    year: int,
    *,
    unit: str | None = None,
    state: str | None = None,
) -> list[QueueRow]:
    """Innovations of ``year`` in the review stages, oldest submission first."""
    query = Innovation.filter(year=year)
    states = [S(state)] if state in {s.value for s in QUEUE_STATES} else [S.SUBMITTED]
    query = query.filter(status__in=states)
    if unit:
        query = query.filter(unit__code=unit)
    innovations = await query.prefetch_related("unit")
    ids = [i.id for i in innovations]
    if not ids:
        return []
    reviews: dict[int, list[Review]] = {}
    for review in await Review.filter(innovation_id__in=ids):
        reviews.setdefault(review.innovation_id, []).append(review)
    results = dict(
        await ChecklistResult.filter(innovation_id__in=ids).values_list("innovation_id", "result")
    )
    # Per innovation: the indicators with current evidence and the newest upload among them.
    backed: dict[int, set[str]] = {}
    newest: dict[int, datetime] = {}
    for row in (
        await Evidence.filter(innovation_id__in=ids, deleted_at=None, is_current=True)
        .annotate(newest=Max("created_at"))
        .group_by("innovation_id", "indicator")
        .values("innovation_id", "indicator", "newest")
    ):
        backed.setdefault(row["innovation_id"], set()).add(row["indicator"])
        when = row["newest"]
        if when and (row["innovation_id"] not in newest or when > newest[row["innovation_id"]]):
            newest[row["innovation_id"]] = when
    now = utcnow()
    rows = []
    for innovation in innovations:
        found = {r.indicator: r for r in reviews.get(innovation.id, [])}
        indicators = (results.get(innovation.id) or {}).get("indicators", [])
        with_evidence = backed.get(innovation.id, set())
        done = [r for r in found.values() if r.state == ReviewState.DONE]
        last_review = max((r.updated_at for r in found.values()), default=None)
        mandatory_left = sum(
            1
            for i in indicators
            if i.get("mandatory")
            and (i["code"] not in found or found[i["code"]].state == ReviewState.WAITING)
        )
        changed = newest.get(innovation.id)
        rows.append(
            QueueRow(
                innovation=innovation,
                unit=innovation.unit,
                days_waiting=(now - innovation.submitted_at).days
                if innovation.submitted_at
                else None,
                indicators=len(with_evidence),
                reviewed=len(done),
                mandatory_left=mandatory_left,
                waiting_again=len(found) - len(done),
                changed_since_review=bool(last_review and changed and changed > last_review),
                own_unit=user.role == Role.VERIFIER and user.unit_id == innovation.unit_id,
            )
        )
    # Oldest submission first: the one that has waited longest is reviewed next.
    rows.sort(key=lambda r: (r.innovation.submitted_at or now, r.innovation.id))
    return rows
