"""Profile checks: required fields, design length, dates, stage and the eligibility window."""

from __future__ import annotations

import pytest

from checklist.profile import check_profile
from checklist.rulepack import load_rulepack
from tests.checklist.engine_data import profile

PACK = load_rulepack("iid-2026")


def _codes(findings: list[dict]) -> list[tuple[str, str]]:
    return [(f["code"], f["field"]) for f in findings]


def test_complete_profile_has_no_findings():
    assert check_profile(profile(), 2026, PACK) == []


@pytest.mark.parametrize("field", PACK.profile.required_fields)
@pytest.mark.parametrize("empty", [None, "", "   ", []])
def test_each_required_field(field, empty):
    findings = check_profile(profile(**{field: empty}), 2026, PACK)
    assert ("FIELD_EMPTY", field) in _codes(findings)
    message = next(f for f in findings if f["field"] == field)["message"]
    assert "belum diisi" in message


def test_design_under_300_words():
    findings = check_profile(profile(design=" ".join(["kata"] * 299)), 2026, PACK)
    assert _codes(findings) == [("DESIGN_TOO_SHORT", "design")]
    assert "299 kata" in findings[0]["message"]
    assert check_profile(profile(design=" ".join(["kata"] * 300)), 2026, PACK) == []


def test_trial_after_implementation():
    findings = check_profile(profile(trial_date="2024-09-01"), 2026, PACK)
    assert ("DATE_ORDER", "trial_date") in _codes(findings)


def test_stage_inconsistent_with_dates():
    trial = profile(stage="uji coba")
    assert ("STAGE_MISMATCH", "stage") in _codes(check_profile(trial, 2026, PACK))
    idea = profile(stage="inisiatif")
    assert ("STAGE_MISMATCH", "stage") in _codes(check_profile(idea, 2026, PACK))
    future = profile(implementation_date="2027-03-01", trial_date="2027-01-01")
    assert ("STAGE_MISMATCH", "stage") in _codes(check_profile(future, 2026, PACK))


def test_invalid_values_and_dates():
    findings = _codes(check_profile(profile(stage="selesai", type="analog"), 2026, PACK))
    assert ("INVALID_VALUE", "stage") in findings and ("INVALID_VALUE", "type") in findings
    bad = _codes(check_profile(profile(trial_date="kemarin"), 2026, PACK))
    assert ("INVALID_DATE", "trial_date") in bad


def test_eligibility_window_2026():
    old = check_profile(
        profile(trial_date="2021-01-01", implementation_date="2022-01-01"), 2026, PACK
    )
    assert ("NOT_ELIGIBLE", "implementation_date") in _codes(old)
    developed = profile(
        trial_date="2021-01-01", implementation_date="2022-01-01", development_date="2025-02-01"
    )
    assert check_profile(developed, 2026, PACK) == []
    new = check_profile(
        profile(trial_date="2026-01-01", implementation_date="2026-02-01"), 2026, PACK
    )
    assert ("NOT_ELIGIBLE", "implementation_date") in _codes(new)


def test_window_moves_with_the_year():
    findings = check_profile(profile(implementation_date="2025-03-01"), 2027, PACK)
    assert findings == []


def test_junk_profile_reports_instead_of_raising():
    for junk in (None, [], "x", 3, {"design": 5, "stage": 7, "trial_date": object()}):
        findings = check_profile(junk, 2026, PACK)
        assert any(f["code"] == "FIELD_EMPTY" for f in findings)
