from pydantic import Field

from archive.schemas.common import Strict


class ClaimIn(Strict):
    claimed_level: int = Field(ge=0, le=3)
    basis: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, max_length=5000)
