"""The shapes the checklist engine returns: the contract between ``checklist`` and its callers.

``archive`` stores these as JSON and serves them (``GET /api/innovations/{id}/checklist``), so
the API's response model is this same description.
"""

from __future__ import annotations

from typing import Literal, NotRequired

# typing_extensions: pydantic reads these as response models, and needs its TypedDict before
# Python 3.12.
from typing_extensions import TypedDict

Severity = Literal["error", "warning", "info"]
Status = Literal["missing", "pending", "weak", "needs_review", "ok", "verified", "rejected"]


class Finding(TypedDict):
    """One thing to know or to fix, in Bahasa Indonesia."""

    code: str
    severity: Severity
    message: str
    field: NotRequired[str]  # the profile field it is about (profile findings only)


class IndicatorRow(TypedDict):
    """One indicator of an innovation: levels on each basis, status, findings."""

    code: str
    name: str
    mandatory: bool
    weight: int
    claimed_level: int
    supported_level: int | None  # None where only a person can judge
    verified_level: int | None
    status: Status
    findings: list[Finding]
    gain_if_fixed: int


class Maturity(TypedDict):
    claimed: int
    supported: int
    verified: int
    max: int


class ProfileCheck(TypedDict):
    findings: list[Finding]


class ChecklistResult(TypedDict):
    """The checklist of one innovation (``checklist.engine.evaluate``)."""

    innovation_id: int | str | None
    rulepack: str
    year: int
    maturity: Maturity
    completeness: float
    indicators: list[IndicatorRow]
    profile: ProfileCheck
