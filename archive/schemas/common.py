"""Shared pieces of the API schemas."""

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HealthOut(BaseModel):
    status: str  # ok | degraded | down
    version: str
    # database, blobs, index: {"status"}; worker: {"status": ok|stale, "last_seen", "jobs_pending"}
    checks: dict[str, dict[str, Any]]
