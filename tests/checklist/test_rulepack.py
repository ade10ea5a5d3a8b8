"""Rule packs load, hold the contract's indicators, and fail loudly and precisely when broken."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from pathlib import Path

import pytest
import yaml

from checklist.rulepack import (
    RulePackError,
    available_rulepacks,
    load_rulepack,
    load_rulepack_file,
)

CONTRACT = {
    "regulasi": (3, True),
    "sdm": (2, True),
    "anggaran": (2, False),
    "alat_kerja": (2, False),
    "bimtek": (1, False),
    "rkpd": (2, False),
    "aktor": (1, False),
    "pelaksana": (1, False),
    "jejaring": (1, False),
    "sosialisasi": (1, False),
    "pedoman": (1, False),
    "informasi": (1, False),
    "proses": (2, False),
    "pengaduan": (1, False),
    "terintegrasi": (2, False),
    "replikasi": (3, False),
    "kecepatan": (2, True),
    "kemanfaatan": (3, True),
    "monev": (2, False),
    "video": (4, True),
}
PACKS = ["iid-2024", "iid-2026"]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def _parsed(pack_id: str) -> dict:
    text = (resources.files("checklist") / "rules" / f"{pack_id}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_LOADER)


def _raw(pack_id: str) -> dict:
    """A fresh copy of the parsed YAML of a shipped pack."""
    return copy.deepcopy(_parsed(pack_id))


def _write(tmp_path: Path, data: dict, name: str = "iid-2026") -> Path:
    """A pack file in a temp folder."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.dump(data, Dumper=_DUMPER, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_packs_are_listed():
    assert set(PACKS) <= set(available_rulepacks())


@pytest.mark.parametrize("pack_id", PACKS)
def test_indicators_match_the_contract(pack_id):
    pack = load_rulepack(pack_id)
    assert pack.codes == list(CONTRACT)
    assert {i.code: (i.weight, i.mandatory) for i in pack.indicators} == CONTRACT
    assert sum(i.weight for i in pack.indicators) == 37
    assert pack.max_maturity == 111


@pytest.mark.parametrize("pack_id", PACKS)
def test_every_indicator_is_documented(pack_id):
    pack = load_rulepack(pack_id)
    for indicator in pack.indicators:
        assert indicator.evidence and indicator.sources and indicator.status
        assert all(rule.option for rule in indicator.levels.values())
        assert set(indicator.sources) <= set(pack.sources)


def test_regulasi_levels_differ_by_year():
    new, old = load_rulepack("iid-2026"), load_rulepack("iid-2024")
    assert new.indicator("regulasi").levels[1].kinds == ["keputusan-kepala-daerah"]
    assert new.indicator("regulasi").levels[2].kinds == ["peraturan-kepala-daerah"]
    assert new.indicator("regulasi").levels[3].kinds == ["peraturan-daerah"]
    assert new.indicator("regulasi").levels[3].with_any
    assert old.indicator("regulasi").levels[1].kinds == ["keputusan-kepala-perangkat-daerah"]
    assert old.indicator("regulasi").levels[2].kinds == ["keputusan-kepala-daerah"]
    assert set(old.indicator("regulasi").levels[3].kinds) == {
        "peraturan-kepala-daerah",
        "peraturan-daerah",
    }


def test_unit_equivalents_are_data():
    rkpd = load_rulepack("iid-2026").indicator("rkpd")
    assert rkpd.unit_kinds == {"puskesmas": ["ruk"], "blud": ["rba"]}
    assert "ruk" in rkpd.accepted_kinds("puskesmas")
    assert "ruk" not in rkpd.accepted_kinds(None)


def test_methods_cover_the_five_kinds_of_derivation():
    methods = {i.code: i.method for i in load_rulepack("iid-2026").indicators}
    assert methods["regulasi"] == "by_kind"
    assert methods["sdm"] == methods["bimtek"] == methods["replikasi"] == "by_count"
    assert methods["anggaran"] == methods["rkpd"] == "by_window"
    assert methods["proses"] == methods["pengaduan"] == methods["kemanfaatan"] == "by_value"
    assert methods["video"] == "verifier_only"


def test_formula_constants_2026():
    formula = load_rulepack("iid-2026").formula
    assert (formula.k, formula.count_weight, formula.count_cap) == (12, 0.38, 200)
    assert (formula.spd_max, formula.sid_max, formula.total_max) == (63, 111, 250)
    assert formula.yandas_required == 5 and len(formula.yandas_affairs) == 6
    assert [(b.name, b.min) for b in formula.predicates] == [
        ("Sangat Inovatif", 65.01),
        ("Inovatif", 40.01),
        ("Kurang Inovatif", 0.01),
        ("Tidak Dapat Dinilai", 0),
    ]


