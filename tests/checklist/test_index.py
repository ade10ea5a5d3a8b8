"""The projected regional index reproduces the contract's example and the published maxima."""

from __future__ import annotations

import pytest

from checklist.index import iid_points_per_maturity_point, project_index, spd_score
from checklist.rulepack import load_rulepack


def test_contract_example():
    result = project_index("iid-2026", spd=40, maturities=[70] * 20, yandas_covered=6)
    expected = {
        "iid": 47.04,
        "sid": 77.6,
        "spd": 40,
        "k": 12,
        "count_score": 7.6,
        "predicate": "Inovatif",
        "empty_seats": 0,
    }
    assert {key: result[key] for key in expected} == expected


def test_published_maxima_reach_100():
    result = project_index("iid-2026", spd=63, maturities=[111] * 200, yandas_covered=6)
    assert result["iid"] == 100.0 and result["count_score"] == 76.0
    assert result["predicate"] == "Sangat Inovatif"


def test_fewer_than_k_innovations_leave_empty_seats():
    result = project_index("iid-2026", spd=40, maturities=[111] * 6, yandas_covered=6)
    assert result["divisor"] == 12 and result["empty_seats"] == 6
    assert result["sid"] == round(111 * 6 / 12 + 0.38 * 6, 2)


def test_yandas_rule_zeroes_the_count_score():
    result = project_index("iid-2026", spd=40, maturities=[70] * 20, yandas_covered=4)
    assert result["count_score"] == 0 and result["yandas_met"] is False
    assert result["iid"] == round((40 + 70) / 250 * 100, 2)


def test_rejected_innovations_stay_in_the_divisor():
    with_rejected = project_index(
        "iid-2026", spd=0, maturities=[90] * 12 + [0] * 3, yandas_covered=6
    )
    assert with_rejected["divisor"] == 15


@pytest.mark.parametrize(
    ("spd", "expected"),
    [
        (0, "Tidak Dapat Dinilai"),
        (0.025, "Kurang Inovatif"),
        (40.0, "Kurang Inovatif"),
        (100.025, "Inovatif"),
        (162.5, "Inovatif"),
        (162.525, "Sangat Inovatif"),
    ],
)
def test_predicate_bands_2026(spd, expected):
    # With no innovations the IID is SPD / 250 x 100, so SPD = IID x 2.5.
    pack = load_rulepack("iid-2026")
    big = pack.model_copy(update={"formula": pack.formula.model_copy(update={"spd_max": 250})})
    result = project_index("iid-2026", spd=spd, maturities=[], yandas_covered=0, rulepack=big)
    assert result["predicate"] == expected, result["iid"]


def test_2024_constants():
    result = project_index("iid-2024", spd=40, maturities=[70] * 8, yandas_covered=0)
    assert result["k"] == 10 and result["divisor"] == 10 and result["empty_seats"] == 2
    assert result["count_score"] == round(0.38 * 8, 2)  # no coverage rule known for 2024
    assert result["predicate"] == "Inovatif"  # 35 <= IID <= 60


@pytest.mark.parametrize(
    "kwargs",
    [
        {"spd": -1, "maturities": [], "yandas_covered": 0},
        {"spd": 64, "maturities": [], "yandas_covered": 0},
        {"spd": 1, "maturities": [112], "yandas_covered": 0},
        {"spd": 1, "maturities": "70", "yandas_covered": 0},
        {"spd": 1, "maturities": [float("nan")], "yandas_covered": 0},
        {"spd": 1, "maturities": [], "yandas_covered": 7},
        {"spd": True, "maturities": [], "yandas_covered": 1},
    ],
)
def test_bad_input_raises_value_error(kwargs):
    with pytest.raises(ValueError):
        project_index("iid-2026", **kwargs)


def test_iid_points_per_maturity_point():
    formula = load_rulepack("iid-2026").formula
    assert iid_points_per_maturity_point(formula, 5) == pytest.approx(100 / (250 * 12))
    assert iid_points_per_maturity_point(formula, 20) == pytest.approx(100 / (250 * 20))


def test_spd_score_from_levels():
    pack = load_rulepack("iid-2026")
    full = spd_score("iid-2026", {i.code: 3 for i in pack.spd_indicators})
    assert full == {"spd": 63.0, "max": 63.0, "missing_mandatory": []}
    partial = spd_score("iid-2026", {"spd_visi_misi": 2, "spd_tpt": 1, "unknown": 3})
    assert partial["spd"] == 2.75
    assert "spd_opini_bpk" in partial["missing_mandatory"]
    assert "spd_visi_misi" not in partial["missing_mandatory"]
    with pytest.raises(ValueError):
        spd_score("iid-2026", {"spd_visi_misi": 4})
    with pytest.raises(ValueError):
        spd_score("iid-2026", {"spd_visi_misi": 1.5})
