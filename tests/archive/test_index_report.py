"""The projected regional index: by hand on three bases, fixes that deliver, SPD, past years."""

import pytest

from archive.models import (
    AuditEvent,
    Innovation,
    InnovationStatus,
    Job,
    Period,
    RegionalIndicator,
)
from archive.services import checklists
from archive.worker import Worker
from checklist import load_rulepack
from tests.archive.helpers import build_world, open_period
from tests.documents import pdf_bytes

PERBUP = pdf_bytes(
    [
        "PERATURAN BUPATI BALANGAN",
        "NOMOR 12 TAHUN 2025",
        "TENTANG",
        "INOVASI DAERAH POSYANDU AKTIF",
        "Ditetapkan di Paringin pada tanggal 3 Februari 2025",
        "BUPATI BALANGAN,",
    ]
)


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def claim(client, world, innovation, code, level, role="staff"):
    response = await client.put(
        f"/api/innovations/{innovation.id}/indicators/{code}",
        json={"claimed_level": level},
        headers=world.headers[role],
    )
    assert response.status_code == 200, response.text


async def index(client, world, year=2026, basis="supported", role="staff") -> dict:
    response = await client.get(
        f"/api/reports/index?year={year}&basis={basis}&limit=1000", headers=world.headers[role]
    )
    assert response.status_code == 200, response.text
    return response.json()


async def drain(app) -> None:
    worker = Worker(app.state.settings.model_copy(update={"extract_workers": 1}))
    try:
        await worker.drain()
    finally:
        await worker.stop()


async def set_affairs(innovation: Innovation, affairs: str) -> None:
    await Innovation.filter(id=innovation.id).update(affairs=affairs)
    await checklists.refresh(innovation.id)


def by_hand(pack_id: str, spd_levels: dict, maturities: list, covered: int) -> dict:
    """The IID formula of iid-index.md §2, with the pack's constants, written out."""
    pack = load_rulepack(pack_id)
    f = pack.formula
    spd = sum(i.weight * spd_levels.get(i.code, 0) for i in pack.spd_indicators)
    n = len(maturities)
    met = f.yandas_required is None or covered >= f.yandas_required
    count = f.count_weight * min(n, f.count_cap) if met else 0
    sid = sum(maturities) / max(f.k, n) + count
    iid = round((spd + sid) / f.total_max * 100, 2)
    band = next(b.name for b in f.predicates if iid >= b.min)
    return {"iid": iid, "sid": round(sid, 2), "spd": spd, "predicate": band}


