"""The review workflow: verifiers' reviews per indicator, comments, in-app notifications."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Verdict(StrEnum):
    SESUAI = "sesuai"
    TIDAK_SESUAI = "tidak_sesuai"


class ReviewState(StrEnum):
    DONE = "done"
    # The admin changed the evidence after the review: the verifier must look again.
    WAITING = "waiting"


class Review(Model):
    """A verifier's judgement of one indicator, tied to the evidence versions they saw."""

    id = fields.IntField(primary_key=True)
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="reviews", on_delete=fields.CASCADE
    )
    indicator = fields.CharField(max_length=64)
    verified_level = fields.IntField()
    verdict = fields.CharEnumField(Verdict, max_length=16)
    note = fields.TextField(null=True)
    state = fields.CharEnumField(ReviewState, max_length=16, default=ReviewState.DONE)
    # SHA-256 (or URL) of each current evidence of the indicator when the review was made.
    seen = fields.JSONField(default=list)
    reviewer = fields.ForeignKeyField(
        "archive.User", related_name="reviews", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    innovation_id: int

    class Meta:
        table = "reviews"
        unique_together = (("innovation", "indicator"),)


class Comment(Model):
    """A message in the thread of an innovation, or of one of its indicators."""

    id = fields.IntField(primary_key=True)
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="comments", on_delete=fields.CASCADE
    )
    indicator = fields.CharField(max_length=64, null=True)
    author = fields.ForeignKeyField(
        "archive.User", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    body = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    innovation_id: int

    class Meta:
        table = "comments"
        ordering = ["id"]


class Notification(Model):
    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField(
        "archive.User", related_name="notifications", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=32)
    message = fields.TextField()
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    # A key that makes a reminder idempotent (e.g. "deadline-7:2026:17").
    key = fields.CharField(max_length=120, null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notifications"
        ordering = ["-id"]


class Decision(Model):
    """One step of an innovation's workflow: who moved it, when, from where to where, and why.

    The history shown on the innovation page; a withdrawal is a step of its own that names the
    decision it undoes, so nothing recorded is ever changed.
    """

    id = fields.IntField(primary_key=True)
    innovation = fields.ForeignKeyField(
        "archive.Innovation", related_name="decisions", on_delete=fields.CASCADE
    )
    # The transition's name: submit, verified, revision, rejected, publish, reopen, withdraw.
    name = fields.CharField(max_length=16)
    from_status = fields.CharField(max_length=16)
    to_status = fields.CharField(max_length=16)
    note = fields.TextField(null=True)
    actor = fields.ForeignKeyField(
        "archive.User", related_name="decisions", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    innovation_id: int
    actor_id: int | None

    class Meta:
        table = "decisions"
        ordering = ["id"]


class RegionalIndicator(Model):
    """The region's own (SPD) indicator for a year, recorded by staff."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField()
    indicator = fields.CharField(max_length=64)
    claimed_level = fields.IntField(default=0)
    verified_level = fields.IntField(null=True)
    note = fields.TextField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "regional_indicators"
        unique_together = (("year", "indicator"),)
