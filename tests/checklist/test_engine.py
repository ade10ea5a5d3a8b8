"""The checklist engine: contract shape, required behaviours, statuses, scores and findings."""

from __future__ import annotations

import datetime as dt

from checklist.engine import evaluate
from checklist.findings import CODES
from checklist.rulepack import load_rulepack
from tests.checklist.engine_data import check, codes, doc, image, link, profile, row

PACK = load_rulepack("iid-2026")
ROW_KEYS = {
    "code",
    "name",
    "mandatory",
    "weight",
    "claimed_level",
    "supported_level",
    "verified_level",
    "status",
    "findings",
    "gain_if_fixed",
}


def test_shape_matches_the_contract():
    result = check([doc("regulasi", "peraturan-kepala-daerah")], {"regulasi": 2})
    assert set(result) == {
        "innovation_id",
        "rulepack",
        "year",
        "maturity",
        "completeness",
        "indicators",
        "profile",
    }
    assert result["innovation_id"] == 7 and result["rulepack"] == "iid-2026"
    assert result["year"] == 2026
    assert set(result["maturity"]) == {"claimed", "supported", "verified", "max"}
    assert result["maturity"]["max"] == 111
    assert [r["code"] for r in result["indicators"]] == PACK.codes
    for entry in result["indicators"]:
        assert set(entry) == ROW_KEYS
        for item in entry["findings"]:
            assert set(item) == {"code", "severity", "message"}
            assert item["severity"] in ("error", "warning", "info")
    assert set(result["profile"]) == {"findings"}


# Required behaviours --------------------------------------------------------------------


def test_perbup_naming_the_innovation_supports_level_2():
    entry = row(check([doc("regulasi", "peraturan-kepala-daerah")], {"regulasi": 2}), "regulasi")
    assert (entry["supported_level"], entry["status"]) == (2, "ok")


def test_perda_with_its_perkada_supports_level_3():
    evidence = [
        doc("regulasi", "peraturan-daerah", date="2021-03-01", named=False),
        doc("regulasi", "peraturan-kepala-daerah", date="2022-01-10"),
    ]
    entry = row(check(evidence, {"regulasi": 3}), "regulasi")
    assert (entry["supported_level"], entry["status"]) == (3, "ok")


def test_perda_alone_misses_its_companion():
    evidence = [doc("regulasi", "peraturan-daerah", date="2021-03-01", named=False)]
    entry = row(check(evidence, {"regulasi": 3}), "regulasi")
    assert entry["supported_level"] == 0
    assert "MISSING_PART" in codes(entry)


def test_head_of_office_decree_is_wrong_kind_in_2026():
    evidence = [doc("regulasi", "keputusan-kepala-perangkat-daerah")]
    entry = row(check(evidence, {"regulasi": 1}), "regulasi")
    assert entry["supported_level"] == 0 and entry["status"] == "weak"
    assert [f["code"] for f in entry["findings"]] == ["WRONG_KIND"]
    message = entry["findings"][0]["message"]
    assert "Keputusan Kepala Perangkat Daerah atas nama sendiri" in message
    assert "tingkat 1 unggah Keputusan Kepala Daerah" in message
    assert entry["gain_if_fixed"] == 3


def test_head_of_office_decree_proves_level_1_in_2024():
    evidence = [doc("regulasi", "keputusan-kepala-perangkat-daerah", date="2023-05-01")]
    entry = row(check(evidence, {"regulasi": 1}, pack="iid-2024"), "regulasi")
    assert (entry["supported_level"], entry["status"]) == (1, "ok")


def test_old_monev_report_is_out_of_window():
    entry = row(check([doc("monev", "laporan-monev", date="2019-08-01")], {"monev": 1}), "monev")
    assert "OUT_OF_WINDOW" in codes(entry)
    assert entry["supported_level"] == 0 and entry["status"] == "weak"


def test_dpa_for_t0_only_claimed_at_level_3():
    evidence = [doc("anggaran", "dpa", date="2026-01-05", title="DPA Tahun Anggaran 2026")]
    entry = row(check(evidence, {"anggaran": 3}), "anggaran")
    assert entry["supported_level"] == 1
    assert "CLAIM_ABOVE_PROOF" in codes(entry)
    message = next(f for f in entry["findings"] if f["code"] == "CLAIM_ABOVE_PROOF")["message"]
    assert "tahun 2024 dan 2025" in message
    assert entry["gain_if_fixed"] == 4


