"""The verifiers' queue: what waits for review, oldest first, and what changed since.

The queue is paged in the database, oldest submission first; each page costs a fixed number of
queries (its innovations, their units, reviews and newest evidence are each read once), and the
home page's summary three aggregates, so a regency's 1,000 innovations are never walked whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Max
from tortoise.queryset import QuerySet

from archive.models import (
    Evidence,
    Innovation,
    InnovationStatus,
    Review,
    ReviewState,
    Role,
    Unit,
    User,
)
from archive.services.rules import rulepack_for_year
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


PER_PAGE = 50


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and where it sits in the whole."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    first: int  # position of the first row shown, from 1 (0 when empty)


@dataclass(frozen=True)
class QueueSummary:
    """What the home page says about the queue: how much, how old, how much untouched."""

    waiting: int
    oldest_days: int
    untouched: int


def _queued(year: int, unit: str | None, state: str | None) -> QuerySet[Innovation]:
    query = Innovation.filter(year=year)
    states = [S(state)] if state in {s.value for s in QUEUE_STATES} else [S.SUBMITTED]
    query = query.filter(status__in=states)
    if unit:
        query = query.filter(unit__code=unit)
    return query


async def _page_ids(query: QuerySet[Innovation], offset: int, limit: int) -> list[int]:
    """Oldest submission first (never submitted last, by id) on every database.

    Two queries instead of ``NULLS LAST``, which SQLite and PostgreSQL order differently.
    """
    dated = query.filter(submitted_at__isnull=False)
    ids = (
        await dated.order_by("submitted_at", "id")
        .offset(offset)
        .limit(limit)
        .values_list("id", flat=True)
    )
    if len(ids) < limit:
        before = await dated.count()
        rest = (
            await query.filter(submitted_at__isnull=True)
            .order_by("id")
            .offset(max(0, offset - before))
            .limit(limit - len(ids))
            .values_list("id", flat=True)
        )
        ids = [*ids, *rest]
    return list(ids)


async def verification_queue(
    user: User,
    year: int,
    *,
    unit: str | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """One page of ``year``'s innovations in a review stage, oldest submission first."""
    query = _queued(year, unit, state)
    total = await query.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    ids = await _page_ids(query, (page - 1) * per_page, per_page)
    rows = await _rows(user, year, ids)
    first = (page - 1) * per_page + 1 if rows else 0
    return QueuePage(rows, total, page, pages, first)


async def queue_summary(year: int) -> QueueSummary:
    """Counts for the home page, from three aggregate queries whatever the size of the year."""
    waiting = Innovation.filter(year=year, status=S.SUBMITTED)
    oldest = await waiting.filter(submitted_at__isnull=False).order_by("submitted_at").first()
    touched = (
        await Review.filter(innovation__year=year, innovation__status=S.SUBMITTED)
        .distinct()
        .values_list("innovation_id", flat=True)
    )
    total = await waiting.count()
    days = (utcnow() - oldest.submitted_at).days if oldest and oldest.submitted_at else 0
    return QueueSummary(total, days, total - len(set(touched)))


async def _rows(user: User, year: int, ids: list[int]) -> list[QueueRow]:
    """The queue rows of ``ids``, in that order: a fixed number of queries."""
    if not ids:
        return []
    fields = ("id", "year", "name", "unit_id", "status", "submitted_at")
    found = {i.id: i for i in await Innovation.filter(id__in=ids).only(*fields)}
    innovations = [found[i] for i in ids if i in found]
    units = {u.id: u for u in await Unit.filter(id__in={i.unit_id for i in innovations})}
    mandatory = [i.code for i in (await rulepack_for_year(year)).indicators if i.mandatory]
    reviews: dict[int, list[Review]] = {}
    for review in await Review.filter(innovation_id__in=ids):
        reviews.setdefault(review.innovation_id, []).append(review)
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
        found_reviews = {r.indicator: r for r in reviews.get(innovation.id, [])}
        done = [r for r in found_reviews.values() if r.state == ReviewState.DONE]
        last_review = max((r.updated_at for r in found_reviews.values()), default=None)
        mandatory_left = sum(
            1
            for code in mandatory
            if code not in found_reviews or found_reviews[code].state == ReviewState.WAITING
        )
        changed = newest.get(innovation.id)
        submitted = innovation.submitted_at
        rows.append(
            QueueRow(
                innovation=innovation,
                unit=units[innovation.unit_id],
                days_waiting=(now - submitted).days if submitted else None,
                indicators=len(backed.get(innovation.id, set())),
                reviewed=len(done),
                mandatory_left=mandatory_left,
                waiting_again=len(found_reviews) - len(done),
                changed_since_review=bool(last_review and changed and changed > last_review),
                own_unit=user.role == Role.VERIFIER and user.unit_id == innovation.unit_id,
            )
        )
    return rows
