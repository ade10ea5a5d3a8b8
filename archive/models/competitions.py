"""Innovation competitions: stages judged by outside judges on weighted criteria.

A competition (the regency's own BAILANG, or a KIPP-style entry round) has ordered stages;
each stage has its criteria with weights summing to 100, a passing grade, a panel of judges and
a state (waiting, open for scoring, closed). Units enter innovations as entries with written
sections; each judge scores the entries assigned to them per criterion, with a justification.
Criteria and proposal sections are small lists kept as JSON on their owner: they are read and
written whole, and a stage's criteria are frozen once it opens.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from archive.models.innovations import Innovation
    from archive.models.users import User


class StageState(StrEnum):
    WAITING = "waiting"
    OPEN = "open"
    CLOSED = "closed"


class StageKind(StrEnum):
    ADMINISTRATIVE = "administrasi"
    DESK = "desk"
    PRESENTATION = "presentasi"
    FIELD = "lapangan"


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Competition(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    year = fields.IntField(db_index=True)
    template = fields.CharField(max_length=20, default="")
    description = fields.TextField(default="")
    # Innovation statuses that may enter (e.g. ["verified", "published"]).
    eligible: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # Proposal sections: [{"key", "title", "word_limit", "hint"}], in order.
    sections: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    entry_deadline = fields.DateField(null=True)
    winners = fields.IntField(default=3)
    published_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "archive.User", related_name="competitions_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    stages: fields.ReverseRelation[CompetitionStage]
    entries: fields.ReverseRelation[Entry]

    class Meta:
        table = "competitions"
        ordering = ["-year", "id"]


class CompetitionStage(Model):
    id = fields.IntField(primary_key=True)
    competition: fields.ForeignKeyRelation[Competition] = fields.ForeignKeyField(
        "archive.Competition", related_name="stages", on_delete=fields.CASCADE
    )
    position = fields.IntField()  # 1, 2, ...
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(StageKind, max_length=16, default=StageKind.DESK)
    blind = fields.BooleanField(default=True)
    passing_grade = fields.FloatField(default=70.0)
    # [{"key", "name", "weight"}]: weights are whole percents summing to 100.
    criteria: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    deadline = fields.DateField(null=True)
    state = fields.CharEnumField(StageState, max_length=10, default=StageState.WAITING)
    opened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)

    competition_id: int
    judges: fields.ReverseRelation[StageJudge]
    assignments: fields.ReverseRelation[JudgeAssignment]

    class Meta:
        table = "competition_stages"
        unique_together = (("competition", "position"),)
        ordering = ["position"]


class StageJudge(Model):
    """A judge on the panel of a stage: assigned every entry of the stage when it opens."""

    id = fields.IntField(primary_key=True)
    stage: fields.ForeignKeyRelation[CompetitionStage] = fields.ForeignKeyField(
        "archive.CompetitionStage", related_name="judges", on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "archive.User", related_name="panels", on_delete=fields.CASCADE
    )

    stage_id: int
    judge_id: int

    class Meta:
        table = "competition_judges"
        unique_together = (("stage", "judge"),)


class Entry(Model):
    """An innovation entered in a competition, with its written proposal sections."""

    id = fields.IntField(primary_key=True)
    competition: fields.ForeignKeyRelation[Competition] = fields.ForeignKeyField(
        "archive.Competition", related_name="entries", on_delete=fields.CASCADE
    )
    innovation: fields.ForeignKeyRelation[Innovation] = fields.ForeignKeyField(
        "archive.Innovation", related_name="entries", on_delete=fields.RESTRICT
    )
    # What judges see instead of the unit's name when a stage is blind.
    code = fields.CharField(max_length=12)
    sections: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)  # key: text
    # Evidence ids, attached by reference.
    evidence: fields.JSONField[list[int]] = fields.JSONField(default=list)
    status = fields.CharEnumField(EntryStatus, max_length=10, default=EntryStatus.DRAFT)
    submitted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    competition_id: int
    innovation_id: int

    class Meta:
        table = "competition_entries"
        unique_together = (("competition", "innovation"), ("competition", "code"))
        ordering = ["id"]


class JudgeAssignment(Model):
    """One judge, one entry, one stage (a declared conflict takes it out of the scoring)."""

    id = fields.IntField(primary_key=True)
    stage: fields.ForeignKeyRelation[CompetitionStage] = fields.ForeignKeyField(
        "archive.CompetitionStage", related_name="assignments", on_delete=fields.CASCADE
    )
    judge: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "archive.User", related_name="judging", on_delete=fields.CASCADE
    )
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "archive.Entry", related_name="assignments", on_delete=fields.CASCADE
    )
    conflict_reason = fields.TextField(null=True)
    conflict_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    stage_id: int
    judge_id: int
    entry_id: int
    scores: fields.ReverseRelation[Score]

    class Meta:
        table = "competition_assignments"
        unique_together = (("stage", "judge", "entry"),)
        ordering = ["id"]


class Score(Model):
    """The score (0 to 100) a judge gave one criterion, with the reason for it."""

    id = fields.IntField(primary_key=True)
    assignment: fields.ForeignKeyRelation[JudgeAssignment] = fields.ForeignKeyField(
        "archive.JudgeAssignment", related_name="scores", on_delete=fields.CASCADE
    )
    criterion = fields.CharField(max_length=40)
    value = fields.IntField()
    justification = fields.TextField()
    updated_at = fields.DatetimeField(auto_now=True)

    assignment_id: int

    class Meta:
        table = "competition_scores"
        unique_together = (("assignment", "criterion"),)
        ordering = ["id"]
