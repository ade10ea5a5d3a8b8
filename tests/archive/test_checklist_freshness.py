"""Stored checklists cannot go stale: a changed rule pack or engine renews every verdict on read."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from archive.models import ChecklistResult, IndicatorClaim, Job, JobKind
from archive.services import checklists, index_report
from checklist import ENGINE_VERSION
from checklist import rulepack as rulepack_module
from checklist.rulepack import RulePack, load_rulepack
from tests.archive.test_web_review import submitted, world  # noqa: F401


def _reweighted(code: str, weight: int) -> RulePack:
    """The 2026 pack with one indicator's weight changed, under the same id."""
    data = load_rulepack("iid-2026").model_dump()
    for indicator in data["indicators"]:
        if indicator["code"] == code:
            indicator["weight"] = weight
    return RulePack.model_validate(data)


def _row(result: dict, code: str) -> dict:
    return next(row for row in result["indicators"] if row["code"] == code)


async def test_a_changed_rule_pack_renews_every_stored_verdict(
    client,
    world,  # noqa: F811
    submitted,  # noqa: F811
    monkeypatch,
):
    original = load_rulepack("iid-2026")
    await index_report.year_data(2026)  # every innovation of the year stored once
    before = {r.innovation_id: r for r in await ChecklistResult.all()}
    assert len(before) == 3
    assert {r.rulepack_digest for r in before.values()} == {original.digest}
    assert _row(before[submitted.id].result, "regulasi")["weight"] == 3

    changed = _reweighted("regulasi", 9)
    assert changed.id == original.id and changed.digest != original.digest
    monkeypatch.setitem(rulepack_module._CACHE, "iid-2026", changed)

    # The API, the pages' source, shows the new weight at once...
    response = await client.get(
        f"/api/innovations/{submitted.id}/checklist", headers=world.headers["admin_a"]
    )
    assert _row(response.json(), "regulasi")["weight"] == 9
    # ...and a year-wide report renews every innovation of the year, not only the one opened.
    data = await index_report.year_data(2026)
    assert len(data.entries) == 3
    after = {r.innovation_id: r for r in await ChecklistResult.all()}
    assert {r.rulepack_digest for r in after.values()} == {changed.digest}
    for innovation_id, row in after.items():
        assert _row(row.result, "regulasi")["weight"] == 9
        claimed_regulasi = _row(row.result, "regulasi")["claimed_level"]
        old_regulasi = _row(before[innovation_id].result, "regulasi")["claimed_level"]
        assert row.claimed - before[innovation_id].claimed == 6 * claimed_regulasi
        assert claimed_regulasi == old_regulasi


async def test_a_result_from_an_older_engine_is_evaluated_again(client, world, submitted):  # noqa: F811
    stored = await ChecklistResult.get(innovation_id=submitted.id)
    assert stored.engine_version == ENGINE_VERSION
    tampered = dict(stored.result, completeness=-1.0)
    await ChecklistResult.filter(id=stored.id).update(engine_version=None, result=tampered)
    result = await checklists.get_checklist(submitted)
    assert 0 <= result["completeness"] <= 1
    renewed = await ChecklistResult.get(id=stored.id)
    assert renewed.engine_version == ENGINE_VERSION and renewed.result["completeness"] >= 0


@pytest.mark.parametrize("field", ["rulepack_digest", "summary"])
async def test_a_result_missing_its_stamp_is_not_trusted(client, world, submitted, field):  # noqa: F811
    await ChecklistResult.filter(innovation_id=submitted.id).update(**{field: None})
    stale = await ChecklistResult.get(innovation_id=submitted.id)
    pack = load_rulepack("iid-2026")
    args = (stale.rulepack, stale.rulepack_digest, stale.engine_version, stale.summary)
    assert not checklists.is_fresh(pack, *args)
    await checklists.get_checklist(submitted)
    fresh = await ChecklistResult.get(innovation_id=submitted.id)
    args = (fresh.rulepack, fresh.rulepack_digest, fresh.engine_version, fresh.summary)
    assert checklists.is_fresh(pack, *args)


async def test_a_change_whose_evaluation_never_ran_is_evaluated_on_read(client, world, submitted):  # noqa: F811
    stored = await ChecklistResult.get(innovation_id=submitted.id)
    level = _row(stored.result, "regulasi")["claimed_level"]
    # A writer that stopped between its change and the evaluation: the change and the mark
    # landed together, the stored checklist still shows the old claim.
    async with in_transaction():
        await IndicatorClaim.create(
            innovation_id=submitted.id, indicator="regulasi", claimed_level=level + 1
        )
        await checklists.mark_stale(submitted.id)
        await checklists.mark_stale(submitted.id)  # however often: one mark
    assert await checklists.stale_ids() == {submitted.id}
    assert await Job.filter(kind=JobKind.RECHECK).count() == 1
    # A year-wide report reads the new claim, not the stored one...
    data = await index_report.year_data(2026)
    (entry,) = [e for e in data.entries if e.innovation.id == submitted.id]
    assert entry.stored.claimed > stored.claimed
    assert await checklists.stale_ids() == set()
    # ...and so does the page's source.
    await checklists.mark_stale(submitted.id)
    result = await checklists.get_checklist(submitted)
    assert _row(result, "regulasi")["claimed_level"] == level + 1
    assert not await Job.exists(kind=JobKind.RECHECK)


async def test_the_worker_takes_the_marks_nobody_read(client, world, submitted):  # noqa: F811
    await IndicatorClaim.create(innovation_id=submitted.id, indicator="regulasi", claimed_level=1)
    await checklists.mark_stale(submitted.id)
    await checklists.mark_stale(world.draft_b.id)
    await Job.create(kind=JobKind.RECHECK, ref="999999")  # an innovation since removed
    assert await checklists.recheck_pending() == 3
    assert not await Job.exists(kind=JobKind.RECHECK)
    stored = await ChecklistResult.get(innovation_id=submitted.id)
    assert _row(stored.result, "regulasi")["claimed_level"] == 1
    assert await checklists.recheck_pending() == 0


async def test_two_processes_storing_the_same_checklist_at_once_both_succeed(client, world):  # noqa: F811
    # Found by Schemathesis: the web request creating an innovation and the worker's recheck
    # (another process) both found no stored checklist and both inserted one; the loser
    # answered 500. Interleaved here by running the two evaluations concurrently.
    import asyncio

    from archive.models import Innovation

    fresh = await Innovation.create(year=2026, unit=world.unit_a, name="Baru Saja Dibuat")
    for _ in range(3):
        await ChecklistResult.filter(innovation_id=fresh.id).delete()
        results = await asyncio.gather(*(checklists.refresh(fresh.id) for _ in range(4)))
        assert all(r["completeness"] == results[0]["completeness"] for r in results)
        assert await ChecklistResult.filter(innovation_id=fresh.id).count() == 1
