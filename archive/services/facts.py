"""Document facts as people see them: what was read, with a person's corrections on top."""

from __future__ import annotations

from archive.models import Evidence
from archive.schemas.evidence import Facts

FACT_FIELDS = ("kind", "number", "date", "title", "issuer")


def effective_facts(evidence: Evidence) -> Facts:
    """What was read from the document, with a person's corrections on top."""
    read = dict(evidence.facts or {})
    corrected = dict(evidence.facts_corrected or {})
    merged = {key: corrected.get(key, read.get(key)) for key in FACT_FIELDS}
    return Facts(
        **merged,
        names_innovation=read.get("names_innovation"),
        corrected=sorted(corrected),
    )
