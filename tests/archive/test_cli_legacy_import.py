"""``sepeda import-legacy``: past years' spreadsheets and folders into the archive, row by row."""

from __future__ import annotations

import asyncio
import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from archive.cli import app as cli
from archive.db import close_database, open_database
from archive.models import AuditEvent, Evidence, Innovation, Job, Unit, UnitKind
from tests.conftest import DATA, PG_URL
from tests.documents import docx_bytes

runner = CliRunner()
MAPPING = Path(__file__).resolve().parents[2] / "docs" / "examples" / "legacy-mapping.yaml"
SAMPLE_PDF = DATA / "sample-pdfs" / "002-trivial-libre-office-writer.pdf"


def run(*args: object):
    return runner.invoke(cli, [str(a) for a in args])


def query(settings, work):
    async def go():
        await open_database(settings)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(go())


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SEPEDA_DATABASE_URL", PG_URL)

    async def units() -> None:
        await Unit.create(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.SKPD)
        await Unit.create(code="DISDIK", name="Dinas Pendidikan", kind=UnitKind.SKPD)

    query(settings, units)
    return settings


def national_sheet(path: Path, rows: list[list[object]]) -> Path:
    """An XLSX as an office kept it: the national form's headers, dates as date cells."""
    book = Workbook()
    sheet = book.active
    sheet.append(["No", "Perangkat Daerah", "Tahun", "Nama Inovasi", "Tahapan Inovasi",
                  "Jenis Inovasi", "Waktu Uji Coba Inovasi Daerah", "Anggaran",
                  "Folder"])  # fmt: skip
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    book.save(path)
    return path


def generated_rows(count: int) -> list[list[object]]:
    rows = []
    for n in range(count):
        year = 2020 + n % 3
        unit = "Dinas Kesehatan" if n % 2 else "DISDIK"
        stage = ["Inisiatif", "Uji Coba", "penerapan"][n % 3]
        budget = f"Rp {n + 1}.500.000" if n % 4 else (n + 1) * 1000
        rows.append([unit, year, f"Inovasi Lama {n:03d}", stage, "Non Digital",
                     date(year, 1 + n % 12, 1 + n % 28), budget, None])  # fmt: skip
    return rows


def test_a_hundred_rows_with_files_import_and_a_broken_row_imports_nothing(env, tmp_path):
    rows = generated_rows(100)
    # Row 4 of the sheet (the third innovation) carries two files, one per indicator.
    rows[2][7] = "Inovasi 3"
    files = tmp_path / "berkas"
    (files / "Inovasi 3" / "regulasi").mkdir(parents=True)
    shutil.copy(SAMPLE_PDF, files / "Inovasi 3" / "regulasi" / "SK Bupati 2020.pdf")
    (files / "Inovasi 3" / "sdm").mkdir()
    (files / "Inovasi 3" / "sdm" / "SK Tim.docx").write_bytes(docx_bytes("KEPUTUSAN TIM"))
    (files / "Inovasi 3" / "sdm" / "Thumbs.db").write_bytes(b"\x00junk")
    # The row named after its folder by default.
    (files / "Inovasi Lama 004" / "anggaran").mkdir(parents=True)
    shutil.copy(
        DATA / "sample-pdfs" / "minimal-document.pdf",
        files / "Inovasi Lama 004" / "anggaran" / "DPA.pdf",
    )
    # Broken rows: an impossible date, an unknown unit, and files of an unknown indicator
    # (that row's innovation must not be created without them).
    rows[10][5] = "31/02/2021"
    rows[20][0] = "Dinas Pariwisata"
    rows[30][7] = "Rusak"
    (files / "Rusak" / "bukan_indikator").mkdir(parents=True)
    shutil.copy(SAMPLE_PDF, files / "Rusak" / "bukan_indikator" / "a.pdf")
    sheet = national_sheet(tmp_path / "inovasi-2020-2022.xlsx", rows)

    dry = run("import-legacy", sheet, "--files", files, "--mapping", MAPPING, "--dry-run")
    assert dry.exit_code == 1, dry.output
    assert "97 baris akan diimpor" in dry.output
    assert query(env, lambda: Innovation.all().count()) == 0  # a dry run changes nothing

    result = run("import-legacy", sheet, "--files", files, "--mapping", MAPPING)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "97 baris diimpor, 0 dilewati, 3 gagal" in out
    # Numbered as the spreadsheet shows them: the header is row 1.
    assert "row 12: tanggal '31/02/2021' tidak dikenali" in out
    assert "row 22: unit: 'Dinas Pariwisata' tidak dikenal" in out
    assert "row 32: folder Rusak/bukan_indikator: kode indikator tidak dikenal" in out

    async def imported():
        names = await Innovation.all().values_list("name", flat=True)
        third = await Innovation.get(name="Inovasi Lama 002").prefetch_related("unit")
        files = await Evidence.filter(innovation_id=third.id).order_by("indicator")
        fourth = await Innovation.get(name="Inovasi Lama 003")
        queued = await Job.filter(kind="extract").count()
        audited = await AuditEvent.filter(action="import").count()
        return names, third, files, fourth, queued, audited

    names, third, evidence, fourth, queued, audited = query(env, imported)
    assert len(names) == 97 and audited == 97
    assert {"Inovasi Lama 010", "Inovasi Lama 020", "Inovasi Lama 030"}.isdisjoint(names)
    assert (third.year, third.unit.code, third.status) == (2022, "DISDIK", "draft")
    assert (third.stage, third.type, third.budget) == ("penerapan", "non digital", 3_500_000)
    assert third.trial_date == date(2022, 3, 3)
    assert [(e.indicator, e.filename) for e in evidence] == [
        ("regulasi", "SK Bupati 2020.pdf"), ("sdm", "SK Tim.docx")]  # fmt: skip
    assert fourth.budget == 4_500_000
    assert queued == 3  # every imported file waits to be read

    # A second run adds nothing: every good row is already there.
    again = run("import-legacy", sheet, "--files", files, "--mapping", MAPPING)
    assert "0 baris diimpor, 97 dilewati, 3 gagal" in " ".join(again.output.split())
    assert query(env, lambda: Innovation.all().count()) == 97


