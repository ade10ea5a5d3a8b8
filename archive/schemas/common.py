"""Shared pieces of the API schemas."""

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class HealthOut(BaseModel):
    status: str
    version: str
    database: str
