"""Per indicator and pack: evidence proving level 1 but not 2, and evidence proving the claim."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from checklist.rulepack import load_rulepack
from tests.checklist.engine_data import check, codes, doc, image, link, row

Scenario = Callable[[int], tuple[list[dict[str, Any]], dict[str, Any]]]


def _d(year: int, back: int = 1) -> str:
    """An ISO date `back` years before the assessment year."""
    return f"{year - back}-06-01"


def _budget(kind: str, year: int, backs: list[int]) -> list[dict[str, Any]]:
    """Budget or plan documents covering the given years before T."""
    return [
        doc(
            "x", kind, date=_d(year, back + 1), title=f"{kind.upper()} Tahun Anggaran {year - back}"
        )
        for back in backs
    ]


def _on(code: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Point evidence at an indicator."""
    return [item | {"indicator": code} for item in docs]


# code -> (level-1-only evidence, evidence proving level 3 (or the claim), claim for the full case)
def _level_one(pack: str) -> dict[str, Scenario]:
    old = pack == "iid-2024"
    sk_l1 = "keputusan-kepala-perangkat-daerah" if old else "keputusan-kepala-daerah"
    bimtek_parts = ["daftar-hadir"] if old else ["daftar-hadir", "sertifikat"]
    return {
        "regulasi": lambda y: [doc("regulasi", sk_l1, date=_d(y))],
        "sdm": lambda y: [doc("sdm", "surat-tugas", date=_d(y), people=8)],
        "anggaran": lambda y: _on("anggaran", _budget("dpa", y, [0])),
        "bimtek": lambda y: (
            [doc("bimtek", "undangan", date=_d(y))]
            + [doc("bimtek", kind, date=_d(y)) for kind in bimtek_parts]
        ),
        "rkpd": lambda y: _on("rkpd", _budget("rkpd", y, [1])),
        "aktor": lambda y: [doc("aktor", "mou", date=_d(y), count=3)],
        "pelaksana": lambda y: [doc("pelaksana", "laporan", date=_d(y))],
        "jejaring": lambda y: [doc("jejaring", "surat-tugas", date=_d(y), count=2)],
        "informasi": lambda y: [image("informasi")],
        "proses": lambda y: [doc("proses", "sop", date=_d(y), value=7)],
        "pengaduan": lambda y: [doc("pengaduan", "laporan", date=_d(y), value=40)],
        "replikasi": lambda y: [
            doc("replikasi", "mou", date=_d(y), issuer="Pemerintah Kabupaten Tabalong")
        ],
        "kecepatan": lambda y: [doc("kecepatan", "laporan", date=_d(y), value=10)],
        "kemanfaatan": lambda y: [doc("kemanfaatan", "laporan", date=_d(y), value=50)],
        "monev": lambda y: [doc("monev", "laporan-monev", date=_d(y))],
    }


def _full(pack: str) -> dict[str, tuple[Scenario, int]]:
    old = pack == "iid-2024"
    bimtek_parts = ["daftar-hadir"] if old else ["daftar-hadir", "sertifikat"]
    regulasi: Scenario = (
        (lambda y: [doc("regulasi", "peraturan-kepala-daerah", date=_d(y))])
        if old
        else (
            lambda y: [
                doc("regulasi", "peraturan-daerah", date=_d(y, 3), named=False),
                doc("regulasi", "peraturan-kepala-daerah", date=_d(y, 2)),
            ]
        )
    )
    return {
        "regulasi": (regulasi, 3),
        "sdm": (lambda y: [doc("sdm", "keputusan-kepala-daerah", date=_d(y), people=35)], 3),
        "anggaran": (lambda y: _on("anggaran", _budget("dpa", y, [0, 1, 2])), 3),
        "bimtek": (
            lambda y: (
                [doc("bimtek", "undangan", date=f"{y - 1}-0{m}-01") for m in (2, 5, 8)]
                + [doc("bimtek", kind, date=_d(y)) for kind in bimtek_parts]
            ),
            3,
        ),
        "rkpd": (lambda y: _on("rkpd", _budget("rkpd", y, [0, 1, 2])), 3),
        "aktor": (lambda y: [doc("aktor", "mou", date=_d(y), count=6)], 3),
        "pelaksana": (lambda y: [doc("pelaksana", "keputusan-kepala-daerah", date=_d(y))], 3),
        "jejaring": (lambda y: [doc("jejaring", "surat-tugas", date=_d(y), count=5)], 3),
        "informasi": (lambda y: [image("informasi") for _ in range(3)], 3),
        "proses": (lambda y: [doc("proses", "sop", date=_d(y), value=1)], 3),
        "pengaduan": (lambda y: [doc("pengaduan", "laporan", date=_d(y), value=95)], 3),
        "replikasi": (
            lambda y: [
                doc("replikasi", "mou", date=_d(y), issuer=f"Pemerintah Kabupaten {name}")
                for name in ("Tabalong", "Tapin", "Banjar")
            ],
            3,
        ),
        "kecepatan": (lambda y: [doc("kecepatan", "laporan", date=_d(y), value=3)], 3),
        "kemanfaatan": (lambda y: [doc("kemanfaatan", "laporan", date=_d(y), value=600)], 3),
        "monev": (lambda y: [doc("monev", "skm", date=_d(y))], 2),
    }


MEASURED = sorted(_level_one("iid-2026"))
VERIFIER_ONLY = ["alat_kerja", "sosialisasi", "pedoman", "terintegrasi", "video"]
PACKS = ["iid-2024", "iid-2026"]


def test_every_indicator_has_scenarios():
    for pack in PACKS:
        assert set(MEASURED) | set(VERIFIER_ONLY) == set(load_rulepack(pack).codes)


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize("code", MEASURED)
def test_level_one_but_not_two(pack, code):
    year = load_rulepack(pack).year
    result = check(_level_one(pack)[code](year), {code: 2}, pack=pack)
    entry = row(result, code)
    assert entry["supported_level"] == 1, entry
    assert entry["status"] == "weak", entry
    assert codes(entry) & {"CLAIM_ABOVE_PROOF", "TOO_FEW"}, entry
    assert entry["gain_if_fixed"] == entry["weight"]


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize("code", MEASURED)
def test_claimed_level_proven(pack, code):
    year = load_rulepack(pack).year
    scenario, claimed = _full(pack)[code]
    result = check(scenario(year), {code: claimed}, pack=pack)
    entry = row(result, code)
    assert entry["supported_level"] == claimed, entry
    expected = "needs_review" if code == "informasi" else "ok"
    assert entry["status"] == expected, entry
    assert not [f for f in entry["findings"] if f["severity"] == "error"], entry
    assert entry["gain_if_fixed"] == 0


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize("code", VERIFIER_ONLY)
def test_verifier_only_needs_review(pack, code):
    evidence = [link(code)] if code in ("video", "sosialisasi") else [image(code)]
    entry = row(check(evidence, {code: 3}, pack=pack), code)
    assert entry["status"] == "needs_review"
    assert entry["supported_level"] is None
    assert "NEEDS_REVIEW" in codes(entry)
    assert entry["gain_if_fixed"] == 0
