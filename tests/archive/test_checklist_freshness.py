"""Stored checklists cannot go stale: a changed rule pack or engine renews every verdict on read."""

from __future__ import annotations

import pytest

from archive.models import ChecklistResult
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