@pytest.mark.slow
async def test_the_demo_year_by_hand_on_all_three_bases(app, client, world):
    pack = load_rulepack("iid-2026")
    weight = {i.code: i.weight for i in pack.indicators}
    unit_a, unit_b = world.unit_a, world.unit_b
    perkim = await Innovation.create(year=2026, unit=unit_b, name="Rumah Layak Huni")
    trantib = await Innovation.create(year=2026, unit=unit_a, name="Siskamling Digital")
    ditolak = await Innovation.create(
        year=2026, unit=unit_a, name="Jalan Mulus", affairs="Pekerjaan Umum dan Penataan Ruang"
    )
    await set_affairs(world.draft_a, "Kesehatan")
    await set_affairs(world.draft_b, "Urusan Pendidikan")
    await set_affairs(world.published_b, "SOSIAL; kebudayaan")
    await set_affairs(perkim, "Perumahan Rakyat dan Kawasan Permukiman")
    await set_affairs(trantib, "Ketenteraman, Ketertiban Umum & Pelindungan Masyarakat")

    claims = {
        world.draft_a: {"regulasi": 2, "sdm": 1, "video": 2},
        world.draft_b: {"regulasi": 1, "anggaran": 3},
        world.published_b: {"kemanfaatan": 2},
        perkim: {"proses": 3, "sosialisasi": 1},
        trantib: {},
        ditolak: {"regulasi": 3, "replikasi": 3},
    }
    for innovation, levels in claims.items():
        for code, level in levels.items():
            await claim(client, world, innovation, code, level)
    await Innovation.filter(id=ditolak.id).update(status=InnovationStatus.REJECTED)

    # Supported: the Perbup proves regulasi level 2 of Posyandu Aktif once it is read.
    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("perbup.pdf", PERBUP)},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201, uploaded.text
    await drain(app)

    spd_claims = {"spd_visi_misi": 3, "spd_opini_bpk": 3, "spd_pad": 2, "spd_tpt": 1}
    for code, level in spd_claims.items():
        response = await client.put(
            f"/api/periods/2026/indicators/{code}",
            json={"claimed_level": level, "note": "LHP BPK 2025"},
            headers=world.headers["staff"],
        )
        assert response.status_code == 200, response.text
    # A verifier reviews the SPD indicators that have evidence on file.
    spd_verified = {"spd_visi_misi": 3, "spd_opini_bpk": 2}
    for code, level in spd_verified.items():
        await regional_evidence(client, world, code)
        response = await client.post(
            f"/api/periods/2026/indicators/{code}/review",
            json={"verified_level": level},
            headers=world.headers["verifier"],
        )
        assert response.status_code == 200, response.text
    # Verified: a verifier reviews submitted innovations (submission itself is tested in
    # test_workflow.py; here the status is set directly to skip filling whole profiles).
    anggaran = pdf_bytes(["DOKUMEN PELAKSANAAN ANGGARAN", "Sekolah Ramah Anak"])
    uploaded = await client.post(
        f"/api/innovations/{world.draft_b.id}/evidence",
        data={"indicator": "anggaran"},
        files={"file": ("dpa.pdf", anggaran)},
        headers=world.headers["staff"],
    )
    assert uploaded.status_code == 201, uploaded.text
    for innovation, code, level in [(world.draft_a, "regulasi", 2), (world.draft_b, "anggaran", 1)]:
        await Innovation.filter(id=innovation.id).update(status=InnovationStatus.SUBMITTED)
        reviewed = await client.post(
            f"/api/innovations/{innovation.id}/indicators/{code}/review",
            json={"verified_level": level, "verdict": "sesuai"},
            headers=world.headers["verifier"],
        )
        assert reviewed.status_code == 200, reviewed.text

    def maturity(innovation):
        if innovation is ditolak:
            return 0  # rejected: still in n, with maturity 0
        return sum(weight[code] * level for code, level in claims[innovation].items())

    order = [world.draft_a, world.draft_b, world.published_b, perkim, trantib, ditolak]
    claimed = [maturity(i) for i in order]
    supported = [3 * 2, 0, 0, 0, 0, 0]
    verified = [3 * 2, 2 * 1, 0, 0, 0, 0]
    covered = 5  # all but PUPR: the rejected innovation does not cover its affair
    expected = {
        "claimed": by_hand("iid-2026", spd_claims, claimed, covered),
        "supported": by_hand("iid-2026", spd_claims, supported, covered),
        "verified": by_hand("iid-2026", spd_verified, verified, covered),
    }
    for basis, hand in expected.items():
        report = await index(client, world, basis=basis)
        assert report["innovations"] == 6 and report["rejected"] == 1
        assert report["k"] == 12 and report["empty_seats"] == 6
        assert report["predicate"] == hand["predicate"], basis
        for key in ("iid", "sid", "spd"):
            assert report[key] == pytest.approx(hand[key]), (basis, key)
        assert report["yandas_covered"] == covered and report["yandas_met"] is True
        assert report["affairs_uncovered"] == ["Pekerjaan Umum dan Penataan Ruang"]
        assert report["spd_recorded"] is True
        gains = [fix["gain"] for fix in report["fixes"]]
        assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
        assert {f.get("innovation_id") for f in report["fixes"]} - {None} <= {
            i.id for i in order if i is not ditolak
        }
    assert expected["claimed"]["iid"] > expected["supported"]["iid"] > 0


async def test_a_new_innovation_in_an_uncovered_affair_delivers_its_promise(client, world):
    """Claimed basis: four affairs covered of five required; the top fix unlocks the count."""
    perkim = await Innovation.create(year=2026, unit=world.unit_b, name="Rumah Layak Huni")
    for innovation, affairs in [
        (world.draft_a, "Kesehatan"),
        (world.draft_b, "Pendidikan"),
        (world.published_b, "Sosial"),
        (perkim, "Perumahan Rakyat dan Kawasan Permukiman"),
    ]:
        await set_affairs(innovation, affairs)
    pack = load_rulepack("iid-2026")
    for innovation in (world.draft_a, world.draft_b, world.published_b, perkim):
        for indicator in pack.indicators:
            await claim(client, world, innovation, indicator.code, 1)
    before = await index(client, world, basis="claimed")
    assert before["yandas_covered"] == 4 and before["count_score"] == 0
    top = before["fixes"][0]
    assert top["kind"] == "new_innovation_affair"
    assert top["affair"] == "Pekerjaan Umum dan Penataan Ruang"
    assert top["unlocks_count_score"] is True
    assert top["assumed_maturity"] == 37  # every innovation claims level 1 of all 20
    assert "Pekerjaan Umum" in top["message"] and "indeks naik" in top["message"]

    created = await client.post(
        "/api/innovations",
        json={
            "year": 2026,
            "unit": "DINKES",
            "name": "Drainase Bersih",
            "affairs": top["affair"],
        },
        headers=world.headers["staff"],
    )
    assert created.status_code == 201, created.text
    new = await Innovation.get(id=created.json()["id"])
    for indicator in pack.indicators:
        await claim(client, world, new, indicator.code, 1)
    after = await index(client, world, basis="claimed")
    assert after["yandas_met"] is True
    assert after["iid"] - before["iid"] == pytest.approx(top["gain"], abs=0.01)


