"""Supporting documents: blobs (content-addressed bytes), evidence rows, indicator claims."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ExtractionStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    NO_TEXT = "no_text"
    NOT_APPLICABLE = "not_applicable"
    ENCRYPTED = "encrypted"
    FAILED = "failed"


class Blob(Model):
    """Bytes stored once under their SHA-256, with the text read from them (read once too)."""

    sha256 = fields.CharField(max_length=64, primary_key=True)
    size = fields.BigIntField()
    media_type = fields.CharField(max_length=120)
    created_at = fields.DatetimeField(auto_now_add=True)
    extraction_status = fields.CharEnumField(
        ExtractionStatus, max_length=16, default=ExtractionStatus.PENDING
    )
    extraction_reason = fields.TextField(null=True)
    extraction_attempts = fields.IntField(default=0)
    page_count = fields.IntField(null=True)
    chars = fields.IntField(null=True)
    ocr = fields.BooleanField(default=False)
    # Text per page, kept in the database: it is the truth the search index is built from.
    pages = fields.JSONField(null=True)
    meta = fields.JSONField(null=True)
    extracted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "blobs"


class Evidence(Model):
    """One version of a supporting document for an innovation's indicator.

    Replacing a document adds a row with the same ``chain_id`` and the next ``version``; the
    earlier rows stay readable. Deleting marks ``deleted_at``; nothing is removed.
    """

    id = fields.IntField(primary_key=True)
    # An innovation's evidence; or, with no innovation, the region's own (SPD) evidence of a
    # year's indicator, kept by staff.
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="evidence", null=True, on_delete=fields.RESTRICT
    )
    regional_year = fields.IntField(null=True, db_index=True)
    indicator = fields.CharField(max_length=64, db_index=True)
    chain_id = fields.IntField(null=True, db_index=True)
    version = fields.IntField(default=1)
    is_current = fields.BooleanField(default=True, db_index=True)
    blob = fields.ForeignKeyField(
        "archive.Blob", related_name="evidence", null=True, on_delete=fields.RESTRICT
    )
    url = fields.CharField(max_length=2000, null=True)
    filename = fields.CharField(max_length=255, null=True)
    media_type = fields.CharField(max_length=120, null=True)
    size = fields.BigIntField(null=True)
    # Facts read from the document, and a person's corrections, which win.
    facts = fields.JSONField(null=True)
    facts_corrected = fields.JSONField(null=True)
    # Staff let the public catalogue offer this document (never one with personal numbers).
    # db_default: existing rows get False when the column is added.
    public = fields.BooleanField(default=False, db_default=False)
    uploaded_by = fields.ForeignKeyField(
        "archive.User", related_name="uploads", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    deleted_at = fields.DatetimeField(null=True)
    deleted_by = fields.ForeignKeyField(
        "archive.User", related_name="deletions", null=True, on_delete=fields.SET_NULL
    )

    innovation_id: int | None
    blob_id: str | None

    class Meta:
        table = "evidence"
        ordering = ["id"]


class IndicatorClaim(Model):
    """The level an admin claims for one indicator of an innovation."""

    id = fields.IntField(primary_key=True)
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="claims", on_delete=fields.CASCADE
    )
    indicator = fields.CharField(max_length=64)
    claimed_level = fields.IntField()
    basis = fields.CharField(max_length=64, null=True)
    note = fields.TextField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    innovation_id: int

    class Meta:
        table = "indicator_claims"
        unique_together = (("innovation", "indicator"),)
