"""Stored checklist results, so reports read them instead of recomputing the world."""

from tortoise import fields
from tortoise.models import Model


class ChecklistResult(Model):
    id = fields.IntField(primary_key=True)
    innovation = fields.OneToOneField(
        "archive.Innovation", related_name="checklist", on_delete=fields.CASCADE
    )
    rulepack = fields.CharField(max_length=32)
    # What evaluated it: a result made by another engine or pack content is stale.
    engine_version = fields.IntField(null=True)
    rulepack_digest = fields.CharField(max_length=16, null=True)
    completeness = fields.FloatField()
    claimed = fields.IntField()
    supported = fields.IntField()
    verified = fields.IntField()
    result = fields.JSONField()
    # checklist.summary.summarize(result): what year-wide reports read (None: write it again).
    summary = fields.JSONField(null=True)
    computed_at = fields.DatetimeField(auto_now=True)

    innovation_id: int

    class Meta:
        table = "checklist_results"
