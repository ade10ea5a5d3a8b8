from datetime import datetime

from pydantic import BaseModel


class Extraction(BaseModel):
    status: str
    pages: int | None = None
    chars: int | None = None
    ocr: bool = False
    reason: str | None = None


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
