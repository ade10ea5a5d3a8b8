"""Starting a new year: chosen innovations carried forward as drafts, evidence linked."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, NotFound
from archive.models import Evidence, Innovation, Period
from archive.services import checklists, search_outbox
from archive.services.innovations import PROFILE_FIELDS

# Fields that describe the innovation, as opposed to its state in one year's collection.
COPIED = [f for f in PROFILE_FIELDS if f != "name"] + ["name"]


async def carry_forward(year: int, innovation_ids: list[int], actor: Actor) -> list[Innovation]:
    """New drafts in ``year`` with the profiles, linking (not copying) the current evidence.

    The same blobs back the new rows, so nothing is stored twice; the new year's rule pack then
    judges each document again (a decree from the wrong window shows up as OUT_OF_WINDOW).
    """
    if not await Period.exists(year=year):
        raise NotFound(f"Periode tahun {year} belum dibuka.")
    sources = await Innovation.filter(id__in=innovation_ids)
    if len(sources) != len(set(innovation_ids)):
        raise BadInput("Sebagian inovasi yang dipilih tidak ada.")
    created = []
    for source in sources:
        if source.year >= year:
            raise BadInput(
                f"Inovasi {source.id} berasal dari tahun {source.year}, bukan sebelum {year}."
            )
        if await Innovation.exists(carried_from_id=source.id, year=year):
            continue  # already carried: once is enough
        async with in_transaction():
            fields = {field: getattr(source, field) for field in COPIED}
            fields["proposal"] = source.proposal or {}
            copy = await Innovation.create(
                **fields, year=year, unit_id=source.unit_id, carried_from_id=source.id
            )
            for evidence in await Evidence.filter(
                innovation_id=source.id, is_current=True, deleted_at=None
            ):
                linked = await Evidence.create(
                    innovation_id=copy.id,
                    indicator=evidence.indicator,
                    blob_id=evidence.blob_id,
                    url=evidence.url,
                    filename=evidence.filename,
                    media_type=evidence.media_type,
                    size=evidence.size,
                    facts=evidence.facts,
                    facts_corrected=evidence.facts_corrected,
                    uploaded_by_id=evidence.uploaded_by_id,  # type: ignore[attr-defined]
                )
                await Evidence.filter(id=linked.id).update(chain_id=linked.id)
                await search_outbox.enqueue([search_outbox.evidence_ref(linked.id)])
            await search_outbox.enqueue([search_outbox.innovation_ref(copy.id)])
            await audit.record(
                actor,
                "carry_forward",
                "innovation",
                copy.id,
                after={"from": source.id, "year": year},
            )
        await checklists.inputs_changed(copy.id)
        created.append(copy)
    return created
