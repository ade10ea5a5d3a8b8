"""Proposals of innovations from outside the government: villages and citizens."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from archive.models.evidence import Blob
    from archive.models.innovations import Innovation
    from archive.models.users import User


class ProposalStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ProposerKind(StrEnum):
    VILLAGE = "desa"
    CITIZEN = "warga"


class Proposal(Model):
    """What a village or a citizen proposed on the public form, and what staff made of it.

    The contact fields and the address hash are personal data (UU 27/2022): staff read them,
    nobody else, and ``proposals.purge_contacts`` empties them once the year is over.
    """

    id = fields.IntField(primary_key=True)
    year = fields.IntField(db_index=True)
    # The proposer's private link carries the token; only its SHA-256 is kept.
    token_hash = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(ProposerKind, max_length=8)
    name = fields.CharField(max_length=300)
    description = fields.TextField()
    problem = fields.TextField()
    origin = fields.CharField(max_length=200, default="")  # village or district, as typed
    contact_name = fields.CharField(max_length=200, null=True)
    contact_email = fields.CharField(max_length=200, null=True)
    contact_phone = fields.CharField(max_length=40, null=True)
    # An HMAC of the sender's address, to rate-limit the form without keeping the address.
    sender = fields.CharField(max_length=64, null=True, db_index=True)
    status = fields.CharEnumField(ProposalStatus, max_length=16, default=ProposalStatus.NEW)
    reason = fields.TextField(null=True)
    innovation: fields.ForeignKeyNullableRelation[Innovation] = fields.ForeignKeyField(
        "archive.Innovation", related_name="proposals", null=True, on_delete=fields.SET_NULL
    )
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "archive.User", related_name="proposal_decisions", null=True, on_delete=fields.SET_NULL
    )
    decided_at = fields.DatetimeField(null=True)
    purged_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    innovation_id: int | None
    files: fields.ReverseRelation[ProposalFile]

    class Meta:
        table = "proposals"
        ordering = ["-id"]


class ProposalFile(Model):
    """A document sent with a proposal (stored like evidence, content-addressed)."""

    id = fields.IntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[Proposal] = fields.ForeignKeyField(
        "archive.Proposal", related_name="files", on_delete=fields.CASCADE
    )
    blob: fields.ForeignKeyRelation[Blob] = fields.ForeignKeyField(
        "archive.Blob", related_name="proposal_files", on_delete=fields.RESTRICT
    )
    filename = fields.CharField(max_length=255)
    media_type = fields.CharField(max_length=120)
    size = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    blob_id: str
    proposal_id: int

    class Meta:
        table = "proposal_files"
        ordering = ["id"]
