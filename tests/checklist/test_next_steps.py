"""Ranking of fixes across innovations by the index points they gain."""

from __future__ import annotations

import pytest

from checklist.next_steps import rank_fixes
from tests.checklist.engine_data import check, doc, link, profile


def _checklist(innovation_id: int, evidence: list, claims: dict) -> dict:
    result = check(evidence, claims)
    result["innovation_id"] = innovation_id
    return result


def test_ranked_by_gain_then_blocking():
    first = _checklist(
        1, [doc("anggaran", "dpa", title="DPA Tahun Anggaran 2026")], {"anggaran": 3}
    )
    second = _checklist(2, [link("video")], {"video": 3})
    rows = rank_fixes([first, second])
    gains = [r["gain"] for r in rows]
    assert gains == sorted(gains, reverse=True)
    top = rows[0]
    assert (top["innovation_id"], top["indicator"], top["gain"]) == (1, "video", 12)
    assert top["blocks_submission"] and top["code"] == "MISSING_MANDATORY"
    assert {r["indicator"] for r in rows if r["innovation_id"] == 2} >= {"regulasi", "sdm"}
    # The video link of innovation 2 waits for a verifier: nothing for the admin to fix.
    assert not any(r["indicator"] == "video" and r["innovation_id"] == 2 for r in rows)
    anggaran = next(r for r in rows if r["innovation_id"] == 1 and r["indicator"] == "anggaran")
    assert anggaran["gain"] == 4 and anggaran["code"] == "CLAIM_ABOVE_PROOF"
    assert anggaran["iid_gain"] == pytest.approx(round(4 * 100 / (250 * 12), 3))


def test_profile_errors_are_listed_as_blocking():
    result = check([], {})
    result["profile"]["findings"] = check([], {}, reviews=None)["profile"]["findings"] + [
        {"code": "FIELD_EMPTY", "severity": "error", "field": "x", "message": "m"}
    ]
    rows = rank_fixes([result])
    profile_rows = [r for r in rows if r["indicator"] is None]
    assert profile_rows and all(r["blocks_submission"] and r["gain"] == 0 for r in profile_rows)
    assert rows[-1]["indicator"] is None


def test_complete_innovation_has_nothing_to_fix_but_unclaimed_levels():
    assert profile()["name"]
    rows = rank_fixes(
        [_checklist(3, [doc("regulasi", "peraturan-kepala-daerah")], {"regulasi": 2})]
    )
    assert not any(r["indicator"] == "regulasi" for r in rows)


def test_junk_input():
    assert rank_fixes([]) == []
    assert rank_fixes(None) == []  # type: ignore[arg-type]
    junk = [None, 3, {"rulepack": "nope", "indicators": [None, {"gain_if_fixed": "x"}]}]
    assert rank_fixes(junk) == []  # type: ignore[list-item]
    odd = {"rulepack": "nope", "indicators": [{"code": "a", "gain_if_fixed": 2, "status": "weak"}]}
    assert rank_fixes([odd])[0]["iid_gain"] is None
