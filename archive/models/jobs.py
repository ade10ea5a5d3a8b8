"""The job queue and outbox of the background worker, kept in the database.

Written in the same transaction as the change that causes it, so a crash between the two
cannot lose the work; the worker resumes pending jobs on start.
"""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JobKind(StrEnum):
    EXTRACT = "extract"
    INDEX = "index"
    # An innovation's checklist inputs changed: evaluate it again (``ref`` is its id).
    RECHECK = "recheck"


class JobState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Model):
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(JobKind, max_length=16)
    ref = fields.CharField(max_length=80)
    # Whose work this is (``unit:<id>``, ``usulan``, ``regional``, ``cli``): extraction takes
    # turns between queues, so one unit's thousand files never hold up another unit's one.
    queue = fields.CharField(max_length=40, default="", db_default="")
    # Every file is first read in the express lane with a short time budget; one that needs
    # longer is put back here and read in a long lane, which never takes the express slot.
    slow = fields.BooleanField(default=False, db_default=False)
    state = fields.CharEnumField(JobState, max_length=16, default=JobState.PENDING, db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "jobs"
        ordering = ["id"]
