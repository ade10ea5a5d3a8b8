"""Yearly collection periods, the rule pack each one is judged by, and figures of past years."""

from tortoise import fields
from tortoise.models import Model


class Period(Model):
    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    rulepack = fields.CharField(max_length=32)
    # Calendar dates; a deadline ends at 23:59 in SEPEDA_TIMEZONE on that day.
    opens = fields.DateField()
    closes = fields.DateField()
    review_closes = fields.DateField()
    # Staff reopened the whole year for input after its deadline.
    reopened = fields.BooleanField(default=False, db_default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "periods"
        ordering = ["year"]


class YearFigure(Model):
    """What the office reports for a year kept outside SEPEDA BARU (before it was used)."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    innovations = fields.IntField()
    # The index the national assessment announced, when known.
    iid = fields.FloatField(null=True)
    predicate = fields.CharField(max_length=32, null=True)
    source = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "year_figures"
        ordering = ["year"]
