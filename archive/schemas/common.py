"""Shared pieces of the API schemas."""

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# C0 controls but tab and line breaks, DEL and C1: nothing a person types, and they break
# reports (an XLSX cannot hold them) and terminals.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped; control characters
    are dropped from every text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class HealthOut(BaseModel):
    status: str  # ok | degraded | down
    version: str
    # database, blobs, index: {"status"}; worker: {"status": ok|stale, "last_seen", "jobs_pending"}
    checks: dict[str, dict[str, Any]]