def test_formula_constants_2024():
    formula = load_rulepack("iid-2024").formula
    assert formula.k == 10
    assert formula.predicates[0].min == 60.01 and formula.predicates[1].min == 35


def test_spd_indicators_2026():
    spd = load_rulepack("iid-2026").spd_indicators
    assert len(spd) == 20
    assert sum(i.weight for i in spd) == 21
    assert all(i.code.startswith("spd_") for i in spd)
    mandatory = {i.number for i in spd if i.mandatory}
    assert mandatory == {"1", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b"}


def test_load_is_cached():
    assert load_rulepack("iid-2026") is load_rulepack("iid-2026")


def test_pack_file_round_trips(tmp_path):
    pack = load_rulepack_file(_write(tmp_path, _raw("iid-2026")))
    assert pack == load_rulepack("iid-2026")


def test_unknown_pack_id():
    with pytest.raises(RulePackError, match="unknown rule pack 'iid-1999'"):
        load_rulepack("iid-1999")


def test_missing_level_names_file_indicator_and_field(tmp_path):
    data = _raw("iid-2026")
    del data["indicators"][2]["levels"][2]
    with pytest.raises(RulePackError) as err:
        load_rulepack_file(_write(tmp_path, data))
    message = str(err.value)
    assert "iid-2026.yaml" in message and "(anggaran)" in message and "levels" in message


def test_unknown_kind_is_named(tmp_path):
    data = _raw("iid-2026")
    data["indicators"][0]["levels"][1]["kinds"] = ["keputusan-bupati"]
    with pytest.raises(RulePackError, match=r"\(regulasi\).*keputusan-bupati"):
        load_rulepack_file(_write(tmp_path, data))


def test_typo_in_field_is_rejected(tmp_path):
    data = _raw("iid-2026")
    data["indicators"][1]["wieght"] = 2
    with pytest.raises(RulePackError, match=r"indicators\[1\] \(sdm\)\.wieght"):
        load_rulepack_file(_write(tmp_path, data))


def test_by_count_needs_minimums(tmp_path):
    data = _raw("iid-2026")
    del data["indicators"][1]["levels"][3]["min"]
    with pytest.raises(RulePackError, match=r"\(sdm\).*levels\.3\.min"):
        load_rulepack_file(_write(tmp_path, data))


def test_duplicate_codes(tmp_path):
    data = _raw("iid-2026")
    data["indicators"][1]["code"] = "regulasi"
    with pytest.raises(RulePackError, match="duplicate codes"):
        load_rulepack_file(_write(tmp_path, data))


def test_id_must_match_file_name(tmp_path):
    with pytest.raises(RulePackError, match="does not match the file name"):
        load_rulepack_file(_write(tmp_path, _raw("iid-2026"), name="iid-2030"))


def test_broken_yaml(tmp_path):
    path = tmp_path / "iid-2026.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="not valid YAML"):
        load_rulepack_file(path)


def test_not_a_mapping(tmp_path):
    path = tmp_path / "iid-2026.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="mapping"):
        load_rulepack_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(RulePackError, match="cannot read"):
        load_rulepack_file(tmp_path / "nope.yaml")


def test_bands_must_descend(tmp_path):
    data = _raw("iid-2026")
    data["formula"]["predicates"].reverse()
    with pytest.raises(RulePackError, match=r"formula.*highest minimum"):
        load_rulepack_file(_write(tmp_path, data))


def test_unit_kinds_must_be_contract_units(tmp_path):
    data = _raw("iid-2026")
    data["indicators"][5]["unit_kinds"] = {"rumah-sakit": ["rba"]}
    with pytest.raises(RulePackError, match=r"\(rkpd\).*unit_kinds"):
        load_rulepack_file(_write(tmp_path, data))


def test_the_digest_follows_the_content_not_the_layout(tmp_path):
    shipped = load_rulepack("iid-2026")
    rewritten = load_rulepack_file(_write(tmp_path, _raw("iid-2026")))  # keys in another order
    assert rewritten.digest == shipped.digest and len(shipped.digest) == 16
    data = _raw("iid-2026")
    data["indicators"][0]["weight"] += 1
    changed = load_rulepack_file(_write(tmp_path, data))
    assert changed.id == shipped.id and changed.digest != shipped.digest
    assert load_rulepack("iid-2024").digest != shipped.digest
