"""Tests for checklist.profile_import on the real SEPEDA BARU profile and synthetic ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checklist.profile_import import NATIONAL_FIELDS, parse_profile

REAL_PROFILE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "sepeda-baru-profil.md"

SYNTHETIC = """PROFIL INOVASI DAERAH

1. Nama Inovasi
Posyandu Lansia Keliling (POSLANLING)

2. Dibuat Oleh
Inovasi ini dibuat oleh UPT Puskesmas Paringin.

3. Tahapan Inovasi
Saat ini inovasi berada pada tahap uji coba.

4. Inisiator Inovasi Daerah
Inisiator : ASN

5. Jenis Inovasi
Digital

6. Bentuk Inovasi Daerah
Inovasi berbentuk Pelayanan Publik.

7. Urusan Inovasi Daerah
Urusan Kesehatan

8. Rancang Bangun dan Pokok Perubahan yang Dilakukan
Latar Belakang:
Banyak lansia tidak dapat datang ke posyandu karena jarak dan kondisi fisik.
Petugas kini mendatangi rumah lansia setiap bulan.

9. Tujuan Inovasi Daerah
Meningkatkan cakupan pelayanan kesehatan lansia.

10. Manfaat yang Diperoleh
Lansia terlayani tanpa harus bepergian.

11. Hasil Inovasi

12. Waktu Uji Coba Inovasi Daerah
Uji coba mulai 3 Februari 2025.

13. Waktu Implementasi
Belum ditentukan.

14. Anggaran
Rp 24.000.000 (APBD)
"""


def _codes(result: dict, code: str) -> set[str]:
    """Fields with findings of one code."""
    return {f["field"] for f in result["findings"] if f["code"] == code}


def test_synthetic_numbered_profile() -> None:
    result = parse_profile(SYNTHETIC)
    fields = result["fields"]
    assert fields["name"] == "Posyandu Lansia Keliling (POSLANLING)"
    assert fields["made_by"] == "UPT Puskesmas Paringin"
    assert fields["stage"] == "uji coba"
    assert fields["initiator"] == "ASN"
    assert fields["type"] == "digital"
    assert fields["form"] == "Pelayanan Publik"
    assert fields["affairs"] == "Urusan Kesehatan"
    assert "mendatangi rumah lansia" in fields["design"]
    assert fields["goals"] == "Meningkatkan cakupan pelayanan kesehatan lansia."
    assert fields["trial_date"] == "2025-02-03"
    assert fields["implementation_date"] is None
    assert fields["budget"] == "Rp 24.000.000 (APBD)"
    assert _codes(result, "FIELD_EMPTY") == {"results"}
    assert _codes(result, "INVALID_VALUE") == {"implementation_date"}
    assert _codes(result, "NOT_FOUND") == set()


def test_titled_sections_with_inline_values_and_markdown() -> None:
    text = (
        "**Nama Inovasi:** GEMAS\n"
        "## Jenis Inovasi : Non Digital\n"
        "### Waktu Penerapan: 26 JuIi 2024\n"
        "Tahapan Inovasi: penerapan\n"
    )
    result = parse_profile(text)
    assert result["fields"]["name"] == "GEMAS"
    assert result["fields"]["type"] == "non digital"
    assert result["fields"]["implementation_date"] == "2024-07-26"
    assert result["fields"]["stage"] == "penerapan"
    assert "design" in _codes(result, "NOT_FOUND")


def test_document_without_sections_imports_what_it_can() -> None:
    text = (
        "Inovasi ini diberi nama Balangan Membaca. Inovasi sudah pada tahap penerapan.\n"
        "Uji coba dimulai tanggal 5 Januari 2024 di tiga sekolah.\n"
    )
    result = parse_profile(text)
    assert result["fields"]["name"] == "Balangan Membaca"
    assert result["fields"]["stage"] == "penerapan"
    assert result["fields"]["trial_date"] == "2024-01-05"
    assert "profile" in _codes(result, "NOT_FOUND")
    assert {"design", "goals", "budget"} <= _codes(result, "NOT_FOUND")
    assert all(f["message"] for f in result["findings"])


@pytest.mark.parametrize("text", ["", "Hello world", "\x00\x01", None])
def test_garbage_never_raises(text: str | None) -> None:
    result = parse_profile(text)  # type: ignore[arg-type]
    assert set(result["fields"]) >= set(NATIONAL_FIELDS)
    assert _codes(result, "NOT_FOUND") >= set(NATIONAL_FIELDS)


def test_sub_title_inside_a_section_is_not_a_new_section() -> None:
    text = (
        "8. Rancang Bangun\n**Tujuan :**\nMengurangi antrian.\n**Dampak :**\nAntrian turun.\n"
        "9. Tujuan Inovasi\nPelayanan cepat.\n"
    )
    fields = parse_profile(text)["fields"]
    assert "Antrian turun." in fields["design"]
    assert fields["goals"] == "Pelayanan cepat."


@pytest.fixture(scope="module")
def real_profile() -> str:
    """The real SEPEDA BARU profile from tests/data (skipped without it, unless CI)."""
    if not REAL_PROFILE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real profile missing at {REAL_PROFILE}")
        pytest.skip("tests/data is missing")
    return REAL_PROFILE.read_text(encoding="utf-8")


def test_real_profile_fields(real_profile: str) -> None:
    result = parse_profile(real_profile)
    fields = result["fields"]
    assert fields["name"] == "Sistem Penjaringan Inovasi Daerah Balangan Terpadu (SEPEDA BARU)"
    assert fields["made_by"].startswith("Badan Penelitian dan Pengembangan Daerah")
    assert fields["stage"] == "penerapan"
    assert fields["type"] == "non digital"
    assert fields["form"] == "Pelayanan Publik"
    assert fields["affairs"] == "Urusan Pemerintahan Penunjang"
    assert fields["trial_date"] == "2021-01-05"
    assert fields["implementation_date"] == "2021-01-26"
    assert len(fields["design"].split()) > 300
    assert "Permasalahan" in fields["design"]
    assert fields["goals"].startswith("Tujuan Inovasi Daerah adalah")
    assert "Bagi Pemerintah Kabupaten Balangan" in fields["benefits"]
    assert fields["results"] is None
    assert "TPB" in fields["sdg_contribution"]
    assert fields["collaboration"]


def test_real_profile_findings(real_profile: str) -> None:
    result = parse_profile(real_profile)
    assert _codes(result, "FIELD_EMPTY") == {"results", "significance", "sustainability"}
    assert _codes(result, "NOT_FOUND") == {"budget"}
    empty = next(f for f in result["findings"] if f["field"] == "results")
    assert "Hasil Inovasi" in empty["message"]
