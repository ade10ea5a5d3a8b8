"""Unit tests for checklist.facts: the tricky cases one by one."""

from __future__ import annotations

import pytest

from checklist.dates import month_number, parse_date
from checklist.facts import KINDS, personal_ids, read_facts
from indexer.redact import mask_personal_numbers

CONTRACT_KINDS = {
    "undang-undang", "peraturan-pemerintah", "peraturan-presiden", "peraturan-menteri",
    "peraturan-daerah", "peraturan-kepala-daerah", "keputusan-kepala-daerah",
    "keputusan-kepala-perangkat-daerah", "surat-edaran", "surat-tugas", "dpa", "rkpd", "ruk",
    "rba", "sop", "laporan", "laporan-monev", "skm", "mou", "daftar-hadir", "sertifikat",
    "undangan", "foto", "video", "other",
}  # fmt: skip

DEPT_DECREE_ON_BEHALF = """PEMERINTAH KABUPATEN BALANGAN
DINAS KESEHATAN
Jalan A. Yani Km 3 Paringin

KEPUTUSAN KEPALA DINAS KESEHATAN
NOMOR 440/77/DINKES/2024

TENTANG
TIM PELAKSANA INOVASI GERAKAN IBU HAMIL SEHAT

Menimbang : bahwa perlu dibentuk tim pelaksana;

Ditetapkan di Paringin
pada tanggal 12 Juli 2024

a.n. BUPATI BALANGAN
KEPALA DINAS KESEHATAN,

dr. RIDUAN
NIP. 19700512 199803 1 006
"""

DEPT_DECREE_OWN_NAME = DEPT_DECREE_ON_BEHALF.replace("a.n. BUPATI BALANGAN\n", "")

OTHER_REGENCY = """BUPATI TABALONG
KEPUTUSAN BUPATI TABALONG
NOMOR 188.45/322/2024
TENTANG
PENETAPAN INOVASI DAERAH
BUPATI TABALONG,
Menimbang : bahwa ...
Ditetapkan di Tanjung
pada tanggal 30 September 2024
BUPATI TABALONG,
"""


def test_kind_vocabulary_is_the_contracts() -> None:
    assert set(KINDS) == CONTRACT_KINDS


def test_department_head_signing_on_behalf_of_bupati_is_regional_head_decree() -> None:
    facts = read_facts(DEPT_DECREE_ON_BEHALF)
    assert facts["kind"] == "keputusan-kepala-daerah"
    assert facts["issuer"] == "Kabupaten Balangan"
    assert facts["number"] == "440/77/DINKES/2024"
    assert facts["date"] == "2024-07-12"


def test_department_head_decree_in_own_name() -> None:
    facts = read_facts(DEPT_DECREE_OWN_NAME)
    assert facts["kind"] == "keputusan-kepala-perangkat-daerah"
    assert facts["issuer"] == "Dinas Kesehatan Kabupaten Balangan"


def test_secretary_decree_names_the_secretariat() -> None:
    text = "KEPUTUSAN SEKRETARIS DAERAH KABUPATEN BALANGAN\nNOMOR 060/1/ORG/2023\nTENTANG\nTIM\n"
    facts = read_facts(text)
    assert facts["kind"] == "keputusan-kepala-perangkat-daerah"
    assert facts["issuer"] == "Sekretariat Daerah Kabupaten Balangan"


def test_other_regency_decree_names_that_regency() -> None:
    facts = read_facts(OTHER_REGENCY, region="Kabupaten Balangan")
    assert facts["kind"] == "keputusan-kepala-daerah"
    assert facts["issuer"] == "Kabupaten Tabalong"
    assert facts["foreign_region"] is True
    assert read_facts(OTHER_REGENCY, region="Tabalong")["foreign_region"] is False


def test_english_text_gives_other_and_no_guesses() -> None:
    facts = read_facts("LETTER OF SUPPORT\nWe confirm the system was shared in March.\n")
    assert facts["kind"] == "other"
    assert facts["number"] is None
    assert facts["date"] is None
    assert facts["title"] is None


@pytest.mark.parametrize("value", ["", "   ", "\f\f", [], ["", ""], "\x00\x01%%%", "NOMOR"])
def test_garbage_never_raises(value: str | list[str]) -> None:
    facts = read_facts(value, ["SEPEDA BARU"], "Kabupaten Balangan")
    assert facts["kind"] in KINDS
    assert facts["names_innovation"] is False


