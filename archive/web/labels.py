"""Words users read: statuses, roles, document kinds, reading results, numbers and dates.

Everything a page shows instead of an internal code lives here, in Bahasa Indonesia.
"""

from __future__ import annotations

from datetime import date, datetime

from archive.services.extraction import LONG_LANE

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip

STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "revision": "Perbaikan",
    "verified": "Terverifikasi",
    "rejected": "Ditolak",
    "published": "Dipublikasikan",
}
STATUS_TONES = {
    "draft": "wait",
    "submitted": "info",
    "revision": "warn",
    "verified": "good",
    "rejected": "bad",
    "published": "best",
}
ROLE_LABELS = {
    "staff": "staf",
    "verifier": "verifikator",
    "admin": "admin unit",
    "innovator": "inovator",
    "judge": "juri",
}
STAGE_LABELS = {"inisiatif": "Inisiatif", "uji coba": "Uji coba", "penerapan": "Penerapan"}
TYPE_LABELS = {"digital": "Digital", "non digital": "Non digital"}

# Checklist indicator status: (label, colour class of the badge).
INDICATOR_STATUS = {
    "missing": ("Belum ada bukti", "bad"),
    "pending": ("Sedang dibaca", "wait"),
    "weak": ("Belum memadai", "warn"),
    "needs_review": ("Menunggu penilaian verifikator", "info"),
    "ok": ("Memadai", "good"),
    "verified": ("Terverifikasi", "best"),
    "rejected": ("Ditolak verifikator", "bad"),
}

KIND_LABELS = {
    "undang-undang": "Undang-Undang",
    "peraturan-pemerintah": "Peraturan Pemerintah",
    "peraturan-presiden": "Peraturan Presiden",
    "peraturan-menteri": "Peraturan Menteri",
    "peraturan-daerah": "Peraturan Daerah (Perda)",
    "peraturan-kepala-daerah": "Peraturan Kepala Daerah (Perkada)",
    "keputusan-kepala-daerah": "Keputusan Kepala Daerah",
    "keputusan-kepala-perangkat-daerah": "Keputusan Kepala Perangkat Daerah",
    "surat-edaran": "Surat Edaran",
    "surat-tugas": "Surat Tugas",
    "dpa": "DPA",
    "rkpd": "RKPD",
    "ruk": "RUK/RPK Puskesmas",
    "rba": "RBA",
    "sop": "SOP",
    "laporan": "Laporan",
    "laporan-monev": "Laporan Monev",
    "skm": "Survei Kepuasan Masyarakat (SKM)",
    "mou": "MoU/PKS",
    "daftar-hadir": "Daftar Hadir",
    "sertifikat": "Sertifikat",
    "undangan": "Undangan",
    "foto": "Foto",
    "video": "Video",
    "other": "Lainnya",
}

EXTRACTION_LABELS = {
    "pending": ("Sedang dibaca", "wait"),
    "done": ("Sudah dibaca", "good"),
    "no_text": ("Tanpa teks", "warn"),
    "not_applicable": ("Tidak perlu dibaca", "info"),
    "encrypted": ("Terkunci sandi", "bad"),
    "failed": ("Gagal dibaca", "bad"),
}
BASIS_LABELS = {"claimed": "diklaim", "supported": "didukung dokumen", "verified": "terverifikasi"}


def kind_label(value: str | None) -> str:
    if not value:
        return ""
    return KIND_LABELS.get(str(value), str(value).replace("-", " ").capitalize())


def extraction_explained(status: str, reason: str | None, pages: int | None, ocr: bool) -> str:
    """What happened when the document was read, for the person who uploaded it.

    The stored ``reason`` is technical English for operators; users get a sentence in
    Indonesian that says what to do, never a library's message.
    """
    reason = (reason or "").lower()
    if status == "pending" and reason.startswith(LONG_LANE):
        return (
            "Berkas ini besar sehingga dibaca di antrean panjang, agar berkas lain tidak ikut "
            "menunggu; bisa memakan waktu beberapa menit. Status indikator diperbarui setelah "
            "selesai."
        )
    if status == "pending":
        return "Berkas sedang dibaca sistem; status indikator diperbarui setelah selesai."
    if status == "done":
        what = f"{pages} halaman" if pages else "Teks"
        return f"{what} terbaca" + (" dengan pengenalan teks (OCR)." if ocr else ".")
    if status == "not_applicable":
        return "Tautan, video atau foto: dinilai langsung oleh verifikator."
    if status == "encrypted":
        return (
            "Berkas terkunci kata sandi sehingga isinya tidak dapat dibaca. Buka kuncinya, "
            "lalu unggah ulang."
        )
    if status == "no_text":
        return (
            "Tidak ada tulisan yang dapat dibaca: berkas tampaknya hasil pindaian. Verifikator "
            "tetap dapat membukanya; bila ada, unggah PDF asli hasil pengolah kata."
        )
    if "timeout" in reason:
        return (
            "Pembacaan berkas terlalu lama dan dihentikan. Perkecil berkas atau pisahkan "
            "halamannya, lalu unggah ulang."
        )
    if "memory" in reason:
        return "Berkas terlalu berat untuk dibaca. Perkecil ukurannya, lalu unggah ulang."
    if "hilang" in reason or "not found" in reason:
        return "Berkas tidak ditemukan di penyimpanan; hubungi staf pengelola."
    return (
        "Berkas rusak atau formatnya tidak dapat dibaca. Simpan ulang sebagai PDF, lalu unggah "
        "kembali."
    )


def long_date(value: date | datetime | str | None) -> str:
    """26 Januari 2021."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def decimal(value: float | int | None, places: int = 2) -> str:
    """A number as Indonesians write it: 47,04 and 1.234,5."""
    if value is None:
        return "-"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def thousands(value: int | None) -> str:
    """An integer with Indonesian thousands dots: 250.000."""
    return "-" if value is None else f"{value:,}".replace(",", ".")


def rupiah(value: int | None) -> str:
    if value is None:
        return "-"
    return "Rp " + f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    return f"{round((value or 0) * 100)}%"