def test_dpa_signed_the_year_before_covers_its_budget_year():
    evidence = [doc("anggaran", "dpa", date="2025-12-20", title="DPA SKPD Tahun Anggaran 2026")]
    assert row(check(evidence, {"anggaran": 1}), "anggaran")["status"] == "ok"


def test_video_link_needs_review():
    entry = row(check([link("video")], {"video": 3}), "video")
    assert entry["status"] == "needs_review" and entry["supported_level"] is None


# Unit equivalents ---------------------------------------------------------------------------


def test_puskesmas_proves_rkpd_with_ruk():
    evidence = [doc("rkpd", "ruk", title="RUK Puskesmas Tahun 2025")]
    assert row(check(evidence, {"rkpd": 1}, unit_kind="puskesmas"), "rkpd")["status"] == "ok"
    other = row(check(evidence, {"rkpd": 1}), "rkpd")
    assert "WRONG_KIND" in codes(other)


def test_blud_proves_rkpd_and_budget_with_rba():
    evidence = [
        doc("rkpd", "rba", title="RBA RSUD Tahun 2025"),
        doc("anggaran", "rba", title="RBA RSUD Tahun Anggaran 2026", date="2025-12-01"),
    ]
    result = check(evidence, {"rkpd": 1, "anggaran": 1}, unit_kind="blud")
    assert row(result, "rkpd")["status"] == row(result, "anggaran")["status"] == "ok"


# Statuses, reviews, scores -------------------------------------------------------------------


def test_missing_mandatory_and_optional():
    result = check([], {"anggaran": 2})
    assert row(result, "regulasi")["status"] == "missing"
    assert codes(row(result, "regulasi")) == {"MISSING_MANDATORY"}
    assert codes(row(result, "anggaran")) == {"MISSING"}
    assert row(result, "anggaran")["findings"][0]["severity"] == "error"
    assert row(result, "bimtek")["findings"][0]["severity"] == "info"
    assert row(result, "bimtek")["gain_if_fixed"] == 3  # nothing claimed: the target is level 3
    assert result["completeness"] == 0


def test_pending_extraction():
    entry = row(
        check([doc("regulasi", status="pending", facts=False)], {"regulasi": 2}), "regulasi"
    )
    assert entry["status"] == "pending" and "PENDING" in codes(entry)


def test_review_sesuai_and_tidak_sesuai():
    evidence = [doc("regulasi", "peraturan-kepala-daerah"), doc("sdm", "surat-tugas", people=5)]
    reviews = {
        "regulasi": {"verified_level": 2, "verdict": "sesuai"},
        "sdm": {"verified_level": 0, "verdict": "tidak_sesuai", "note": "SK tanpa tanda tangan"},
    }
    result = check(evidence, {"regulasi": 2, "sdm": 1}, reviews=reviews)
    regulasi, sdm = row(result, "regulasi"), row(result, "sdm")
    assert (regulasi["status"], regulasi["verified_level"], regulasi["gain_if_fixed"]) == (
        "verified",
        2,
        0,
    )
    assert sdm["status"] == "rejected" and "REJECTED" in codes(sdm)
    assert (
        "SK tanpa tanda tangan"
        in next(f for f in sdm["findings"] if f["code"] == "REJECTED")["message"]
    )
    assert sdm["gain_if_fixed"] == 2
    assert result["maturity"]["verified"] == 6


def test_maturity_and_completeness():
    evidence = [
        doc("regulasi", "peraturan-kepala-daerah"),
        doc("anggaran", "dpa", title="DPA Tahun Anggaran 2026", date="2026-01-02"),
        link("video"),
    ]
    result = check(evidence, {"regulasi": 2, "anggaran": 3, "video": 3})
    assert result["maturity"]["claimed"] == 3 * 2 + 2 * 3 + 4 * 3
    assert result["maturity"]["supported"] == 3 * 2 + 2 * 1
    assert result["completeness"] == round(2 / 20, 4)


def test_supported_above_claim_is_ok_and_unclaimed_is_flagged():
    evidence = [doc("regulasi", "peraturan-kepala-daerah")]
    assert row(check(evidence, {"regulasi": 1}), "regulasi")["status"] == "ok"
    unclaimed = row(check(evidence, {}), "regulasi")
    assert unclaimed["status"] == "ok" and "UNCLAIMED" in codes(unclaimed)
    assert unclaimed["gain_if_fixed"] == 3