def test_non_string_pages_are_tolerated() -> None:
    facts = read_facts(["KEPUTUSAN BUPATI BALANGAN\nNOMOR 5 TAHUN 2024", None])  # type: ignore[list-item]
    assert facts["number"] == "5 TAHUN 2024"


def test_number_on_second_page() -> None:
    pages = [
        "SALINAN\nPEMERINTAH KABUPATEN BALANGAN\nDINAS SOSIAL\n",
        "KEPUTUSAN KEPALA DINAS SOSIAL KABUPATEN BALANGAN\nNOMOR 460/058/DINSOS/2025\n"
        "TENTANG\nPENERIMA MANFAAT\nMenimbang : ...",
    ]
    facts = read_facts(pages)
    assert facts["kind"] == "keputusan-kepala-perangkat-daerah"
    assert facts["number"] == "460/058/DINSOS/2025"
    assert facts["issuer"] == "Dinas Sosial Kabupaten Balangan"


def test_number_split_over_two_lines() -> None:
    facts = read_facts("PERATURAN BUPATI KOTABARU\nNOMOR 21\nTAHUN 2019\nTENTANG\nTEKNIS\n")
    assert facts["number"] == "21 TAHUN 2019"


def test_two_documents_in_one_pdf_reads_the_first() -> None:
    first = OTHER_REGENCY.replace("TABALONG", "BALANGAN").replace("Tanjung", "Paringin")
    second = "DAFTAR HADIR\nNO NAMA JABATAN\n1 Ahmad Kepala\n2 Rusdi Staf\n"
    facts = read_facts([first, second])
    assert facts["kind"] == "keputusan-kepala-daerah"
    assert facts["number"] == "188.45/322/2024"
    assert facts["date"] == "2024-09-30"
    assert facts["people_count"] == 2


def test_title_over_several_lines_is_joined_up_to_the_preamble() -> None:
    text = (
        "PERATURAN GUBERNUR KALIMANTAN SELATAN\nNOMOR 67 TAHUN 2023\nTENTANG\n"
        "TATA CARA PENGUKURAN, PENILAIAN DAN PEMBERIAN PENGHARGAAN\n"
        "INOVASI DAERAH KABUPATEN DAN KOTA SERTA PERANGKAT DAERAH\n"
        "DI LINGKUNGAN PEMERINTAH PROVINSI KALIMANTAN SELATAN\n"
        "MELALUI SISTEM INFORMASI INOVASI DAERAH TERPADU\n\n"
        "DENGAN RAHMAT TUHAN YANG MAHA ESA\nGUBERNUR KALIMANTAN SELATAN,\n"
    )
    facts = read_facts(text)
    assert facts["title"] == (
        "TATA CARA PENGUKURAN, PENILAIAN DAN PEMBERIAN PENGHARGAAN INOVASI DAERAH KABUPATEN "
        "DAN KOTA SERTA PERANGKAT DAERAH DI LINGKUNGAN PEMERINTAH PROVINSI KALIMANTAN SELATAN "
        "MELALUI SISTEM INFORMASI INOVASI DAERAH TERPADU"
    )
    assert facts["issuer"] == "Provinsi Kalimantan Selatan"
    assert facts["kind"] == "peraturan-kepala-daerah"


def test_title_stops_at_signer_line_not_at_a_comma_inside_it() -> None:
    text = (
        "PERATURAN BUPATI KOTABARU\nNOMOR 1 TAHUN 2019\nTENTANG\nTUNJANGAN HARI RAYA, GAJI\n"
        "DAN TUNJANGAN KETIGA BELAS,\nPEJABAT NEGARA\nBUPATI KOTABARU,\nMenimbang"
    )
    title = read_facts(text)["title"]
    assert title == "TUNJANGAN HARI RAYA, GAJI DAN TUNJANGAN KETIGA BELAS, PEJABAT NEGARA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ditetapkan di Paringin\npada tanggal 12 Juli 2021\nBUPATI BALANGAN,", "2021-07-12"),
        ("Ditetapkan di Paringin\npada tanggal 12 JuIi 2021", "2021-07-12"),
        ("Ditetapkan di : Paringin\nPada tanggal : 4 Agustu5 2023", "2023-08-04"),
        ("Disahkan di Jakarta\npada tanggal 25 November 2016", "2016-11-25"),
        ("Dikeluarkan di Awayan\nPada tanggal 3O September 2O24", "2024-09-30"),
        ("Paringin, 5 Januari 2026\nKepada Yth.", "2026-01-05"),
        ("Tanggal dokumen: 2021-07-12", "2021-07-12"),
        ("Paringin, 12 Juli\nKepala Dinas", None),
        ("Ditetapkan di Kotabaru\npada tanggal\nBUPATI KOTABARU,\n\nDiundangkan di Kotabaru\n"
         "pada tanggal 3 Mei 2019", None),
    ],
)  # fmt: skip
def test_dates(text: str, expected: str | None) -> None:
    assert read_facts(text)["date"] == expected


