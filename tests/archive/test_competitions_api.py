"""The competition over the JSON API: set-up, entries, blind judging, conflicts, ranking, recap."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from archive.models import AuditEvent, Innovation, JudgeAssignment, Role, Score
from tests.archive.helpers import bearer, build_world, make_user, open_period, token

KIPP_KEYS = ["ringkasan", "ide_inovatif", "signifikansi", "kontribusi_tpb", "adaptabilitas",
             "keberlanjutan", "kolaborasi"]  # fmt: skip
DESK_WEIGHTS = [5, 20, 25, 5, 20, 20, 5]


def sections(unit_name: str) -> dict[str, str]:
    """Every KIPP section within its limit; the unit names itself, as proposals do."""
    text = f"Inovasi {unit_name} memudahkan warga mendapatkan layanan dengan cepat dan tepat."
    return {key: text for key in KIPP_KEYS}


def same(value: int) -> list[dict]:
    note = "Sesuai data dukung yang dilampirkan."
    return [{"criterion": k, "value": value, "justification": note}
            for k in KIPP_KEYS]  # fmt: skip


def scores(values: dict[str, int]) -> list[dict]:
    return [{"criterion": k, "value": v, "justification": "Dinilai dari paparan dan dokumen."}
            for k, v in values.items()]  # fmt: skip


@pytest.fixture
async def contest(client):
    await open_period()
    world = await build_world(client)
    for innovation in (world.draft_a, world.draft_b):
        innovation.status = "verified"
        innovation.design = f"Rancang bangun {innovation.name} oleh {innovation.name}."
        innovation.goals = "Tujuan: layanan yang lebih cepat."
        await innovation.save()
    for name in ("juri2", "juri3"):
        user = await make_user(name, Role.JUDGE)
        world.users[name] = user
        world.headers[name] = bearer(await token(client, user.username))
    return world


async def test_a_kipp_competition_from_entry_to_winners(client, contest):
    staff, admin_a, admin_b = (contest.headers[r] for r in ("staff", "admin_a", "admin_b"))
    juri1, juri2, juri3 = (contest.headers[r] for r in ("judge", "juri2", "juri3"))

    created = await client.post("/api/competitions", headers=staff, json={
        "name": "Lomba Inovasi Balangan 2026", "year": 2026, "template": "kipp"})  # fmt: skip
    assert created.status_code == 201, created.text
    competition = created.json()
    cid = competition["id"]
    assert [s["name"] for s in competition["stages"]] == [
        "Evaluasi proposal",
        "Presentasi dan wawancara",
    ]
    desk = competition["stages"][0]
    assert desk["blind"] and [c["weight"] for c in desk["criteria"]] == DESK_WEIGHTS
    assert [s["word_limit"] for s in competition["sections"]] == [200, 600, 600, 200, 400, 600, 200]
    assert (await client.post("/api/competitions", headers=admin_a, json={
        "name": "Lomba Liar", "year": 2026, "template": "kipp"})).status_code == 403  # fmt: skip

    # Weights that do not sum to 100 are refused and nothing changes.
    bad = await client.patch(f"/api/competitions/{cid}/stages/1", headers=staff, json={
        "criteria": [{"key": "a", "name": "A", "weight": 50},
                     {"key": "b", "name": "B", "weight": 40}]})  # fmt: skip
    assert bad.status_code == 422 and "100%" in bad.json()["detail"]
    for position in (1, 2):
        grade = await client.patch(f"/api/competitions/{cid}/stages/{position}", headers=staff,
                                   json={"passing_grade": 60})  # fmt: skip
        assert grade.status_code == 200
    judges = await client.put(f"/api/competitions/{cid}/stages/1/judges", headers=staff,
                              json={"judges": ["juri", "juri2", "juri3"]})  # fmt: skip
    assert judges.json()["judges"] == ["juri", "juri2", "juri3"]
    not_a_judge = await client.put(f"/api/competitions/{cid}/stages/2/judges", headers=staff,
                                   json={"judges": ["juri", "admin.a"]})  # fmt: skip
    assert not_a_judge.status_code == 422 and "admin.a" in not_a_judge.json()["detail"]
    await client.put(f"/api/competitions/{cid}/stages/2/judges", headers=staff,
                     json={"judges": ["juri", "juri2"]})  # fmt: skip

    # Two units enter; an admin cannot enter another unit's innovation.
    foreign = await client.post(f"/api/competitions/{cid}/entries", headers=admin_a,
                                json={"innovation": contest.draft_b.id})  # fmt: skip
    assert foreign.status_code in (403, 404)
    entry_a = (await client.post(f"/api/competitions/{cid}/entries", headers=admin_a,
                                 json={"innovation": contest.draft_a.id})).json()  # fmt: skip
    entry_b = (await client.post(f"/api/competitions/{cid}/entries", headers=admin_b,
                                 json={"innovation": contest.draft_b.id})).json()  # fmt: skip
    again = await client.post(f"/api/competitions/{cid}/entries", headers=admin_a,
                              json={"innovation": contest.draft_a.id})  # fmt: skip
    assert again.status_code == 409

    # The profile fills what it can; an empty or too long section stops submission.
    filled = await client.post(f"/api/entries/{entry_a['id']}/fill-from-profile", headers=admin_a)
    assert filled.json()["sections"]["ide_inovatif"].startswith("Rancang bangun Posyandu Aktif")
    refused = await client.post(f"/api/entries/{entry_a['id']}/submit", headers=admin_a)
    assert refused.status_code == 409 and "belum diisi" in refused.json()["detail"]
    long = {**sections("Dinas Kesehatan"), "ringkasan": "kata " * 201}
    saved = await client.patch(f"/api/entries/{entry_a['id']}", headers=admin_a,
                               json={"sections": long})  # fmt: skip
    assert saved.status_code == 200 and saved.json()["words"]["ringkasan"] == 201
    over = await client.post(f"/api/entries/{entry_a['id']}/submit", headers=admin_a)
    assert over.status_code == 409 and "201 kata, melebihi batas 200" in over.json()["detail"]
    # The innovator invited to the innovation writes too; admin B cannot.
    intruder = await client.patch(f"/api/entries/{entry_a['id']}", headers=admin_b,
                                  json={"sections": {"ringkasan": "x"}})  # fmt: skip
    assert intruder.status_code == 404
    innovator = contest.headers["innovator"]
    written = await client.patch(f"/api/entries/{entry_a['id']}", headers=innovator,
                                 json={"sections": sections("Dinas Kesehatan")})  # fmt: skip
    assert written.status_code == 200
    for entry, headers, unit in (
        (entry_a, admin_a, "Dinas Kesehatan"),
        (entry_b, admin_b, "DISDIK"),
    ):
        await client.patch(
            f"/api/entries/{entry['id']}", headers=headers, json={"sections": sections(unit)}
        )
        submitted = await client.post(f"/api/entries/{entry['id']}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text

    # Stage 1 opens: three judges x two entries.
    assert (
        await client.post(f"/api/competitions/{cid}/stages/2/open", headers=staff)
    ).status_code == 409
    opened = await client.post(f"/api/competitions/{cid}/stages/1/open", headers=staff)
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert await JudgeAssignment.filter(stage__competition_id=cid).count() == 6
    late = await client.patch(f"/api/entries/{entry_a['id']}", headers=admin_a,
                              json={"sections": {"ringkasan": "diubah"}})  # fmt: skip
    assert late.status_code == 409

    def mine(listing, code):
        return next(a["assignment_id"] for a in listing if a["code"] == code)

    j1 = (await client.get("/api/judging", headers=juri1)).json()
    assert sorted(a["code"] for a in j1) == sorted([entry_a["code"], entry_b["code"]])
    blind = await client.get(f"/api/judging/{mine(j1, entry_a['code'])}", headers=juri1)
    assert blind.status_code == 200
    assert blind.json()["blind"] is True and blind.json()["unit"] is None
    assert "Dinas Kesehatan" not in blind.text and "DINKES" not in blind.text
    assert "[disamarkan]" in blind.json()["sections"][0]["text"]
    # Other roles and other judges cannot read the assignment.
    assert (
        await client.get(f"/api/judging/{mine(j1, entry_a['code'])}", headers=juri2)
    ).status_code == 404
    assert (
        await client.get(f"/api/judging/{mine(j1, entry_a['code'])}", headers=admin_a)
    ).status_code == 403

    # Judge 3 declares a conflict with entry A: the assignment disappears and cannot be scored.
    j3 = (await client.get("/api/judging", headers=juri3)).json()
    conflicted = mine(j3, entry_a["code"])
    reason = {"reason": "Saudara kandung kepala dinas pengusul."}
    declared = await client.post(f"/api/judging/{conflicted}/conflict", headers=juri3, json=reason)
    assert declared.status_code == 204
    assert [a["code"] for a in (await client.get("/api/judging", headers=juri3)).json()] == [
        entry_b["code"]
    ]
    assert (await client.put(f"/api/judging/{conflicted}/scores", headers=juri3,
                             json={"scores": same(100)})).status_code == 404  # fmt: skip

    # Bad scores change nothing.
    target = mine(j1, entry_a["code"])
    note = "Alasan yang cukup panjang."
    for bad_scores in (
        [{"criterion": "ringkasan", "value": 101, "justification": note}],
        [{"criterion": "tidak_ada", "value": 50, "justification": note}],
        [{"criterion": "ringkasan", "value": 50, "justification": "pendek"}],
    ):
        answer = await client.put(
            f"/api/judging/{target}/scores", headers=juri1, json={"scores": bad_scores}
        )
        assert answer.status_code == 422, answer.text
    assert await Score.all().count() == 0

    # Scores (hand calculation in the comments).
    j2 = (await client.get("/api/judging", headers=juri2)).json()
    juri2_a = dict(zip(KIPP_KEYS, [90, 70, 80, 60, 75, 85, 50], strict=True))  # 7600 / 100 = 76.0
    plan = [
        (juri1, mine(j1, entry_a["code"]), same(80)),   # A 80.0
        (juri1, mine(j1, entry_b["code"]), same(70)),   # B 70.0
        (juri2, mine(j2, entry_a["code"]), scores(juri2_a)),
        (juri2, mine(j2, entry_b["code"]), same(65)),   # B 65.0
        (juri3, mine(j3, entry_b["code"]), same(90)),   # B 90.0
    ]  # fmt: skip
    for headers, assignment, values in plan:
        answer = await client.put(
            f"/api/judging/{assignment}/scores", headers=headers, json={"scores": values}
        )
        assert answer.status_code == 200, answer.text
    # A judge sees only their own scores, and no results before the stage closes.
    own = (await client.get(f"/api/judging/{mine(j1, entry_b['code'])}", headers=juri1)).json()
    assert {v["value"] for v in own["scores"].values()} == {70}
    assert (
        await client.get(f"/api/competitions/{cid}/stages/1/results", headers=juri1)
    ).status_code == 403
    # A changed score is audited with its old and new value.
    changed = await client.put(f"/api/judging/{mine(j1, entry_a['code'])}/scores", headers=juri1,
                               json={"scores": scores({"ringkasan": 80})})  # fmt: skip
    assert changed.status_code == 200
    fixed = [{"criterion": "ringkasan", "value": 85, "justification": "Diperbaiki, sudah jelas."}]
    await client.put(f"/api/judging/{mine(j1, entry_a['code'])}/scores", headers=juri1,
                     json={"scores": fixed})  # fmt: skip
    await client.put(f"/api/judging/{mine(j1, entry_a['code'])}/scores", headers=juri1,
                     json={"scores": same(80)})  # fmt: skip
    events = await AuditEvent.filter(action="competition.score").order_by("id")
    assert len(events) == 8  # five first scorings, then three changes
    assert (
        events[-2].before["ringkasan"]["value"] == 80
        and events[-2].after["ringkasan"]["value"] == 85
    )

    provisional = (
        await client.get(f"/api/competitions/{cid}/stages/1/results", headers=staff)
    ).json()
    assert provisional["final"] is False
    closed = await client.post(f"/api/competitions/{cid}/stages/1/close", headers=staff)
    assert closed.json()["state"] == "closed"
    assert (await client.put(f"/api/judging/{mine(j1, entry_a['code'])}/scores", headers=juri1,
                             json={"scores": same(10)})).status_code == 409  # fmt: skip
    result = (await client.get(f"/api/competitions/{cid}/stages/1/results", headers=juri1)).json()
    assert result["final"] is True
    assert {r["unit"] for r in result["results"]} == {None}  # codes only, for a judge
    rows = {r["code"]: r for r in result["results"]}
    a, b = rows[entry_a["code"]], rows[entry_b["code"]]
    assert (a["score"], a["spread"], a["stdev"], a["rank"], a["passed"]) == (
        78.0,
        4.0,
        2.0,
        1,
        True,
    )
    assert sorted(j["judge"] for j in a["judges"]) == [
        "juri",
        "juri2",
    ]  # the conflicted judge is out
    assert (b["score"], b["spread"], b["rank"]) == (75.0, 25.0, 2)
    assert b["stdev"] == 10.8  # population standard deviation of 70, 65, 90

    # Stage 2 (not blind): both passed; a tie broken by the heaviest criterion (materi, 50%).
    assert (
        await client.post(f"/api/competitions/{cid}/stages/2/open", headers=staff)
    ).status_code == 200
    j1 = (await client.get("/api/judging", headers=juri1)).json()
    j2 = (await client.get("/api/judging", headers=juri2)).json()
    second = mine([a for a in j1 if a["stage"] == 2], entry_a["code"])
    open_view = (await client.get(f"/api/judging/{second}", headers=juri1)).json()
    assert open_view["blind"] is False and open_view["unit"] == "Dinas Kesehatan"
    talk = ["paparan", "materi", "video", "kehadiran_pimpinan"]  # weights 30, 50, 10, 10
    stage2 = [
        (juri1, entry_a, dict(zip(talk, [80, 60, 100, 100], strict=True))),  # 24+30+10+10 = 74
        (juri1, entry_b, dict(zip(talk, [60, 80, 60, 60], strict=True))),    # 18+40+6+6 = 70
        (juri2, entry_a, dict.fromkeys(talk, 70)),                           # 70
        (juri2, entry_b, dict.fromkeys(talk, 74)),                           # 74
    ]  # fmt: skip
    for headers, entry, values in stage2:
        listing = j1 if headers is juri1 else j2
        assignment = mine([a for a in listing if a["stage"] == 2], entry["code"])
        answer = await client.put(f"/api/judging/{assignment}/scores", headers=headers,
                                  json={"scores": scores(values)})  # fmt: skip
        assert answer.status_code == 200, answer.text
    assert (await client.post(f"/api/competitions/{cid}/publish", headers=staff)).status_code == 409
    await client.post(f"/api/competitions/{cid}/stages/2/close", headers=staff)
    final = (await client.get(f"/api/competitions/{cid}/stages/2/results", headers=staff)).json()
    assert [(r["code"], r["score"], r["rank"]) for r in final["results"]] == [
        (entry_b["code"], 72.0, 1), (entry_a["code"], 72.0, 2)]  # fmt: skip
    assert "kriteria berbobot terbesar" in final["tie_rule"]

    # Entrants see results only once the winners are announced.
    assert (
        await client.get(f"/api/competitions/{cid}/stages/2/results", headers=admin_a)
    ).status_code == 403
    published = await client.post(f"/api/competitions/{cid}/publish", headers=staff)
    assert published.status_code == 200 and published.json()["published"] is True
    assert (
        await client.get(f"/api/competitions/{cid}/stages/2/results", headers=admin_a)
    ).status_code == 200

    # The winners appear in the public catalogue, and on a published winner's page.
    catalogue = await client.get("/katalog")
    winners = catalogue.text[catalogue.text.index('id="winners"') :]
    assert winners.index("Sekolah Ramah Anak") < winners.index("Posyandu Aktif")
    await Innovation.filter(id=contest.draft_b.id).update(status="published")
    page = await client.get(f"/katalog/{contest.draft_b.id}")
    assert "Juara 1 Lomba Inovasi Balangan 2026" in page.text

    recap = await client.get(f"/api/competitions/{cid}/results.xlsx", headers=staff)
    assert recap.status_code == 200 and recap.headers["x-content-type-options"] == "nosniff"
    book = load_workbook(io.BytesIO(recap.content))
    assert book.sheetnames == ["Tahap 1", "Tahap 2"]
    sheet = [[c.value for c in row] for row in book["Tahap 1"].iter_rows()]
    assert sheet[0][:4] == ["Peringkat", "Kode", "Inovasi", "Unit"]
    assert [row[0] for row in sheet[1:]] == [1, 2] and sheet[1][1] == entry_a["code"]
    assert sheet[1][-4] == 78.0
    pdf = await client.get(f"/api/competitions/{cid}/results.pdf", headers=staff)
    assert pdf.content.startswith(b"%PDF")
    assert (
        await client.get(f"/api/competitions/{cid}/results.xlsx", headers=admin_a)
    ).status_code == 403


async def test_judges_see_only_their_competitions(client, contest):
    staff = contest.headers["staff"]
    one = (await client.post("/api/competitions", headers=staff, json={
        "name": "Lomba A", "year": 2026, "template": "iga"})).json()  # fmt: skip
    await client.post("/api/competitions", headers=staff, json={
        "name": "Lomba B", "year": 2026, "template": "iga"})  # fmt: skip
    await client.put(f"/api/competitions/{one['id']}/stages/1/judges", headers=staff,
                     json={"judges": ["juri2"]})  # fmt: skip
    listed = await client.get("/api/competitions", headers=contest.headers["juri2"])
    assert [c["name"] for c in listed.json()] == ["Lomba A"]
    assert (await client.get("/api/competitions", headers=contest.headers["juri3"])).json() == []
    assert (
        await client.get(f"/api/competitions/{one['id']}", headers=contest.headers["juri3"])
    ).status_code == 404
    assert (await client.get("/api/judging", headers=contest.headers["admin_a"])).status_code == 403
    # An innovation that is not eligible (a draft) cannot enter.
    draft = await Innovation.create(year=2026, unit=contest.unit_a, name="Masih Draf")
    refused = await client.post(
        f"/api/competitions/{one['id']}/entries",
        headers=contest.headers["admin_a"],
        json={"innovation": draft.id},
    )
    assert refused.status_code == 409 and "draf" in refused.json()["detail"]
