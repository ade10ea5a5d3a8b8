from pydantic import BaseModel, Field

from archive.models import UnitKind
from archive.schemas.common import Strict


class UnitCreate(Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind


class UnitUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: UnitKind | None = None


class UnitOut(BaseModel):
    code: str
    name: str
    kind: UnitKind
