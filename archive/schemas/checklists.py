from pydantic import BaseModel, Field

from archive.schemas.common import Strict
from checklist.types import Finding


class ClaimIn(Strict):
    claimed_level: int = Field(ge=0, le=3)
    basis: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=5000)


class ClaimOut(BaseModel):
    indicator: str
    claimed_level: int
    basis: str | None
    note: str | None


class NextStep(BaseModel):
    """One open finding worth fixing (``checklist.next_steps.rank_fixes``), best first."""

    innovation_id: int | str | None
    innovation_name: str | None = None
    indicator: str | None  # None: the profile
    name: str | None
    status: str | None
    mandatory: bool
    claimed_level: int | None
    supported_level: int | None
    gain: int  # maturity points
    iid_gain: float | None  # index points, estimated over the year's innovations
    code: str | None
    severity: str | None
    message: str | None
    findings: list[Finding]
    blocks_submission: bool
