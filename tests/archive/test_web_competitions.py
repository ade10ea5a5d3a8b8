"""Competition pages: staff's forms, their errors beside the form, and who reaches what."""

from __future__ import annotations

import pytest

from archive.models import Competition, CompetitionStage
from tests.archive.helpers import build_world, open_period
from tests.archive.test_web_pages import csrf_of, sign_in


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def create(client, csrf: str, **fields) -> int:
    form = {"csrf": csrf, "name": "BAILANG 2026", "year": "2026", "template": "kipp", **fields}
    response = await client.post("/lomba", data=form)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


async def test_staff_create_and_set_up_a_competition_in_the_page(client, world):
    csrf = await sign_in(client, "staf")
    bad = await client.post("/lomba", data={"csrf": csrf, "name": "BAILANG", "year": "dua",
                                            "template": "kipp"})  # fmt: skip
    assert bad.status_code == 422
    assert "empat angka" in bad.text and 'value="BAILANG"' in bad.text  # typed value kept
    cid = await create(client, csrf)
    page = await client.get(f"/lomba/{cid}")
    assert "Evaluasi proposal" in page.text and "Ringkasan" in page.text

    # Settings: no eligible status is refused beside the form, nothing changes.
    refused = await client.post(f"/lomba/{cid}/pengaturan", data={
        "csrf": csrf, "name": "BAILANG 2026", "description": "Lomba tahunan", "winners": "3",
        "entry_deadline": "2026-06-30"})  # fmt: skip
    assert refused.status_code == 422 and 'id="settings-error"' in refused.text
    assert "Lomba tahunan" in refused.text
    assert (await Competition.get(id=cid)).description == ""
    saved = await client.post(f"/lomba/{cid}/pengaturan", data={
        "csrf": csrf, "name": "BAILANG 2026", "description": "Lomba tahunan", "winners": "5",
        "entry_deadline": "2026-06-30", "eligible": ["verified", "published"]})  # fmt: skip
    assert saved.status_code == 303
    competition = await Competition.get(id=cid)
    assert (competition.winners, str(competition.entry_deadline)) == (5, "2026-06-30")

    # Stage criteria whose weights do not sum to 100: the error beside that stage's form.
    stage = {"csrf": csrf, "name": "Evaluasi proposal", "passing_grade": "75", "blind": "1",
             "deadline": "2026-07-15", "criterion_name_0": "Kebaruan",
             "criterion_weight_0": "60", "criterion_name_1": "Manfaat",
             "criterion_weight_1": "30"}  # fmt: skip
    wrong = await client.post(f"/lomba/{cid}/tahap/1", data=stage)
    assert wrong.status_code == 422
    assert 'id="stage-error-1"' in wrong.text and "90%" in wrong.text
    first = await CompetitionStage.get(competition_id=cid, position=1)
    assert len(first.criteria) == 7  # unchanged
    right = await client.post(f"/lomba/{cid}/tahap/1", data={**stage, "criterion_weight_1": "40"})
    assert right.status_code == 303
    first = await CompetitionStage.get(competition_id=cid, position=1)
    assert [(c["name"], c["weight"]) for c in first.criteria] == [("Kebaruan", 60), ("Manfaat", 40)]
    assert (first.passing_grade, str(first.deadline)) == (75.0, "2026-07-15")

    # Opening with no judges and no entries says why, beside the stage.
    opened = await client.post(f"/lomba/{cid}/tahap/1/buka", data={"csrf": csrf})
    assert opened.status_code == 409 and "juri" in opened.text


async def test_entrants_and_judges_reach_only_their_part(client, world):
    csrf = await sign_in(client, "staf")
    cid = await create(client, csrf)
    await client.post("/logout", data={"csrf": csrf})
    await sign_in(client, "admin.a")
    assert 'id="create-competition"' not in (await client.get("/lomba")).text
    assert (await client.post(f"/lomba/{cid}/tahap/1/buka",
                              data={"csrf": csrf_of((await client.get('/lomba')).text)})
            ).status_code == 403  # fmt: skip
    assert (await client.get(f"/lomba/{cid}/hasil")).status_code == 403
    assert (await client.get(f"/lomba/{cid}/hasil.xlsx")).status_code == 403
    page = await client.get(f"/lomba/{cid}")
    assert 'id="none-eligible"' in page.text  # a draft may not enter
    await client.post("/logout", data={"csrf": csrf_of(page.text)})
    await sign_in(client, "juri")
    assert (await client.get(f"/lomba/{cid}")).status_code == 404  # not on its panel
    assert 'id="no-assignments"' in (await client.get("/lomba")).text
    assert (await client.get("/lomba/nilai/1")).status_code == 404
