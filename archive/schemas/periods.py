from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, Field, model_validator

from archive.schemas.common import Strict


def _check_order(opens: date | None, closes: date | None, review: date | None) -> None:
    if opens and closes and closes < opens:
        raise ValueError("Batas input (closes) tidak boleh sebelum tanggal buka (opens).")
    if closes and review and review < closes:
        raise ValueError("Batas verifikasi (review_closes) tidak boleh sebelum batas input.")


class PeriodCreate(Strict):
    year: int = Field(ge=2000, le=2100)
    rulepack: str = Field(min_length=1, max_length=32)
    opens: date
    closes: date
    review_closes: date

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        _check_order(self.opens, self.closes, self.review_closes)
        return self


class PeriodUpdate(Strict):
    rulepack: str | None = Field(default=None, min_length=1, max_length=32)
    reopened: bool | None = Field(default=None, description="Open input again after the deadline")
    opens: date | None = None
    closes: date | None = None
    review_closes: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        _check_order(self.opens, self.closes, self.review_closes)
        return self


class PeriodOut(BaseModel):
    year: int
    rulepack: str
    opens: date
    closes: date
    review_closes: date
    closes_at: datetime
    review_closes_at: datetime
    reopened: bool = False
