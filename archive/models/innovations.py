"""Innovations with the national profile fields, and who is assigned to them."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Stage(StrEnum):
    INISIATIF = "inisiatif"
    UJI_COBA = "uji coba"
    PENERAPAN = "penerapan"


class InnovationType(StrEnum):
    DIGITAL = "digital"
    NON_DIGITAL = "non digital"


class InnovationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVISION = "revision"
    VERIFIED = "verified"
    REJECTED = "rejected"
    PUBLISHED = "published"


class Innovation(Model):
    id = fields.IntField(primary_key=True)
    year = fields.IntField(db_index=True)
    unit = fields.ForeignKeyField(
        "archive.Unit", related_name="innovations", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=300)
    made_by = fields.TextField(null=True)
    stage = fields.CharEnumField(Stage, max_length=16, null=True)
    initiator = fields.CharField(max_length=200, null=True)
    initiator_name = fields.CharField(max_length=200, null=True)
    type = fields.CharEnumField(InnovationType, max_length=16, null=True)
    form = fields.CharField(max_length=200, null=True)
    affairs = fields.CharField(max_length=300, null=True)
    thematic = fields.CharField(max_length=200, null=True)
    classification = fields.CharField(max_length=100, null=True)
    design = fields.TextField(null=True)
    goals = fields.TextField(null=True)
    benefits = fields.TextField(null=True)
    results = fields.TextField(null=True)
    trial_date = fields.DateField(null=True)
    implementation_date = fields.DateField(null=True)
    development_date = fields.DateField(null=True)
    budget = fields.BigIntField(null=True)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    # Competition proposal sections (KIPP): ringkasan, ide_inovatif, signifikansi, ...
    proposal = fields.JSONField(default=dict)
    status = fields.CharEnumField(
        InnovationStatus, max_length=16, default=InnovationStatus.DRAFT, db_index=True
    )
    # Optimistic locking: every write bumps it; a writer sending an older one gets 409.
    version = fields.IntField(default=1)
    # Staff reopened this innovation after the input deadline: its admin may edit it again.
    reopened = fields.BooleanField(default=False, db_default=False)
    # Carried forward from an earlier year's innovation.
    carried_from = fields.ForeignKeyField(
        "archive.Innovation", related_name="carried_to", null=True, on_delete=fields.SET_NULL
    )
    submitted_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)
    # When it last entered the public catalogue (the Atom feed's order).
    published_at = fields.DatetimeField(null=True, db_index=True)
    created_by = fields.ForeignKeyField(
        "archive.User", related_name="created_innovations", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    unit_id: int

    class Meta:
        table = "innovations"
        ordering = ["id"]


class Assignment(Model):
    """An innovator invited to, or a judge assigned to, one innovation."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField(
        "archive.User", related_name="assignments", on_delete=fields.CASCADE
    )
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="assignments", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int
    innovation_id: int

    class Meta:
        table = "assignments"
        unique_together = (("user", "innovation"),)