def test_month_words_damaged_by_ocr() -> None:
    assert month_number("JuIi") == 7
    assert month_number("Januafi") == 1
    assert month_number("Agustu5") == 8
    assert month_number("Sept") == 9
    assert month_number("xyz") is None
    assert parse_date("31 Februari 2024") is None


def test_names_innovation_tolerates_case_breaks_hyphens_and_short_names() -> None:
    names = ["Sistem Penjaringan Inovasi Daerah Balangan Terpadu (SEPEDA BARU)"]
    assert read_facts("aplikasi sepeda baru telah", names)["names_innovation"] is True
    assert read_facts("melalui SEPEDA\nBARU tahun ini", names)["names_innovation"] is True
    assert read_facts("sistem penjaringan inovasi daerah ba-\nlangan terpadu", names)[
        "names_innovation"
    ]
    assert read_facts("inovasi SEPEDABARU", names)["names_innovation"] is True
    assert read_facts("data inovasi SPIDBT", names)["names_innovation"] is True
    assert read_facts("Sistem Penjaringan Inovasi Daerah (SEPEDA)", names)[
        "names_innovation"
    ] is False  # fmt: skip
    assert read_facts("SEPEDA BARU", None)["names_innovation"] is None


def test_people_count_of_attendance_list() -> None:
    text = "DAFTAR HADIR\nNO NAMA INSTANSI TTD\n" + "".join(
        f"{i} Peserta {i} Dinas {i}.\n" for i in range(1, 13)
    )
    facts = read_facts(text)
    assert facts["kind"] == "daftar-hadir"
    assert facts["people_count"] == 12


def test_people_count_none_without_a_list() -> None:
    assert read_facts(DEPT_DECREE_OWN_NAME)["people_count"] is None


def test_personal_ids_found_and_masked() -> None:
    text = "Ahmad NIP. 19700512 199803 1 006 NIK 6308010101800001 telp 081234567890"
    ids = personal_ids(text)
    assert [i["type"] for i in ids] == ["NIP", "NIK"]
    start, end = ids[0]["span"]
    assert text[start:end] == "19700512 199803 1 006"
    masked = mask_personal_numbers(text)
    assert len(masked) == len(text)
    assert "19700512" not in masked
    assert "6308010101800001" not in masked
    assert "081234567890" in masked
    assert read_facts(text)["personal_ids"] == ids


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("UNDANG-UNDANG REPUBLIK INDONESIA\nNOMOR 1 TAHUN 2022", "undang-undang"),
        ("PERATURAN MENTER! PERHUBUNGAN REPUBLIK INDONESIA\nNOMOR PM 1", "peraturan-menteri"),
        ("PERATURAN\nWALIKOTASURAKARTA\nNOMOR: 1", "peraturan-kepala-daerah"),
        ("SURAT EDARAN\nNOMOR 1/2026", "surat-edaran"),
        ("Nomor : 005/1/2026\nPerihal : Undangan Rapat", "undangan"),
        ("LAPORAN HASIL\nSURVEI KEPUASAN MASYARAKAT", "skm"),
        ("LAPORAN\nMONITORING DAN EVALUASI", "laporan-monev"),
        ("LAPORAN KEGIATAN SOSIALISASI", "laporan"),
        ("D0KUMEN PELAKSANAAN ANGGARAN\nSATUAN KERJA PERANGKAT DAERAH", "dpa"),
        ("PERATURAN KOMISI INFORMASI\nNOMOR 1 TAHUN 2013", "other"),
    ],
)
def test_kind_headings(heading: str, kind: str) -> None:
    assert read_facts(heading + "\n")["kind"] == kind


def test_ministerial_issuer_from_glued_ocr_heading() -> None:
    facts = read_facts("PERATURANMENTER! PERHUBUNGAN REPUBLIK INDONESIA\nNOMOR PM l TAHUN 2025\n")
    assert facts["issuer"] == "Kementerian Perhubungan"
    assert facts["number"] == "PM 1 TAHUN 2025"
