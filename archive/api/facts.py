"""Correcting what was read from an evidence document."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import Field, field_validator

from archive.api.deps import ActorDep, CurrentUser
from archive.schemas.common import Strict
from archive.schemas.evidence import EvidenceOut
from archive.services import evidence as evidence_service
from archive.services import facts as service
from checklist.facts import KINDS

router = APIRouter(tags=["evidence"])


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


@router.patch("/evidence/{evidence_id}/facts")
async def correct_facts(
    evidence_id: int, body: FactsCorrection, user: CurrentUser, actor: ActorDep
) -> EvidenceOut:
    """A person's correction wins over what was read; null removes it."""
    changes = body.model_dump(include=body.model_fields_set)
    evidence = await service.correct_facts(user, evidence_id, changes, actor)
    return await evidence_service.evidence_out(evidence)
