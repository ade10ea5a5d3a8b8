"""NIK and NIP are found and masked however they are written; other numbers are left alone."""

from __future__ import annotations

import pytest

from indexer.redact import find_personal_numbers, mask_personal_numbers

NIK = "6308011203850001"
NIP = "197005121998031006"


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        (NIK, "NIK"),
        ("6308 0112 0385 0001", "NIK"),
        ("6308.0112.0385.0001", "NIK"),
        ("6308-0112-0385-0001", "NIK"),
        ("630801 120385 0001", "NIK"),  # its parts: region, birth date, serial
        ("63.08.01.120385.0001", "NIK"),
        (NIP, "NIP"),
        ("19700512 199803 1 006", "NIP"),
        ("19700512.199803.1.006", "NIP"),
        ("19700512-199803-1-006", "NIP"),
    ],
)
@pytest.mark.parametrize("label", ["", "NIK: ", "NIP. ", "No. Induk "])
def test_every_way_of_writing_them_is_masked(written, kind, label):
    text = f"Nama: Siti Aminah, {label}{written}, Desa Paringin."
    (found,) = find_personal_numbers(text)
    assert found.kind == kind and text[found.start : found.end] == written
    masked = mask_personal_numbers(text)
    assert len(masked) == len(text)
    assert not any(ch.isdigit() for ch in masked[found.start : found.end])
    assert masked.replace("*", "") == text.replace(written, "".join(
        ch for ch in written if not ch.isdigit()))  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Telp. 081234567890",  # a phone number: 12 digits
        "Nomor 188.45/123/KUM/2025",  # a decree number
        "Tanggal 26-01-2021, anggaran Rp 1.250.000.000",
        "630801120385000",  # 15 digits
        "63080112038500011",  # 17 digits: neither
        "6308 0112-0385.0001",  # mixed separators do not make one number
    ],
)
def test_other_numbers_are_left_alone(text):
    assert find_personal_numbers(text) == []
    assert mask_personal_numbers(text) == text


def test_several_numbers_in_a_list_are_each_masked_in_reading_order():
    text = f"1. Ahmad NIP {NIP}\n2. Budi NIK 6308 0112 0385 0002\n3. Citra NIK {NIK}"
    kinds = [number.kind for number in find_personal_numbers(text)]
    assert kinds == ["NIP", "NIK", "NIK"]
    assert sum(ch.isdigit() for ch in mask_personal_numbers(text)) == 3  # the list numbers


def test_a_number_with_just_the_fewest_digits_is_still_found() -> None:
    # The quick count (16 digits at least) must not skip a NIK that is alone on the page.
    assert mask_personal_numbers("NIK 3201234567890123.") == "NIK " + "*" * 16 + "."
    assert mask_personal_numbers("NIK 3201-2345-6789-0123") == "NIK ****-****-****-****"
    # Digits of another script are matched by the patterns, not counted by the quick check.
    wide = "３２０１２３４５６７８９０１２３"
    assert mask_personal_numbers(f"NIK {wide}") == "NIK " + "*" * 16
    assert (
        mask_personal_numbers("Nomor 12 tahun 2024, halaman 3") == "Nomor 12 tahun 2024, halaman 3"
    )
