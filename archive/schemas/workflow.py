from typing import Literal

from pydantic import Field

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