@pytest.mark.slow
async def test_the_top_fix_applied_raises_the_index_by_its_promise(app, client, world):
    """Supported basis: the top fix is Posyandu Aktif's Perbup; uploading it delivers."""
    for other in (world.draft_b, world.published_b):
        await Innovation.filter(id=other.id).update(status=InnovationStatus.REJECTED)
    pack = load_rulepack("iid-2026")
    for indicator in pack.indicators:
        level = 2 if indicator.code == "regulasi" else 1
        await claim(client, world, world.draft_a, indicator.code, level, role="admin_a")
    before = await index(client, world, basis="supported")
    top = before["fixes"][0]
    assert (top["kind"], top["innovation_id"], top["indicator"]) == (
        "indicator",
        world.draft_a.id,
        "regulasi",
    )
    assert top["maturity_gain"] == 6
    assert top["gain"] == pytest.approx(6 * before["iid_per_maturity_point"], abs=0.01)
    assert not any(f.get("indicator") == "video" for f in before["fixes"])  # a person judges it

    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("perbup.pdf", PERBUP)},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201
    await drain(app)
    after = await index(client, world, basis="supported")
    assert after["iid"] - before["iid"] == pytest.approx(top["gain"], abs=0.01)
    assert not any(f.get("indicator") == "regulasi" for f in after["fixes"])


async def test_the_top_fix_on_the_verified_basis_is_a_review_that_delivers(client, world):
    for other in (world.draft_b, world.published_b):
        await Innovation.filter(id=other.id).update(status=InnovationStatus.REJECTED)
    for indicator in load_rulepack("iid-2026").indicators:
        level = 2 if indicator.code == "regulasi" else 1
        await claim(client, world, world.draft_a, indicator.code, level, role="admin_a")
    uploaded = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("perbup.pdf", PERBUP)},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201
    await Innovation.filter(id=world.draft_a.id).update(status=InnovationStatus.SUBMITTED)
    before = await index(client, world, basis="verified")
    top = before["fixes"][0]
    assert (top["indicator"], top["maturity_gain"]) == ("regulasi", 6)
    assert "verifikator" in top["message"]
    reviewed = await client.post(
        f"/api/innovations/{world.draft_a.id}/indicators/regulasi/review",
        json={"verified_level": 2, "verdict": "sesuai"},
        headers=world.headers["verifier"],
    )
    assert reviewed.status_code == 200, reviewed.text
    after = await index(client, world, basis="verified")
    assert after["iid"] - before["iid"] == pytest.approx(top["gain"], abs=0.01)


async def test_an_indicator_fix_on_the_claimed_basis_delivers(client, world):
    for other in (world.draft_b, world.published_b):
        await Innovation.filter(id=other.id).update(status=InnovationStatus.REJECTED)
    before = await index(client, world, basis="claimed")
    top = before["fixes"][0]
    assert (top["kind"], top["indicator"], top["target_level"]) == ("indicator", "video", 3)
    await claim(client, world, world.draft_a, "video", 3)
    after = await index(client, world, basis="claimed")
    assert after["iid"] - before["iid"] == pytest.approx(top["gain"], abs=0.01)


async def test_a_year_without_spd_reports_the_innovation_part_and_says_so(client, world):
    await claim(client, world, world.draft_a, "regulasi", 3)
    report = await index(client, world, basis="claimed")
    assert report["spd_recorded"] is False and report["spd"] == 0
    assert any("belum dicatat" in note for note in report["notes"])
    assert report["iid"] == by_hand("iid-2026", {}, [9, 0, 0], 1)["iid"]
    regional = await client.get("/api/periods/2026/regional", headers=world.headers["staff"])
    assert regional.status_code == 200
    body = regional.json()
    assert body["spd_recorded"] is False and "SID" in body["note"]
    assert body["spd"]["claimed"] == 0 and body["spd"]["max"] == 63
    assert len(body["indicators"]) == 20


