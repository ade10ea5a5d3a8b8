"""Responses of the report, audit and regional routes: what each JSON row holds.

The CSV and XLSX forms of the same routes carry these fields as columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from checklist.types import Finding


class CompletenessRow(BaseModel):
    innovation_id: int
    year: int
    unit: str
    unit_name: str
    name: str
    status: str
    completeness: float  # share of indicators with evidence, 0-1
    maturity_claimed: int
    maturity_supported: int
    maturity_verified: int
    maturity_max: int
    missing_mandatory: list[str]
    top_findings: list[str]


class UnitRow(BaseModel):
    unit: str
    unit_name: str
    innovations: int
    completeness_avg: float
    maturity_claimed: int  # sums over the unit's innovations
    maturity_supported: int
    maturity_verified: int
    missing_mandatory: int


class IndicatorStatusRow(BaseModel):
    """How many innovations have one indicator in each status."""

    code: str
    number: str | None
    name: str
    mandatory: bool
    weight: int
    innovations: int
    missing: int
    pending: int
    weak: int
    needs_review: int
    ok: int
    verified: int
    rejected: int
    missing_share: float


class TrendRow(BaseModel):
    year: int
    rulepack: str
    innovations: int
    completeness_avg: float
    iid_claimed: float
    iid_supported: float
    iid_verified: float
    predicate_claimed: str
    predicate_supported: str
    predicate_verified: str


class IndexFix(BaseModel):
    """A fix and what it adds to the index; which fields are set depends on ``kind``."""

    kind: str  # indicator | new_innovation_affair | new_innovation
    gain: float  # IID points
    message: str
    innovation_id: int | None = None
    innovation_name: str | None = None
    indicator: str | None = None
    target_level: int | None = None
    mandatory: bool | None = None
    maturity_gain: int | None = None
    affair: str | None = None
    assumed_maturity: float | None = None
    unlocks_count_score: bool | None = None
    empty_seats: int | None = None


class IndexProjection(BaseModel):
    """The projected regional index of a year on one basis (``checklist.projection``)."""

    year: int
    rulepack: str
    basis: str
    innovations: int
    rejected: int
    k: int
    divisor: int
    empty_seats: int
    maturity_sum: float
    maturity_score: float
    count_score: float
    sid: float
    spd: float
    spd_max: float
    spd_recorded: bool
    iid: float
    predicate: str
    yandas_covered: int
    yandas_required: int | None
    yandas_met: bool
    affairs_covered: list[str]
    affairs_uncovered: list[str]
    iid_per_maturity_point: float
    notes: list[str]
    fixes_total: int
    fixes: list[IndexFix]


class AuditRow(BaseModel):
    id: int
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str | None
    ip: str | None
    before: Any
    after: Any


class RegionalIndicatorOut(BaseModel):
    year: int
    indicator: str
    claimed_level: int
    verified_level: int | None
    note: str | None


class RegionalEvidenceItem(BaseModel):
    id: int
    filename: str | None
    url: str | None
    media_type: str | None
    extraction_status: str


class RegionalIndicatorView(BaseModel):
    code: str
    number: str | None
    name: str
    weight: float  # SPD weights have quarters (0,75; 1,5)
    mandatory: bool
    claimed_level: int
    verified_level: int | None
    note: str | None
    status: str
    evidence: list[RegionalEvidenceItem]
    findings: list[Finding]


class RegionalSpd(BaseModel):
    claimed: float
    verified: float
    max: float
    missing_mandatory: list[str]


class RegionalView(BaseModel):
    """The region's SPD indicators of a year, their evidence and the SPD score."""

    year: int
    rulepack: str
    spd_recorded: bool
    note: str | None
    spd: RegionalSpd
    indicators: list[RegionalIndicatorView]


class SearchHitOut(BaseModel):
    """One matching page of a document, or an innovation's profile."""

    type: str  # "evidence" or "innovation"
    evidence_id: int | None
    innovation_id: int
    innovation_name: str | None
    filename: str | None
    indicator: str | None
    kind: str | None
    unit: str | None
    year: int | None
    page: int | None
    score: float
    snippet: str  # HTML: the document's text escaped, matches in <mark>


class SearchOut(BaseModel):
    total: int
    # A quoted phrase's total estimated from a sample of its candidates (the hits are exact).
    estimated: bool = False
    suggestion: str | None  # a spelling the index knows, when the query found little
    hits: list[SearchHitOut]
