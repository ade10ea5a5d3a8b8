from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from archive.schemas.common import Strict


class Decision(Strict):
    decision: Literal["verified", "revision", "rejected"]
    note: str | None = Field(default=None, max_length=5000)
    version: int | None = None


class TransitionIn(Strict):
    note: str | None = Field(default=None, max_length=5000)
    version: int | None = None


class ReviewIn(Strict):
    verified_level: int = Field(ge=0, le=3)
    verdict: Literal["sesuai", "tidak_sesuai"]
    note: str | None = Field(default=None, max_length=5000)
    version: int | None = None


class InviteIn(Strict):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    full_name: str = Field(default="", max_length=200)


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=10_000)
    indicator: str | None = Field(default=None, max_length=64)


class CarryForwardIn(Strict):
    innovations: list[int] = Field(min_length=1, max_length=500)


# Responses ---------------------------------------------------------------------------------


class InviteOut(BaseModel):
    """An invited innovator; ``reset_token`` is the one-time link's token for a new account."""

    username: str
    full_name: str | None
    reset_token: str | None


class InnovatorOut(BaseModel):
    username: str
    full_name: str | None
    role: str


class CommentOut(BaseModel):
    id: int
    indicator: str | None  # None: about the whole innovation
    body: str
    author: str | None
    created_at: datetime


class NotificationOut(BaseModel):
    id: int
    kind: str
    message: str
    innovation_id: int | None
    created_at: datetime
    read: bool


class DecisionOut(BaseModel):
    """One step of an innovation's workflow: who, when, from which state to which, why."""

    id: int
    name: str
    label: str  # what happened, in Bahasa Indonesia
    from_status: str
    to_status: str
    note: str | None
    actor: str | None
    created_at: datetime


class ReviewChange(BaseModel):
    """Evidence versions added and removed since the review was made."""

    added: list[str]
    removed: list[str]


class ReviewOut(BaseModel):
    indicator: str
    verified_level: int
    verdict: str
    note: str | None
    state: str  # "done", or "waiting" when the evidence changed after it
    reviewer: str | None
    seen: list[str]
    changed: ReviewChange
    updated_at: datetime