async def test_regional_indicators_are_recorded_by_staff_only(client, world):
    url = "/api/periods/2026/indicators/spd_opini_bpk"
    for role, status in [
        ("verifier", 403),
        ("admin_a", 403),
        ("innovator", 403),
        ("anonymous", 401),
        ("staff", 200),
    ]:
        response = await client.put(url, json={"claimed_level": 3}, headers=world.headers[role])
        assert response.status_code == status, role
    for bad in ({"claimed_level": 4}, {"claimed_level": 1, "extra": 1}):
        response = await client.put(url, json=bad, headers=world.headers["staff"])
        assert response.status_code == 422
    unknown = await client.put(
        "/api/periods/2026/indicators/regulasi",
        json={"claimed_level": 1},
        headers=world.headers["staff"],
    )
    assert unknown.status_code == 422 and "spd_visi_misi" in unknown.json()["detail"]
    missing_year = await client.put(
        "/api/periods/2019/indicators/spd_pad",
        json={"claimed_level": 1},
        headers=world.headers["staff"],
    )
    assert missing_year.status_code == 404
    regional = (
        await client.get("/api/periods/2026/regional", headers=world.headers["verifier"])
    ).json()
    row = next(i for i in regional["indicators"] if i["code"] == "spd_opini_bpk")
    assert (row["claimed_level"], row["status"]) == (3, "missing")
    assert regional["spd"]["claimed"] == 4.5 and regional["spd_recorded"] is True
    denied = await client.get("/api/periods/2026/regional", headers=world.headers["admin_a"])
    assert denied.status_code == 403