def test_kemanfaatan_uses_the_claimed_basis():
    evidence = [doc("kemanfaatan", "laporan", value=25)]
    by_people = row(
        check(evidence, {"kemanfaatan": {"claimed_level": 3, "basis": "a"}}), "kemanfaatan"
    )
    by_revenue = row(
        check(evidence, {"kemanfaatan": {"claimed_level": 3, "basis": "d"}}), "kemanfaatan"
    )
    assert by_people["supported_level"] == 1
    assert by_revenue["supported_level"] == 3 and by_revenue["status"] == "ok"


def test_monev_external_claim_goes_to_a_person():
    entry = row(check([doc("monev", "laporan-monev")], {"monev": 3}), "monev")
    assert entry["supported_level"] == 1 and entry["status"] == "needs_review"


def test_dates_may_be_date_objects_and_region_may_be_absent():
    evidence = [doc("regulasi", "peraturan-kepala-daerah") | {}]
    evidence[0]["facts"]["date"] = dt.date(2025, 1, 1)
    result = evaluate(profile(), {"regulasi": {"claimed_level": 2}}, evidence, PACK, 2026)
    assert row(result, "regulasi")["status"] == "ok"


def test_deterministic():
    evidence = [doc("regulasi", "keputusan-kepala-perangkat-daerah"), image("informasi")]
    first = check(evidence, {"regulasi": 2})
    assert check(evidence, {"regulasi": 2}) == first


# Every finding code ---------------------------------------------------------------------------


def _findings_of(result: dict) -> set[str]:
    emitted = {f["code"] for entry in result["indicators"] for f in entry["findings"]}
    return emitted | {f["code"] for f in result["profile"]["findings"]}


def test_no_text_scan():
    entry = row(
        check([doc("regulasi", status="no_text", facts=False)], {"regulasi": 1}), "regulasi"
    )
    assert "NO_TEXT" in codes(entry) and entry["status"] == "weak"


def test_unreadable_file():
    entry = row(
        check([doc("regulasi", status="encrypted", facts=False)], {"regulasi": 1}), "regulasi"
    )
    assert "UNREADABLE" in codes(entry)


def test_wrong_file_type_is_a_warning():
    evidence = [
        doc("regulasi", "peraturan-kepala-daerah", media_type="image/png", filename="a.png")
    ]
    entry = row(check(evidence, {"regulasi": 2}), "regulasi")
    assert "WRONG_FILE_TYPE" in codes(entry) and entry["status"] == "ok"


def test_link_for_a_document_indicator():
    entry = row(check([link("regulasi")], {"regulasi": 1}), "regulasi")
    assert "WRONG_FILE_TYPE" in codes(entry) and entry["status"] == "weak"


def test_unknown_kind():
    entry = row(check([doc("regulasi", None)], {"regulasi": 1}), "regulasi")
    assert "KIND_UNKNOWN" in codes(entry)


def test_not_named():
    entry = row(
        check([doc("regulasi", "peraturan-kepala-daerah", named=False)], {"regulasi": 2}),
        "regulasi",
    )
    assert "NOT_NAMED" in codes(entry) and entry["supported_level"] == 0


def test_issuer_of_another_region():
    evidence = [doc("regulasi", "peraturan-kepala-daerah", issuer="Bupati Tabalong")]
    entry = row(check(evidence, {"regulasi": 2}), "regulasi")
    assert "ISSUER_MISMATCH" in codes(entry) and entry["supported_level"] == 0
    same = row(check(evidence, {"regulasi": 2}, region=None), "regulasi")
    assert same["status"] == "ok"


def test_budget_without_a_year():
    evidence = [doc("anggaran", "dpa", date=None, title="Dokumen Pelaksanaan Anggaran")]
    assert "NO_DATE" in codes(row(check(evidence, {"anggaran": 1}), "anggaran"))


def test_perkada_set_in_the_assessment_year_is_out_of_window():
    evidence = [doc("regulasi", "peraturan-kepala-daerah", date="2026-02-01")]
    assert "OUT_OF_WINDOW" in codes(row(check(evidence, {"regulasi": 2}), "regulasi"))


