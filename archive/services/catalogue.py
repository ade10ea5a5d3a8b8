"""The public catalogue: published innovations, their public documents, and figures per year.

Everything here is what an anonymous visitor may read. The one gate is ``published()``: an
innovation is in the catalogue while its status is ``published``, and a document only when
staff marked it public, it is the current version, and its text carries no NIK or NIP
(``set_public`` refuses such a document, so none can be marked). Profile texts are masked on
the way out all the same: a number typed into the design is still a number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, NotFound
from archive.models import (
    Blob,
    Evidence,
    ExtractionStatus,
    Innovation,
    InnovationStatus,
    Role,
    Unit,
    User,
)
from archive.scoping import require_role
from archive.services import checklists
from archive.services.index_report import project
from archive.services.rules import rulepack_for_year
from indexer.redact import find_personal_numbers, mask_personal_numbers

PAGE_SIZE = 24
FEED_SIZE = 50
# Fields of the profile the public reads (contact data and budgets stay inside).
PUBLIC_TEXT = ("made_by", "design", "goals", "benefits", "results")
# SIMONDA's maturity bands, as a share of the year's maximum (0-65, 66-84, 85-111 of 111); no
# official bands exist (iid-index.md §2), so the page says so.
BANDS = ((85 / 111, "Sangat matang"), (66 / 111, "Matang"), (0.0, "Berkembang"))


def published() -> QuerySet[Innovation]:
    return Innovation.filter(status=InnovationStatus.PUBLISHED)


def split_affairs(value: str | None) -> list[str]:
    """The affairs of a profile, written with commas or semicolons between them."""
    return [part.strip() for part in re.split(r"[;,]", value or "") if part.strip()]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    year: int | None = None
    unit: str = ""
    affair: str = ""
    stage: str = ""
    type: str = ""

    def any(self) -> bool:
        return bool(self.q or self.year or self.unit or self.affair or self.stage or self.type)


@dataclass(frozen=True)
class Listing:
    innovations: list[Innovation]
    total: int
    page: int
    pages: int
    choices: dict[str, list[Any]]


def _filtered(filters: Filters, ids: list[int] | None) -> QuerySet[Innovation]:
    query = published()
    if ids is not None:
        query = query.filter(id__in=ids)
    if filters.year:
        query = query.filter(year=filters.year)
    if filters.unit:
        query = query.filter(unit__code=filters.unit)
    if filters.affair:
        query = query.filter(affairs__icontains=filters.affair)
    if filters.stage:
        query = query.filter(stage=filters.stage)
    if filters.type:
        query = query.filter(type=filters.type)
    return query


async def _choices() -> dict[str, list[Any]]:
    """What the filters offer: only values some published innovation has."""
    rows = await published().values_list("year", "unit_id", "affairs")
    unit_ids = {row[1] for row in rows}
    units = await Unit.filter(id__in=unit_ids).order_by("name").values_list("code", "name")
    affairs = sorted({a for row in rows for a in split_affairs(row[2])})
    return {
        "years": sorted({row[0] for row in rows}, reverse=True),
        "units": [list(u) for u in units],
        "affairs": affairs,
    }


async def listing(filters: Filters, page: int, matching_ids: list[int] | None) -> Listing:
    """One page of the catalogue; ``matching_ids`` are the full-text hits when a query ran."""
    query = _filtered(filters, matching_ids)
    total = await query.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = (
        await query.order_by("-year", "name")
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .prefetch_related("unit")
    )
    if matching_ids is not None:
        rank = {innovation_id: n for n, innovation_id in enumerate(matching_ids)}
        rows.sort(key=lambda innovation: rank.get(innovation.id, len(rank)))
    return Listing(rows, total, page, pages, await _choices())


def masked(innovation: Innovation) -> dict[str, str]:
    """The public profile texts with any personal number masked."""
    return {
        field: mask_personal_numbers(value)
        for field in PUBLIC_TEXT
        if (value := getattr(innovation, field))
    }


@dataclass(frozen=True)
class Maturity:
    points: int
    max: int
    band: str

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max if self.max else 0.0


def band(points: int, maximum: int) -> str:
    share = points / maximum if maximum else 0.0
    return next(label for floor, label in BANDS if share >= floor)


async def maturity(innovation: Innovation) -> Maturity:
    """Its verified maturity (the verifier's levels) and the band it falls in."""
    summary = (await checklists.stored_summaries([innovation]))[innovation.id]
    maximum = (await rulepack_for_year(innovation.year)).max_maturity
    return Maturity(summary.verified, maximum, band(summary.verified, maximum))


async def entry(innovation_id: int) -> Innovation:
    """A published innovation, or 404 (an unpublished one does not exist for the public)."""
    innovation = await published().get_or_none(id=innovation_id).prefetch_related("unit")
    if innovation is None:
        raise NotFound("Inovasi tidak ditemukan di katalog.")
    return innovation


def _public_documents(innovation_id: int) -> QuerySet[Evidence]:
    return Evidence.filter(
        innovation_id=innovation_id,
        public=True,
        is_current=True,
        deleted_at=None,
        blob_id__not_isnull=True,
    )


async def public_documents(innovation_id: int) -> list[Evidence]:
    return await _public_documents(innovation_id).order_by("indicator", "id")


async def public_document(innovation_id: int, evidence_id: int) -> Evidence:
    """A public document of a published innovation, or 404."""
    await entry(innovation_id)
    evidence = await _public_documents(innovation_id).get_or_none(id=evidence_id)
    if evidence is None:
        raise NotFound("Dokumen tidak ditemukan di katalog.")
    return evidence


async def newest(limit: int = FEED_SIZE) -> list[Innovation]:
    """The most recently published innovations, for the Atom feed.

    Those published before `published_at` existed count from their last change. Sorted here,
    not in SQL: PostgreSQL puts NULLs first in a descending order, and SQLite compares the
    two columns' stored text (written in two formats) rather than the times.
    """
    rows = await published().values_list("id", "published_at", "updated_at")
    newest_ids = [
        row[0] for row in sorted(rows, key=lambda r: (r[1] or r[2], r[0]), reverse=True)[:limit]
    ]
    found = await Innovation.filter(id__in=newest_ids).prefetch_related("unit")
    order = {innovation_id: n for n, innovation_id in enumerate(newest_ids)}
    return sorted(found, key=lambda innovation: order[innovation.id])


async def sitemap() -> list[tuple[int, datetime]]:
    rows = await published().order_by("id").values_list("id", "updated_at")
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class YearFigures:
    year: int
    total: int
    by_affair: list[tuple[str, int]]
    by_unit: list[tuple[str, int]]
    digital: int
    # The index on the verified basis, once any innovation of the year is verified.
    iid: float | None
    predicate: str | None


async def years() -> list[int]:
    years: list[int] = await published().values_list("year", flat=True)  # type: ignore[assignment]
    return sorted(set(years), reverse=True)


async def figures(year: int) -> YearFigures:
    """How many innovations the regency published in ``year``, by affair and unit."""
    rows = await published().filter(year=year).values_list("affairs", "unit__name", "type")
    affairs = Counter(a for row in rows for a in split_affairs(row[0]) or ["(belum diisi)"])
    units = Counter(row[1] for row in rows)
    verified = await Innovation.filter(
        Q(year=year) & Q(status__in=[InnovationStatus.VERIFIED, InnovationStatus.PUBLISHED])
    ).exists()
    iid = predicate = None
    if rows and verified:
        projection = await project(year, "verified", limit=0)
        iid, predicate = projection["iid"], projection["predicate"]
    return YearFigures(
        year=year,
        total=len(rows),
        by_affair=affairs.most_common(),
        by_unit=units.most_common(),
        digital=sum(1 for row in rows if row[2] == "digital"),
        iid=iid,
        predicate=predicate,
    )


async def set_public(user: User, evidence_id: int, public: bool, actor: Actor) -> Evidence:
    """Staff offer a document in the catalogue, or take it back.

    A document is offered only once its text was read and holds no NIK or NIP: a scanned
    attendance list is exactly what must never be public.
    """
    require_role(user, Role.STAFF)
    evidence = await Evidence.get_or_none(id=evidence_id, deleted_at=None)
    if evidence is None or evidence.innovation_id is None:
        raise NotFound("Bukti tidak ditemukan.")
    if public:
        if evidence.blob_id is None:
            raise BadInput("Tautan tidak dapat dijadikan dokumen publik; hanya berkas.")
        blob = await Blob.get(sha256=evidence.blob_id)
        if blob.extraction_status != ExtractionStatus.DONE:
            raise Conflict(
                "Teks dokumen belum selesai dibaca, jadi belum dapat diperiksa dari NIK/NIP. "
                "Coba lagi setelah pembacaan selesai."
            )
        numbers = find_personal_numbers("\n".join(blob.pages or []))
        if numbers:
            raise Conflict(
                f"Dokumen memuat {len(numbers)} nomor yang tampak seperti NIK/NIP; data pribadi "
                "tidak boleh dipublikasikan (UU 27/2022). Unggah versi yang nomornya ditutup."
            )
    if evidence.public != public:
        await Evidence.filter(id=evidence.id).update(public=public)
        await audit.record(
            actor, "publish-document" if public else "unpublish-document", "evidence",
            evidence.id, before={"public": evidence.public}, after={"public": public},
        )  # fmt: skip
        evidence.public = public
    return evidence
