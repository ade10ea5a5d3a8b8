"""Correcting what was read from an evidence document."""

from __future__ import annotations

from fastapi import APIRouter

from archive.api.deps import ActorDep, CurrentUser
from archive.schemas.evidence import EvidenceOut, FactsCorrection
from archive.services import evidence as evidence_service
from archive.services import facts as service

router = APIRouter(tags=["evidence"])


@router.patch("/evidence/{evidence_id}/facts")
async def correct_facts(
    evidence_id: int, body: FactsCorrection, user: CurrentUser, actor: ActorDep
) -> EvidenceOut:
    """A person's correction wins over what was read; null removes it."""
    changes = body.model_dump(include=body.model_fields_set)
    evidence = await service.correct_facts(user, evidence_id, changes, actor)
    return await evidence_service.evidence_out(evidence)