def test_document_from_the_future():
    evidence = [doc("sdm", "surat-tugas", date="2027-01-01", people=5)]
    assert "OUT_OF_WINDOW" in codes(row(check(evidence, {"sdm": 1}), "sdm"))


def test_too_few_people():
    entry = row(check([doc("sdm", "surat-tugas", people=12)], {"sdm": 3}), "sdm")
    assert "TOO_FEW" in codes(entry) and entry["supported_level"] == 2


def test_count_missing_goes_to_a_person():
    entry = row(check([doc("sdm", "surat-tugas")], {"sdm": 1}), "sdm")
    assert "COUNT_MISSING" in codes(entry) and entry["status"] == "needs_review"


def test_value_missing_goes_to_a_person():
    entry = row(check([doc("proses", "sop")], {"proses": 2}), "proses")
    assert "VALUE_MISSING" in codes(entry) and entry["status"] == "needs_review"


def test_basis_missing():
    entry = row(
        check([doc("kemanfaatan", "laporan", value=300)], {"kemanfaatan": 2}), "kemanfaatan"
    )
    assert "BASIS_MISSING" in codes(entry) and entry["supported_level"] == 2


def test_bimtek_without_certificate():
    evidence = [doc("bimtek", "undangan"), doc("bimtek", "daftar-hadir")]
    entry = row(check(evidence, {"bimtek": 1}), "bimtek")
    assert "MISSING_PART" in codes(entry) and entry["supported_level"] == 0


def test_every_finding_code_is_emitted_somewhere():
    scenarios = [
        check([], {"anggaran": 1}),
        check([doc("regulasi", status="no_text", facts=False)], {"regulasi": 1}),
        check([doc("regulasi", status="failed", facts=False)], {"regulasi": 1}),
        check([doc("regulasi", "keputusan-kepala-perangkat-daerah")], {"regulasi": 1}),
        check([doc("regulasi", "peraturan-kepala-daerah", named=False)], {"regulasi": 2}),
        check([doc("regulasi", "peraturan-kepala-daerah", issuer="Kota Banjarmasin")], {}),
        check([doc("regulasi", None), link("regulasi")], {"regulasi": 1}),
        check(
            [doc("regulasi", "peraturan-daerah", named=False, date="2020-01-01")], {"regulasi": 3}
        ),
        check([doc("anggaran", "dpa", date=None, title=None)], {"anggaran": 1}),
        check([doc("anggaran", "dpa", title="DPA Tahun Anggaran 2026")], {"anggaran": 3}),
        check([doc("monev", "laporan-monev", date="2019-01-01")], {"monev": 1}),
        check([doc("sdm", "surat-tugas", people=3)], {"sdm": 2}),
        check([doc("sdm", "surat-tugas")], {"sdm": 1}),
        check([doc("proses", "sop")], {"proses": 1}),
        check([doc("kemanfaatan", "laporan", value=3)], {"kemanfaatan": 1}),
        check([link("video")], {"video": 2}),
        check([doc("regulasi", "peraturan-kepala-daerah")], {}),
        check([doc("regulasi", status="pending", facts=False)], {"regulasi": 1}),
        check(
            [doc("sdm", "surat-tugas", people=2)],
            {"sdm": 1},
            reviews={"sdm": {"verified_level": 0, "verdict": "tidak_sesuai"}},
        ),
    ]
    emitted = set().union(*(_findings_of(result) for result in scenarios))
    profile_only = {
        "FIELD_EMPTY",
        "INVALID_VALUE",
        "INVALID_DATE",
        "DESIGN_TOO_SHORT",
        "DATE_ORDER",
        "STAGE_MISMATCH",
        "NOT_ELIGIBLE",
        "WRONG_FILE_TYPE",
    }
    odd = evaluate(
        profile(
            made_by="",
            stage="selesai",
            design="terlalu pendek",
            trial_date="bukan tanggal",
            implementation_date="2020-01-01",
        ),
        {},
        [doc("regulasi", "peraturan-kepala-daerah", media_type="image/png", filename="x.png")],
        PACK,
        2026,
    )
    late = evaluate(
        profile(stage="inisiatif", trial_date="2025-05-01", implementation_date="2025-01-01"),
        {},
        [],
        PACK,
        2026,
    )
    emitted |= _findings_of(odd) | _findings_of(late)
    assert profile_only <= emitted
    assert set(CODES) == emitted, set(CODES) ^ emitted
