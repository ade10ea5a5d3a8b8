"""XLSX extraction: sheets as pages, values as text; bombs and entities refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from indexer.extract import XLSX, extract_file

from .zipbuild import zip_bomb


@pytest.fixture(scope="module")
def attendance_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Daftar Hadir"
    sheet.append(["No", "Nama", "Instansi", "Tanggal"])
    sheet.append([1, "Budi Santoso", "Dinas Kesehatan", dt.date(2024, 3, 5)])
    sheet.append([2, "Rina", "Puskesmas Paringin", dt.date(2024, 3, 5)])
    sheet.append([None, None, None, None])
    sheet.append([3, "Ahmad", None, None])
    budget = workbook.create_sheet("Anggaran")
    budget.append(["Kegiatan", "Pagu"])
    budget.append(["Bimtek inovasi", 12500000])
    budget.append(["Rasio", 0.25])
    budget["C2"] = "=B2*2"
    workbook.create_sheet("Kosong")
    path = tmp_path_factory.mktemp("xlsx") / "hadir.xlsx"
    workbook.save(path)
    return path


def test_sheets_are_pages(attendance_xlsx: Path) -> None:
    result = extract_file(str(attendance_xlsx), XLSX)
    assert result.status == "done", result.reason
    assert result.page_count == 3
    assert result.meta["sheets"] == ["Daftar Hadir", "Anggaran", "Kosong"]
    first, second, third = result.pages
    assert first.splitlines()[0] == "No\tNama\tInstansi\tTanggal"
    assert "1\tBudi Santoso\tDinas Kesehatan\t2024-03-05" in first
    assert "3\tAhmad" in first
    assert "\n\n" not in first  # empty rows are skipped
    assert "Bimtek inovasi\t12500000" in second
    assert "0.25" in second
    assert third == ""


def test_empty_workbook_is_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    result = extract_file(str(path), XLSX)
    assert result.status == "no_text"
    assert result.reason


def test_xlsx_bomb_refused(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", megabytes=8)
    result = extract_file(str(path), XLSX)
    assert result.status == "failed"
    assert "ZIP bomb" in (result.reason or "")


def test_entity_in_workbook_part_refused(tmp_path: Path, attendance_xlsx: Path) -> None:
    path = tmp_path / "entity.xlsx"
    with zipfile.ZipFile(attendance_xlsx) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            dst.writestr(info, data)
    result = extract_file(str(path), XLSX)
    assert result.status == "failed"
    assert "DTD" in (result.reason or "")


def test_corrupt_xlsx_fails(tmp_path: Path, attendance_xlsx: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = attendance_xlsx.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = extract_file(str(path), XLSX)
    assert result.status == "failed"
    assert result.reason
