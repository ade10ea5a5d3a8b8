"""Request bodies and answers of the competition API (``/api/competitions``, ``/api/entries``,
``/api/judging``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from archive.models import StageKind
from archive.schemas.common import Strict

Key = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")


class SectionIn(Strict):
    key: str = Key
    title: str = Field(min_length=1, max_length=200)
    word_limit: int = Field(ge=10, le=5000)


class CriterionIn(Strict):
    key: str = Key
    name: str = Field(min_length=1, max_length=200)
    weight: int = Field(ge=1, le=100)


class StageIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: StageKind = StageKind.DESK
    blind: bool = True
    passing_grade: float = Field(default=70.0, ge=0, le=100)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20)
    deadline: dt.date | None = None


class StagePatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: StageKind | None = None
    blind: bool | None = None
    passing_grade: float | None = Field(default=None, ge=0, le=100)
    criteria: list[CriterionIn] | None = Field(default=None, min_length=1, max_length=20)
    deadline: dt.date | None = None


class CompetitionIn(Strict):
    """A new competition: from a template (``kipp``, ``iga``) or with its own stages."""

    name: str = Field(min_length=3, max_length=200)
    year: int = Field(ge=2000, le=2100)
    template: str | None = Field(default=None, max_length=20)
    description: str = Field(default="", max_length=5000)
    eligible: list[str] | None = None
    sections: list[SectionIn] | None = Field(default=None, max_length=20)
    stages: list[StageIn] | None = Field(default=None, min_length=1, max_length=6)
    entry_deadline: dt.date | None = None
    winners: int = Field(default=3, ge=1, le=50)


class CompetitionPatch(Strict):
    name: str | None = Field(default=None, min_length=3, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    eligible: list[str] | None = None
    sections: list[SectionIn] | None = Field(default=None, max_length=20)
    entry_deadline: dt.date | None = None
    winners: int | None = Field(default=None, ge=1, le=50)


class JudgesIn(Strict):
    judges: list[str] = Field(max_length=50)


class EntryIn(Strict):
    innovation: int = Field(ge=1, le=2**31 - 1)


class EntryPatch(Strict):
    sections: dict[str, str] | None = None
    evidence: list[int] | None = Field(default=None, max_length=200)


class ScoreIn(Strict):
    criterion: str = Field(max_length=40)
    value: int = Field(ge=0, le=100)
    justification: str = Field(min_length=10, max_length=2000)


class ScoresIn(Strict):
    scores: list[ScoreIn] = Field(min_length=1, max_length=20)


class ConflictIn(Strict):
    reason: str = Field(min_length=5, max_length=1000)


class StageOut(BaseModel):
    position: int
    name: str
    kind: str
    blind: bool
    passing_grade: float
    criteria: list[dict[str, Any]]
    deadline: dt.date | None
    state: str
    judges: list[str]


class CompetitionOut(BaseModel):
    id: int
    name: str
    year: int
    template: str
    description: str
    eligible: list[str]
    sections: list[dict[str, Any]]
    entry_deadline: dt.date | None
    winners: int
    published: bool
    stages: list[StageOut]


class EntryOut(BaseModel):
    id: int
    competition_id: int
    innovation_id: int
    innovation: str
    unit: str
    code: str
    status: str
    sections: dict[str, str]
    words: dict[str, int]
    evidence: list[int]
    submitted_at: dt.datetime | None


class JudgeResultOut(BaseModel):
    judge: str
    weighted: float | None
    complete: bool


class ResultOut(BaseModel):
    entry_id: int
    code: str
    innovation: str | None
    unit: str | None
    score: float | None
    stdev: float | None
    spread: float | None
    rank: int | None
    passed: bool
    judges: list[JudgeResultOut]
    criteria_means: dict[str, float]


class ResultsOut(BaseModel):
    stage: StageOut
    final: bool  # False while the stage is still open: figures may change
    tie_rule: str
    results: list[ResultOut]


class AssignmentOut(BaseModel):
    """One of a judge's assignments, with how far the scoring went."""

    assignment_id: int
    competition_id: int
    competition: str
    stage: int
    stage_name: str
    state: str
    code: str
    scored: int
    criteria: int


class SectionText(BaseModel):
    key: str
    title: str
    word_limit: int
    text: str


class AttachmentOut(BaseModel):
    id: int
    indicator: str
    url: str | None
    name: str
    media_type: str | None
    is_link: bool


class GivenScore(BaseModel):
    value: int
    justification: str


class JudgeViewOut(BaseModel):
    """An entry as its judge sees it: no unit on a blind stage, only the judge's own scores."""

    assignment_id: int
    competition: str
    stage: int
    stage_name: str
    blind: bool
    code: str
    innovation: str
    unit: str | None
    sections: list[SectionText]
    profile: dict[str, str]
    evidence: list[AttachmentOut]
    criteria: list[dict[str, Any]]
    scores: dict[str, GivenScore]
    editable: bool
