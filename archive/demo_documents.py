"""Generated evidence documents for the demo: realistic decrees, a report, a photo and a link."""

from __future__ import annotations

import io

from archive.pdfgen import pdf_bytes

SEPEDA = "Sistem Penjaringan Inovasi Daerah Balangan Terpadu (SEPEDA BARU)"


def decree() -> bytes:
    return pdf_bytes(
        [
            "BUPATI BALANGAN",
            "PROVINSI KALIMANTAN SELATAN",
            "KEPUTUSAN BUPATI BALANGAN",
            "NOMOR 188.45/123/2021",
            "TENTANG",
            "PENETAPAN INOVASI DAERAH KABUPATEN BALANGAN TAHUN 2021",
            "DENGAN RAHMAT TUHAN YANG MAHA ESA",
            "BUPATI BALANGAN,",
            "Menimbang : bahwa untuk meningkatkan kinerja penyelenggaraan pemerintahan daerah",
            "perlu menetapkan inovasi daerah;",
            "MEMUTUSKAN:",
            "Menetapkan : KEPUTUSAN BUPATI TENTANG PENETAPAN INOVASI DAERAH.",
            f"KESATU : Menetapkan {SEPEDA} sebagai inovasi daerah",
            "pada Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah.",
            "Ditetapkan di Paringin",
            "pada tanggal 12 Juli 2021",
            "BUPATI BALANGAN,",
        ]
    )


def team_decree() -> bytes:
    members = [
        "1. Kepala Bappedalitbang - Penanggung jawab",
        "2. Kepala Bidang Pembangunan, Inovasi dan Teknologi - Ketua",
        "3. Analis Kebijakan Ahli Muda - Sekretaris",
        "4. Pranata Komputer - Anggota",
        "5. Admin Inovasi SKPD - Anggota",
    ]
    return pdf_bytes(
        [
            "KEPUTUSAN KEPALA BADAN PERENCANAAN PEMBANGUNAN, PENELITIAN DAN PENGEMBANGAN DAERAH",
            "KABUPATEN BALANGAN",
            "NOMOR 050/45/BAPPEDALITBANG/2026",
            "TENTANG",
            f"TIM PELAKSANA INOVASI {SEPEDA}",
            "Ditetapkan di Paringin pada tanggal 5 Januari 2026",
        ],
        ["LAMPIRAN: SUSUNAN TIM PELAKSANA", *members],
    )


def monitoring_report() -> bytes:
    return pdf_bytes(
        [
            "LAPORAN MONITORING DAN EVALUASI",
            f"INOVASI {SEPEDA}",
            "TAHUN 2025",
            "Monitoring dilaksanakan oleh Bidang Pembangunan, Inovasi dan Teknologi",
            "terhadap pelaksanaan penjaringan inovasi pada 35 perangkat daerah.",
            "Paringin, 15 Desember 2025",
        ]
    )


def photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (235, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 300), outline=(11, 93, 59), width=4)
    draw.text((40, 140), "Sosialisasi SEPEDA BARU - Paringin 2026", fill=(11, 93, 59))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


GEPAB = "Gerakan Posyandu Aktif Balangan (GEPAB)"


def gepab_decree() -> bytes:
    return pdf_bytes(
        [
            "KEPUTUSAN KEPALA DINAS KESEHATAN KABUPATEN BALANGAN",
            "NOMOR 440/212/DINKES/2025",
            "TENTANG",
            f"PELAKSANAAN INOVASI {GEPAB.upper()}",
            "KEPALA DINAS KESEHATAN KABUPATEN BALANGAN,",
            "Menimbang : bahwa kunjungan balita ke posyandu perlu ditingkatkan;",
            "MEMUTUSKAN:",
            f"KESATU : Melaksanakan inovasi {GEPAB} di seluruh puskesmas.",
            "Ditetapkan di Paringin pada tanggal 28 Juli 2025",
        ]
    )


def gepab_team() -> bytes:
    return pdf_bytes(
        [
            "KEPUTUSAN KEPALA DINAS KESEHATAN KABUPATEN BALANGAN",
            "NOMOR 440/230/DINKES/2025",
            f"TENTANG TIM PELAKSANA {GEPAB.upper()}",
            "Ditetapkan di Paringin pada tanggal 1 Agustus 2025",
        ],
        ["LAMPIRAN: SUSUNAN TIM", "1. Kepala Bidang Kesehatan Masyarakat - Ketua",
         "2. Tenaga Promosi Kesehatan - Sekretaris", "3. Kader Posyandu - Anggota"],
    )  # fmt: skip


def gepab_speed_report() -> bytes:
    return pdf_bytes(
        [
            "LAPORAN KECEPATAN PENCIPTAAN INOVASI",
            GEPAB,
            "Gagasan disusun April 2025, uji coba dimulai 1 Agustus 2025 (4 bulan).",
            "Paringin, 10 Januari 2026",
        ]
    )


def gepab_survey() -> bytes:
    return pdf_bytes(
        [
            "LAPORAN SURVEI KEMANFAATAN",
            GEPAB,
            "Kunjungan balita ke posyandu naik dari 61% menjadi 78% di 12 puskesmas.",
            "Paringin, 20 Februari 2026",
        ]
    )


DUKUNG = "Dukcapil Jemput Bola ke Desa (DUKUNG DESA)"


def dukung_decree() -> bytes:
    return pdf_bytes(
        [
            "KEPUTUSAN KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN BALANGAN",
            "NOMOR 470/045/DISDUKCAPIL/2024",
            "TENTANG",
            f"PELAKSANAAN INOVASI {DUKUNG.upper()}",
            "MEMUTUSKAN:",
            "KESATU : Petugas melayani perekaman KTP-el, KK dan akta di kantor desa.",
            "Ditetapkan di Paringin pada tanggal 3 Juni 2024",
        ]
    )


# The published innovation's decree, which the demo offers in the public catalogue.
DUKUNG_EVIDENCE = [
    ("regulasi", "SK Kadisdukcapil 470-045-2024 DUKUNG DESA.pdf", dukung_decree, None, 2),
]

GEPAB_EVIDENCE = [
    ("regulasi", "SK Kadinkes 440-212-2025 GEPAB.pdf", gepab_decree, None, 2),
    ("sdm", "SK Tim Pelaksana GEPAB.pdf", gepab_team, None, 1),
    ("kecepatan", "Laporan kecepatan GEPAB.pdf", gepab_speed_report, None, 2),
    ("kemanfaatan", "Survei kemanfaatan GEPAB 2026.pdf", gepab_survey, None, 2),
    ("video", None, None, "https://www.youtube.com/watch?v=gepab2026", 1),
]

# (indicator, file name, bytes factory or None for a link, link, claimed level)
SEPEDA_EVIDENCE = [
    ("regulasi", "SK Bupati 188.45-123-2021 Inovasi Daerah.pdf", decree, None, 1),
    ("sdm", "SK Tim Pelaksana SEPEDA BARU 2026.pdf", team_decree, None, 1),
    ("monev", "Laporan Monev SEPEDA BARU 2025.pdf", monitoring_report, None, 1),
    ("sosialisasi", "Foto sosialisasi.jpg", photo, None, None),
    ("video", None, None, "https://www.youtube.com/watch?v=sepedabaru2026", 1),
]
