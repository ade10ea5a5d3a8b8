"""Accounts, their roles, and one-time password-reset links."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    STAFF = "staff"
    VERIFIER = "verifier"
    ADMIN = "admin"
    INNOVATOR = "innovator"
    JUDGE = "judge"


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    full_name = fields.CharField(max_length=200, default="")
    email = fields.CharField(max_length=200, null=True)
    role = fields.CharEnumField(Role, max_length=16)
    unit = fields.ForeignKeyField(
        "archive.Unit", related_name="users", null=True, on_delete=fields.RESTRICT
    )
    password_hash = fields.CharField(max_length=255)
    active = fields.BooleanField(default=True)
    # Bumped on logout, password change and deactivation: every token carrying an older
    # version stops working at once.
    token_version = fields.IntField(default=0)
    must_change_password = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    unit_id: int | None

    class Meta:
        table = "users"
        ordering = ["username"]


class PasswordReset(Model):
    """A one-time password-reset link, stored as the SHA-256 of its token."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("archive.User", related_name="resets", on_delete=fields.CASCADE)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField(
        "archive.User", related_name="issued_resets", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int

    class Meta:
        table = "password_resets"
