"""The compact checklist summary that year-wide reports read instead of the full result."""

from __future__ import annotations

import json

import pytest

from checklist import scoring
from checklist.engine import evaluate
from checklist.rulepack import load_rulepack
from checklist.summary import VERSION, fixes, is_current, summarize
from tests.checklist.engine_data import REGION, doc, profile

PACK = load_rulepack("iid-2026")


@pytest.fixture(scope="module")
def result():
    """Two mandatory indicators backed, some claimed without evidence, the design too short."""
    evidence = [doc("regulasi", "peraturan-kepala-daerah"), doc("sdm", "surat-tugas")]
    levels = {"regulasi": 2, "sdm": 1, "anggaran": 3, "video": 2}
    claims = {code: {"claimed_level": level} for code, level in levels.items()}
    return evaluate(profile(design="terlalu pendek"), claims, evidence, PACK, 2026, region=REGION)


def test_the_summary_keeps_what_reports_read_in_a_fraction_of_the_size(result):
    summary = summarize(result)
    assert summary["v"] == VERSION and is_current(summary)
    assert summary["statuses"] == {row["code"]: row["status"] for row in result["indicators"]}
    mandatory_missing = [
        row["code"] for row in result["indicators"]
        if row["mandatory"] and row["status"] == "missing"
    ]  # fmt: skip
    assert summary["missing_mandatory"] == mandatory_missing and "video" in mandatory_missing
    assert "regulasi" not in summary["missing_mandatory"]
    assert summary["profile_errors"] >= 1  # the design is far under 300 words
    assert 1 <= len(summary["top_findings"]) <= 3
    assert len(json.dumps(summary)) * 3 < len(json.dumps(result))


@pytest.mark.parametrize("basis", scoring.BASES)
def test_each_fix_is_measured_as_on_the_full_rows(result, basis):
    stored = {fix.code: fix for fix in fixes(summarize(result), basis)}
    for row in result["indicators"]:
        points = scoring.fix_points(row, basis)
        if points == 0:
            assert row["code"] not in stored
            continue
        fix = stored[row["code"]]
        assert (fix.points, fix.mandatory) == (points, row["mandatory"])
        assert fix.target_level == scoring.target_level(row)
        assert fix.claimed == bool(row["claimed_level"])
    assert stored  # something on every basis is worth fixing here


def test_a_summary_from_an_older_version_or_none_is_not_current():
    assert not is_current(None)
    assert not is_current({"v": VERSION - 1, "rows": []})
    assert not is_current([])
    assert fixes(None, "supported") == []
