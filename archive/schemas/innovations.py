from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from archive.models import InnovationStatus
from archive.schemas.common import Strict

StageValue = Literal["inisiatif", "uji coba", "penerapan"]
TypeValue = Literal["digital", "non digital"]


class ProfileFields(Strict):
    """The national profile form (Proposal Inovasi Daerah), every field optional in a draft."""

    made_by: str | None = Field(default=None, max_length=2000)
    stage: StageValue | None = None
    initiator: str | None = Field(default=None, max_length=200)
    initiator_name: str | None = Field(default=None, max_length=200)
    type: TypeValue | None = None
    form: str | None = Field(default=None, max_length=200)
    affairs: str | None = Field(default=None, max_length=300)
    thematic: str | None = Field(default=None, max_length=200)
    classification: str | None = Field(default=None, max_length=100)
    design: str | None = Field(default=None, max_length=100_000)
    goals: str | None = Field(default=None, max_length=20_000)
    benefits: str | None = Field(default=None, max_length=20_000)
    results: str | None = Field(default=None, max_length=20_000)
    trial_date: date | None = None
    implementation_date: date | None = None
    development_date: date | None = None
    budget: int | None = Field(default=None, ge=0, description="Rupiah")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    proposal: dict[str, str] | None = None

    @model_validator(mode="after")
    def _trial_before_implementation(self) -> Self:
        check_date_order(self.trial_date, self.implementation_date)
        return self


def check_date_order(trial: date | None, implementation: date | None) -> None:
    if trial and implementation and implementation < trial:
        raise ValueError("Waktu penerapan tidak boleh sebelum waktu uji coba.")


class InnovationCreate(ProfileFields):
    year: int = Field(ge=2000, le=2100)
    unit: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=300)


class InnovationUpdate(ProfileFields):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    version: int | None = Field(default=None, description="The version last read; 409 if stale")


class InnovationOut(BaseModel):
    id: int
    year: int
    unit: str
    unit_name: str
    name: str
    made_by: str | None
    stage: StageValue | None
    initiator: str | None
    initiator_name: str | None
    type: TypeValue | None
    form: str | None
    affairs: str | None
    thematic: str | None
    classification: str | None
    design: str | None
    goals: str | None
    benefits: str | None
    results: str | None
    trial_date: date | None
    implementation_date: date | None
    development_date: date | None
    budget: int | None
    latitude: float | None
    longitude: float | None
    proposal: dict[str, str]
    status: InnovationStatus
    version: int
    created_at: datetime
    updated_at: datetime