def test_a_csv_from_indonesian_excel_with_the_api_field_names(env, tmp_path):
    sheet = tmp_path / "lama.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["unit", "year", "name", "stage", "trial_date", "implementation_date"])
        writer.writerow(["dinkes", "2021", "Posyandu Keliling", "uji coba", "01-03-2021", ""])
        # Implementation before the trial: the API's own rule, in Indonesian.
        writer.writerow(["DINKES", "2021", "Salah Urut", "", "2021-05-01", "2021-04-01"])
    result = run("import-legacy", sheet)
    out = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "1 baris diimpor" in out
    assert "row 3: implementation_date: Waktu penerapan tidak boleh sebelum waktu uji coba" in out
    posyandu = query(env, lambda: Innovation.get(name="Posyandu Keliling"))
    assert (posyandu.year, posyandu.trial_date) == (2021, date(2021, 3, 1))


def test_what_cannot_be_read_is_refused_before_anything_is_stored(env, tmp_path):
    sheet = tmp_path / "tanpa-judul.csv"
    sheet.write_text("Kolom A;Kolom B\nx;y\n", encoding="utf-8")
    missing = run("import-legacy", sheet)
    assert missing.exit_code == 1
    assert "unit, year dan name" in missing.output
    odd = tmp_path / "inovasi.ods"
    odd.write_bytes(b"PK\x03\x04")
    assert "hanya XLSX atau CSV" in run("import-legacy", odd).output
    bad_map = tmp_path / "peta.yaml"
    bad_map.write_text("Nama: nama_inovasi\n", encoding="utf-8")
    refused = run("import-legacy", sheet, "--mapping", bad_map)
    assert refused.exit_code == 1 and "isian tidak dikenal" in refused.output
    # A folder named in the sheet may not lead outside the files folder.
    escape = tmp_path / "keluar.csv"
    escape.write_text("unit;year;name;folder\nDINKES;2021;Keluar;../../etc\n", encoding="utf-8")
    (tmp_path / "berkas").mkdir()
    result = run("import-legacy", escape, "--files", tmp_path / "berkas")
    assert "row 2: folder: '../../etc' berada di luar folder berkas" in " ".join(
        result.output.split()
    )
    assert query(env, lambda: Innovation.all().count()) == 0


def test_our_own_national_package_profile_imports_back_with_the_example_mapping(env, tmp_path):
    from archive.exports import to_csv
    from archive.services.export import PROFILE_COLUMNS

    profile = {
        "id": 7, "unit": "DINKES", "unit_name": "Dinas Kesehatan", "year": 2022,
        "status": "verified", "name": "Ambulans Desa", "stage": "penerapan",
        "initiator": "Kepala Daerah", "initiator_name": "Bupati", "type": "digital",
        "form": "Inovasi Pelayanan Publik", "thematic": "Stunting", "affairs": "Kesehatan",
        "classification": "Pelayanan", "latitude": -2.32, "longitude": 115.45,
        "trial_date": "2021-02-01", "implementation_date": "2022-01-10",
        "development_date": None, "design": "Rancang bangun.", "goals": "Tujuan.",
        "benefits": "Manfaat.", "results": "Hasil.", "budget": 25_000_000, "made_by": "OPD",
    }  # fmt: skip
    sheet = tmp_path / "profil.csv"
    sheet.write_bytes(
        to_csv([label for _, label in PROFILE_COLUMNS], [[profile[k] for k, _ in PROFILE_COLUMNS]])
    )
    result = run("import-legacy", sheet, "--mapping", MAPPING)
    assert result.exit_code == 0, result.output
    back = query(env, lambda: Innovation.get(name="Ambulans Desa").prefetch_related("unit"))
    for key in ("year", "stage", "initiator", "initiator_name", "type", "form", "thematic",
                "affairs", "classification", "latitude", "longitude", "design", "goals",
                "benefits", "results", "budget", "made_by"):  # fmt: skip
        assert getattr(back, key) == profile[key], key
    assert back.unit.code == "DINKES"
    assert (back.trial_date, back.implementation_date) == (date(2021, 2, 1), date(2022, 1, 10))
    assert back.status == "draft"  # an import is a draft of its year, whatever it was