async def regional_evidence(client, world, code: str) -> dict:
    """Staff upload a document as the region's evidence of one SPD indicator."""
    document = pdf_bytes([f"BUKTI {code.upper()}", "Pemerintah Kabupaten Balangan"])
    response = await client.post(
        "/api/periods/2026/evidence",
        data={"indicator": code},
        files={"file": (f"{code}.pdf", document)},
        headers=world.headers["staff"],
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_verifier_reviews_an_spd_indicator_backed_by_evidence(client, world):
    url = "/api/periods/2026/indicators/spd_opini_bpk"
    review = f"{url}/review"
    unclaimed = await client.post(
        review, json={"verified_level": 0}, headers=world.headers["verifier"]
    )
    assert unclaimed.status_code == 409 and "belum diklaim" in unclaimed.json()["detail"]
    claimed = await client.put(url, json={"claimed_level": 3}, headers=world.headers["staff"])
    assert claimed.status_code == 200

    without = await client.post(
        review, json={"verified_level": 2}, headers=world.headers["verifier"]
    )
    assert without.status_code == 422 and "belum memiliki bukti" in without.json()["detail"]
    zero = await client.post(review, json={"verified_level": 0}, headers=world.headers["verifier"])
    assert zero.status_code == 200 and zero.json()["verified_level"] == 0

    await regional_evidence(client, world, "spd_opini_bpk")
    for role, status in [("staff", 403), ("admin_a", 403), ("anonymous", 401)]:
        refused = await client.post(review, json={"verified_level": 3}, headers=world.headers[role])
        assert refused.status_code == status, role
    for bad in ({"verified_level": 4}, {"verified_level": 1, "verdict": "sesuai"}):
        response = await client.post(review, json=bad, headers=world.headers["verifier"])
        assert response.status_code == 422
    unknown = await client.post(
        "/api/periods/2026/indicators/regulasi/review",
        json={"verified_level": 1},
        headers=world.headers["verifier"],
    )
    assert unknown.status_code == 422

    done = await client.post(
        review,
        json={"verified_level": 2, "note": "Opini WTP, LHP BPK 2025"},
        headers=world.headers["verifier"],
    )
    assert done.status_code == 200, done.text
    assert done.json() == {
        "year": 2026, "indicator": "spd_opini_bpk", "claimed_level": 3, "verified_level": 2,
        "note": "Opini WTP, LHP BPK 2025",
    }  # fmt: skip
    row = await RegionalIndicator.get(year=2026, indicator="spd_opini_bpk")
    assert (row.claimed_level, row.verified_level) == (3, 2)
    events = await AuditEvent.filter(action="review", object_type="regional_indicator")
    assert [e.object_id for e in events] == ["2026:spd_opini_bpk"] * 2
    verified = await index(client, world, basis="verified")
    claimed_report = await index(client, world, basis="claimed")
    assert verified["spd"] < claimed_report["spd"]  # verified 2 of the claimed 3

    # New evidence: the level waits for a new review; the claim stays.
    await regional_evidence(client, world, "spd_opini_bpk")
    row = await RegionalIndicator.get(year=2026, indicator="spd_opini_bpk")
    assert (row.claimed_level, row.verified_level) == (3, None)


async def test_regional_evidence_is_the_regions_own(client, world):
    headers = world.headers["staff"]
    lhp = pdf_bytes(["LAPORAN HASIL PEMERIKSAAN BPK", "Opini: Wajar Tanpa Pengecualian"])
    response = await client.post(
        "/api/periods/2026/evidence",
        data={"indicator": "spd_opini_bpk", "level": "3"},
        files={"file": ("lhp.pdf", lhp)},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    evidence = response.json()
    assert evidence["innovation_id"] is None and evidence["regional_year"] == 2026
    assert evidence["indicator"] == "spd_opini_bpk"
    assert await Job.filter(kind="extract", ref=evidence["sha256"]).exists()
    link = await client.post(
        "/api/periods/2026/evidence",
        headers=headers,
        data={"indicator": "spd_visi_misi", "url": "https://rpjmd.example/"},
    )
    assert link.status_code == 201, link.text
    for data, status in [
        ({"indicator": "regulasi"}, 422),
        ({"indicator": "spd_pad", "level": "5"}, 422),
    ]:
        bad = await client.post(
            "/api/periods/2026/evidence", data=data, files={"file": ("x.pdf", lhp)}, headers=headers
        )
        assert bad.status_code == status
    denied = await client.post(
        "/api/periods/2026/evidence",
        data={"indicator": "spd_pad"},
        files={"file": ("x.pdf", lhp)},
        headers=world.headers["admin_a"],
    )
    assert denied.status_code == 403
    regional = (await client.get("/api/periods/2026/regional", headers=headers)).json()
    row = next(i for i in regional["indicators"] if i["code"] == "spd_opini_bpk")
    assert row["claimed_level"] == 3 and [e["id"] for e in row["evidence"]] == [evidence["id"]]
    assert row["status"] == "pending"
    visi = next(i for i in regional["indicators"] if i["code"] == "spd_visi_misi")
    assert visi["status"] == "needs_review" and visi["evidence"][0]["url"]
    readable = await client.get(f"/api/evidence/{evidence['id']}", headers=headers)
    assert readable.status_code == 200
    url = f"/api/periods/2026/evidence/{evidence['id']}"
    assert (await client.delete(url, headers=world.headers["verifier"])).status_code == 403
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.delete(url, headers=headers)).status_code == 409
    regional = (await client.get("/api/periods/2026/regional", headers=headers)).json()
    row = next(i for i in regional["indicators"] if i["code"] == "spd_opini_bpk")
    assert row["evidence"] == [] and row["status"] == "missing"


async def test_past_years_work_under_their_own_rule_packs(client, world):
    await Period.create(
        year=2024,
        rulepack="iid-2024",
        opens="2024-01-05",
        closes="2024-12-15",
        review_closes="2024-12-31",
    )
    old = await Innovation.create(
        year=2024, unit=world.unit_a, name="Posyandu Lama", affairs="Kesehatan"
    )
    await claim(client, world, old, "regulasi", 3)
    report = await index(client, world, year=2024, basis="claimed")
    assert report["rulepack"] == "iid-2024" and report["k"] == 10
    assert report["yandas_required"] is None and report["yandas_met"] is True
    assert report["iid"] == by_hand("iid-2024", {}, [9], 1)["iid"]
    assert report["count_score"] == pytest.approx(0.38)
    assert any("iid-2024" in note for note in report["notes"])
    refused = await client.put(
        "/api/periods/2024/indicators/spd_pad",
        json={"claimed_level": 1},
        headers=world.headers["staff"],
    )
    assert refused.status_code == 422

    trend = (await client.get("/api/reports/trend", headers=world.headers["staff"])).json()
    assert [(r["year"], r["rulepack"]) for r in trend] == [(2024, "iid-2024"), (2026, "iid-2026")]
    assert trend[0]["innovations"] == 1 and trend[0]["iid_claimed"] == report["iid"]
    assert trend[1]["innovations"] == 3


async def test_the_index_needs_a_known_basis_and_a_year(client, world):
    bad = await client.get("/api/reports/index?basis=hoped", headers=world.headers["staff"])
    assert bad.status_code == 422
    default = await client.get("/api/reports/index", headers=world.headers["staff"])
    assert default.status_code == 200 and default.json()["year"] == 2026
    assert default.json()["basis"] == "supported"
