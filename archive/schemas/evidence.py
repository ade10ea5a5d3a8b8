import datetime as dt
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from archive.schemas.common import Strict
from checklist.facts import KINDS


class Extraction(BaseModel):
    status: str
    pages: int | None = None
    chars: int | None = None
    ocr: bool = False
    reason: str | None = None
    # Bounds per file: the text is cut at 5 million characters (``truncated``), and only the
    # first ``searchable_pages`` pages are in the search index.
    truncated: bool = False
    searchable_pages: int | None = None


class Facts(BaseModel):
    kind: str | None = None
    number: str | None = None
    date: str | None = None
    title: str | None = None
    issuer: str | None = None
    names_innovation: bool | None = None
    corrected: list[str] = []


class EvidenceOut(BaseModel):
    id: int
    innovation_id: int | None
    regional_year: int | None = None
    indicator: str
    filename: str | None
    url: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    version: int
    chain_id: int
    is_current: bool
    public: bool = Field(default=False, description="offered in the public catalogue")
    deleted: bool
    uploaded_by: str | None
    created_at: datetime
    extraction: Extraction
    facts: Facts


class EvidenceText(BaseModel):
    status: str
    text: str
    pages: list[str]
    ocr: bool = False


class FactsCorrection(Strict):
    """Any of the facts; null removes a person's correction so what was read shows again."""

    kind: str | None = Field(default=None, description=f"one of: {', '.join(KINDS)}")
    number: str | None = Field(default=None, min_length=1, max_length=200)
    date: str | None = Field(default=None, description="ISO date, e.g. 2021-07-12")
    title: str | None = Field(default=None, min_length=1, max_length=2000)
    issuer: str | None = Field(default=None, min_length=1, max_length=300)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in KINDS:
            raise ValueError(
                f"jenis dokumen tidak dikenal; pilih salah satu dari: {', '.join(KINDS)}"
            )
        return value

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parsed = dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError("tanggal harus berformat ISO TTTT-BB-HH, mis. 2021-07-12")
        return parsed.isoformat()
