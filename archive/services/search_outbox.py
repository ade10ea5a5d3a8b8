"""The index outbox: "look at this object again" jobs, written with the change that causes them.

A job names an object (``e12`` an evidence, ``i7`` an innovation), not an action: the worker
reads the object's current state and indexes or removes it, so replaying a job is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.models import Job, JobKind, JobState


async def enqueue(refs: Iterable[str]) -> None:
    """Queue index jobs; call inside the transaction of the change."""
    for ref in dict.fromkeys(refs):
        if not await Job.exists(kind=JobKind.INDEX, ref=ref, state=JobState.PENDING):
            await Job.create(kind=JobKind.INDEX, ref=ref)


def evidence_ref(evidence_id: int) -> str:
    return f"e{evidence_id}"


def innovation_ref(innovation_id: int) -> str:
    return f"i{innovation_id}"
