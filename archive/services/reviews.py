"""Verification per indicator: the level a verifier finds proven, tied to what they saw."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden
from archive.models import (
    Evidence,
    InnovationStatus,
    Review,
    ReviewState,
    Role,
    User,
)
from archive.scoping import check_not_own_unit, get_visible_innovation, status_label
from archive.services import checklists
from archive.services.rules import rulepack_for_year


async def _current_versions(innovation_id: int, **where: str) -> dict[str, list[str]]:
    """Per indicator, what a verifier sees: each current evidence's SHA-256, or its link."""
    rows = await Evidence.filter(
        innovation_id=innovation_id, is_current=True, deleted_at=None, **where
    )
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        found[row.indicator].append(row.blob_id or f"url:{row.url}")
    return {indicator: sorted(versions) for indicator, versions in found.items()}


async def current_versions(innovation_id: int, indicator: str) -> list[str]:
    """What a verifier sees of one indicator."""
    return (await _current_versions(innovation_id, indicator=indicator)).get(indicator, [])


async def review_indicator(
    user: User, innovation_id: int, indicator: str, *, verified_level: int, verdict: str,
    note: str | None, version: int | None, actor: Actor,
) -> Review:  # fmt: skip
    innovation = await get_visible_innovation(user, innovation_id)
    if user.role != Role.VERIFIER:
        raise Forbidden("Hanya verifikator yang memeriksa indikator.")
    check_not_own_unit(user, innovation)
    if innovation.status != InnovationStatus.SUBMITTED:
        raise Conflict(
            "Hanya inovasi yang diajukan yang diperiksa "
            f"(status: {status_label(innovation.status)})."
        )
    if version is not None and version != innovation.version:
        raise Conflict(
            f"Inovasi telah berubah sejak Anda membukanya (versi {innovation.version}, bukan "
            f"{version}). Muat ulang lalu ulangi."
        )
    pack = await rulepack_for_year(innovation.year)
    if indicator not in {i.code for i in pack.indicators}:
        raise BadInput(f"Kode indikator '{indicator}' tidak dikenal dalam {pack.id}.")
    seen = await current_versions(innovation.id, indicator)
    if not seen:
        raise BadInput(f"Indikator '{indicator}' belum memiliki bukti untuk diperiksa.")
    review = await Review.get_or_none(innovation_id=innovation.id, indicator=indicator)
    before = _view(review) if review else None
    values = {
        "verified_level": verified_level,
        "verdict": verdict,
        "note": note,
        "state": ReviewState.DONE,
        "seen": seen,
        "reviewer_id": user.id,
    }
    if review is None:
        review = await Review.create(innovation_id=innovation.id, indicator=indicator, **values)
    else:
        await Review.filter(id=review.id).update(**values)
        review = await Review.get(id=review.id)
    await audit.record(
        actor,
        "review",
        "innovation",
        innovation.id,
        before={indicator: before} if before else None,
        after={indicator: _view(review)},
    )
    await checklists.inputs_changed(innovation.id)
    return review


async def evidence_changed(innovation_id: int, indicator: str) -> None:
    """The admin changed an indicator's evidence: its review waits for the verifier again."""
    await Review.filter(
        innovation_id=innovation_id, indicator=indicator, state=ReviewState.DONE
    ).update(state=ReviewState.WAITING)


def _view(review: Review) -> dict[str, Any]:
    return {
        "verified_level": review.verified_level,
        "verdict": str(review.verdict),
        "note": review.note,
        "seen": review.seen,
    }


def _out(review: Review, now: list[str], reviewer: str | None) -> dict[str, Any]:
    """A review with what changed since it was made (added and removed evidence versions)."""
    return {
        "indicator": review.indicator,
        "verified_level": review.verified_level,
        "verdict": str(review.verdict),
        "note": review.note,
        "state": str(review.state),
        "reviewer": reviewer,
        "seen": review.seen,
        "changed": {
            "added": sorted(set(now) - set(review.seen)),
            "removed": sorted(set(review.seen) - set(now)),
        },
        "updated_at": review.updated_at,
    }


async def review_out(review: Review) -> dict[str, Any]:
    now = await current_versions(review.innovation_id, review.indicator)
    reviewer = await User.get_or_none(id=review.reviewer_id) if review.reviewer_id else None  # type: ignore[attr-defined]
    return _out(review, now, reviewer.username if reviewer else None)


async def list_reviews(user: User | None, innovation_id: int) -> list[dict[str, Any]]:
    """Every review of an innovation, in three queries however many there are."""
    innovation = await get_visible_innovation(user, innovation_id)
    if user is None:
        raise Forbidden("Silakan masuk untuk melihat hasil verifikasi.")
    rows = await Review.filter(innovation_id=innovation.id).order_by("indicator")
    if not rows:
        return []
    now = await _current_versions(innovation.id)
    ids = {row.reviewer_id for row in rows if row.reviewer_id}  # type: ignore[attr-defined]
    names = dict(await User.filter(id__in=ids).values_list("id", "username"))
    return [
        _out(row, now.get(row.indicator, []), names.get(row.reviewer_id))  # type: ignore[attr-defined]
        for row in rows
    ]
