from datetime import datetime

from pydantic import BaseModel, Field

from archive.models import Role
from archive.schemas.common import Strict

USERNAME = r"^[a-z0-9][a-z0-9._-]{1,63}$"


class UserCreate(Strict):
    username: str = Field(pattern=USERNAME)
    password: str = Field(max_length=256)
    full_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    role: Role
    unit: str | None = Field(default=None, max_length=32)
    active: bool = True


class UserUpdate(Strict):
    password: str | None = Field(default=None, max_length=256)
    full_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    role: Role | None = None
    unit: str | None = Field(default=None, max_length=32)
    active: bool | None = None


class UserOut(BaseModel):
    username: str
    full_name: str
    email: str | None = None
    role: Role
    unit: str | None
    active: bool
    must_change_password: bool


class ResetLink(BaseModel):
    username: str
    url: str
    token: str
    expires_at: datetime
