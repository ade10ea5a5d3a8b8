from pydantic import BaseModel, Field

from archive.schemas.common import Strict


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class PasswordChange(Strict):
    old_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class PasswordReset(Strict):
    token: str = Field(max_length=200)
    new_password: str = Field(max_length=256)
