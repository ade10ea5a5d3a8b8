"""Demo data: the 35 units, four accounts, the 2026 period, past years and a few innovations.

Idempotent: running it again adds what is missing and changes nothing that exists.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime

from archive.audit import Actor
from archive.models import Evidence, Innovation, Period, Role, Unit, UnitKind, User, YearFigure
from archive.security import hash_password
from archive.settings import Settings

DEMO = Actor("demo")
# Innovations the office counted in the years before SEPEDA BARU (issue 14).
PAST_YEARS = [(2020, 18), (2021, 32), (2022, 112)]
PAST_YEARS_SOURCE = "Catatan kantor inovasi (sebelum SEPEDA BARU)"

SKPD = [
    ("SETDA", "Sekretariat Daerah"),
    ("SETWAN", "Sekretariat DPRD"),
    ("INSPEKTORAT", "Inspektorat Daerah"),
    ("BAPPEDALITBANG", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("BAPENDA", "Badan Pendapatan Daerah"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik"),
    ("DISDIK", "Dinas Pendidikan"),
    ("DINKES", "Dinas Kesehatan"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DPRKPLH", "Dinas Perumahan Rakyat, Kawasan Permukiman dan Lingkungan Hidup"),
    ("DINSOS", "Dinas Sosial"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DISTAN", "Dinas Pertanian dan Ketahanan Pangan"),
    ("DISHUB", "Dinas Perhubungan"),
    ("DISPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran"),
]
BLUD = [("RSUD", "BLUD RSUD Balangan")]
PUSKESMAS_PLACES = [
    "Paringin", "Paringin Selatan", "Lampihong", "Batumandi", "Awayan", "Juai",
    "Halong", "Tebing Tinggi", "Uren", "Tanah Habang", "Pirsus", "Sungai Ketapi",
]  # fmt: skip

ACCOUNTS = [
    ("staf.brida", "Staf Bidang Inovasi BAPPEDALITBANG", Role.STAFF, None),
    ("verifikator", "Tim Verifikasi Inovasi Daerah", Role.VERIFIER, None),
    ("admin.bappedalitbang", "Admin Inovasi BAPPEDALITBANG", Role.ADMIN, "BAPPEDALITBANG"),
    ("admin.dinkes", "Admin Inovasi Dinas Kesehatan", Role.ADMIN, "DINKES"),
]

SEPEDA_BARU_DESIGN = (
    "Latar belakang. Inovasi daerah adalah pembaruan dalam penyelenggaraan pemerintahan daerah "
    "yang bertujuan meningkatkan efisiensi, efektivitas dan kualitas pelayanan, serta menjadi "
    "bagian dari reformasi birokrasi. Bupati Balangan telah menerbitkan surat perintah "
    "pelaksanaan dan pengembangan inovasi daerah kepada seluruh kepala SKPD dan BLUD RSUD, yang "
    "diikuti pernyataan komitmen bersama seluruh kepala perangkat daerah. Kabupaten Balangan "
    "memiliki 22 SKPD, 1 BLUD RSUD dan 12 UPT Puskesmas, tetapi sebelum inovasi ini data "
    "inovasi tidak terdokumentasi: pada 2017 pengumpulan dilakukan secara manual berupa berkas "
    "fisik, pada 2018 dan 2019 tidak ada data sama sekali, dan nilai indeks inovasi daerah "
    "rendah bahkan kosong. Belum ada metode penjaringan terpadu yang didukung pemangku "
    "kebijakan, belum terbangun jejaring antara admin inovasi dan pencipta karya inovasi di "
    "setiap perangkat daerah, dan belum ada sarana teknologi informasi yang memungkinkan "
    "penjaringan dilakukan secara daring. "
    "Pokok perubahan. Bidang Penelitian, Pengembangan dan Inovasi Daerah melakukan penjaringan "
    "karya inovasi terpadu setiap tahun pada seluruh SKPD, kecamatan, BLUD RSUD dan UPT "
    "Puskesmas. Setiap perangkat daerah menunjuk admin inovasi yang langsung menginput profil "
    "dan dokumen data dukung inovasi unitnya sesuai indikator parameter indeks inovasi daerah, "
    "sehingga pemenuhan dokumen lebih tepat sasaran. Kegiatan dimulai dengan sosialisasi dan "
    "penjaringan, lalu dibentuk forum diskusi para admin sebagai wadah komunikasi dan "
    "koordinasi penginputan ke aplikasi inovasi daerah milik kabupaten. Tim verifikasi daerah "
    "memeriksa kelengkapan setiap indikator sebelum inovasi dilaporkan ke portal nasional. "
    "Hasilnya, basis data inovasi daerah tumbuh dari 2 inovasi pada 2017 menjadi 18 inovasi "
    "pada 2020, 32 inovasi pada 2021 dan lebih dari seratus inovasi pada 2022. Inovasi ini "
    "melibatkan pimpinan daerah, kepala perangkat daerah, DPRD, aparatur sipil negara, "
    "pemerintah desa dan pemangku kepentingan lain, dan menjadi sarana diseminasi kebijakan "
    "serta kinerja penyelenggaraan pemerintahan yang inovatif kepada semua elemen agar inovasi "
    "menjadi kebutuhan dalam meningkatkan tata kelola dan pelayanan publik."
)

GEPAB_DESIGN = " ".join(
    [
        "GEPAB menggerakkan kader, bidan desa dan pemerintah desa agar setiap posyandu buka",
        "tiap bulan dengan lima meja lengkap, mencatat penimbangan balita secara daring, dan",
        "menjemput balita yang tidak datang melalui kunjungan rumah oleh kader terlatih.",
    ]
    * 12
)

INNOVATIONS = [
    {
        "unit": "BAPPEDALITBANG",
        "name": "Sistem Penjaringan Inovasi Daerah Balangan Terpadu (SEPEDA BARU)",
        "made_by": "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah, "
        "Bidang Pembangunan, Inovasi dan Teknologi",
        "stage": "penerapan",
        "initiator": "OPD",
        "initiator_name": "Bidang Pembangunan, Inovasi dan Teknologi",
        "type": "non digital",
        "form": "Pelayanan Publik",
        "affairs": "Urusan Pemerintahan Penunjang",
        "design": SEPEDA_BARU_DESIGN,
        "goals": "Meningkatkan kinerja penyelenggaraan pemerintahan daerah dan desa melalui "
        "pendokumentasian inovasi daerah dan peningkatan capaian indeks inovasi daerah.",
        "benefits": "Bagi pemerintah daerah: tata kelola dan pelayanan publik yang lebih baik "
        "serta capaian indeks inovasi yang meningkat. Bagi inovator: acuan membangun dan "
        "mengukur inovasinya. Bagi masyarakat dan pemangku kepentingan: sarana diseminasi "
        "inovasi daerah.",
        "results": None,
        "trial_date": date(2021, 1, 5),
        "implementation_date": date(2021, 1, 26),
        "status": "draft",
    },
    {
        # Submitted with its mandatory evidence: what a verifier reviews in the demo.
        "unit": "DINKES",
        "name": "Gerakan Posyandu Aktif Balangan (GEPAB)",
        "made_by": "Dinas Kesehatan",
        "stage": "penerapan",
        "initiator": "OPD",
        "initiator_name": "Bidang Kesehatan Masyarakat",
        "type": "non digital",
        "form": "Pelayanan Publik",
        "affairs": "Kesehatan",
        "design": GEPAB_DESIGN,
        "goals": "Meningkatkan kunjungan balita ke posyandu.",
        "benefits": "Balita terpantau tumbuh kembangnya; kader posyandu terlatih.",
        "results": "Kunjungan balita naik dari 61% menjadi 78% di 12 puskesmas.",
        "trial_date": date(2025, 8, 1),
        "implementation_date": date(2026, 1, 5),
        "budget": 150_000_000,
        "status": "submitted",
        "submitted_at": datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
    },
    {
        "unit": "DISDUKCAPIL",
        "name": "Dukcapil Jemput Bola ke Desa (DUKUNG DESA)",
        "made_by": "Dinas Kependudukan dan Pencatatan Sipil",
        "stage": "penerapan",
        "initiator": "OPD",
        "type": "digital",
        "form": "Pelayanan Publik",
        "affairs": "Administrasi Kependudukan dan Pencatatan Sipil",
        "goals": "Mendekatkan layanan dokumen kependudukan ke desa-desa terpencil.",
        "benefits": "Warga desa mendapat KTP-el, KK dan akta tanpa perjalanan ke kota.",
        "results": "Ribuan dokumen kependudukan diterbitkan langsung di desa.",
        "trial_date": date(2024, 3, 4),
        "implementation_date": date(2024, 6, 3),
        "status": "published",
        "published_at": datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
    },
]


def demo_password(settings: Settings, username: str) -> str:
    """Stable per data dir, so a second ``--demo`` prints the same (still valid) password."""
    digest = hmac.new(settings.secret_key.encode(), f"demo:{username}".encode(), hashlib.sha256)
    return "Demo-" + digest.hexdigest()[:10]


def demo_units() -> list[tuple[str, str, UnitKind]]:
    units = [(code, name, UnitKind.SKPD) for code, name in SKPD]
    units += [(code, name, UnitKind.BLUD) for code, name in BLUD]
    for place in PUSKESMAS_PLACES:
        code = "PKM-" + place.upper().replace(" ", "-")
        units.append((code, f"UPT Puskesmas {place}", UnitKind.PUSKESMAS))
    return units


async def load_demo(settings: Settings) -> list[tuple[str, str, str, str | None]]:
    """Load what is missing; return the demo logins as (username, role, password, note)."""
    for code, name, kind in demo_units():
        await Unit.get_or_create(code=code, defaults={"name": name, "kind": kind})
    units = {u.code: u for u in await Unit.all()}

    logins = []
    for username, full_name, role, unit_code in ACCOUNTS:
        password = demo_password(settings, username)
        user, created = await User.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "unit": units.get(unit_code) if unit_code else None,
                "password_hash": hash_password(password),
                "must_change_password": True,
            },
        )
        note = None if created or user.must_change_password else "kata sandi sudah diganti"
        logins.append((username, str(role), password, note))

    await Period.get_or_create(
        year=2026,
        defaults={
            "rulepack": "iid-2026",
            "opens": date(2026, 1, 5),
            "closes": date(2026, 12, 15),
            "review_closes": date(2026, 12, 31),
        },
    )
    for year, count in PAST_YEARS:
        await YearFigure.get_or_create(
            year=year, defaults={"innovations": count, "source": PAST_YEARS_SOURCE}
        )
    creator = await User.get(username="staf.brida")
    for spec in INNOVATIONS:
        fields = dict(spec)
        unit = units[fields.pop("unit")]
        await Innovation.get_or_create(
            year=2026,
            name=fields.pop("name"),
            unit=unit,
            defaults={**fields, "created_by": creator},
        )
    await _load_evidence(settings)
    return logins


async def _load_evidence(settings: Settings) -> None:
    """Attach the generated documents to SEPEDA BARU and GEPAB, once."""
    from archive.demo_documents import DUKUNG_EVIDENCE, GEPAB_EVIDENCE, SEPEDA_EVIDENCE
    from archive.services.evidence import EvidenceForm, add_evidence
    from archive.storage import BlobStore, sniff

    store = BlobStore(settings.blob_dir)
    published = INNOVATIONS[-1]
    for spec, documents in (
        (INNOVATIONS[0], SEPEDA_EVIDENCE),
        (INNOVATIONS[1], GEPAB_EVIDENCE),
        (published, DUKUNG_EVIDENCE),
    ):
        innovation = await Innovation.get(name=spec["name"], year=2026)
        for indicator, filename, make, url, level in documents:
            if await Evidence.exists(innovation_id=innovation.id, indicator=indicator):
                continue
            blob = media_type = None
            if make is not None:
                content = make()
                media_type = sniff(content[:8192], filename)
                blob = store.put_bytes(content)
            form = EvidenceForm(indicator, level, None, url)
            added = await add_evidence(None, innovation, form, blob, filename, media_type, DEMO)
            if spec is published:
                # A generated decree without personal numbers: the demo offers it publicly.
                await Evidence.filter(id=added.id).update(public=True)
