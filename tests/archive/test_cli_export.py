"""``sepeda export``: the national-portal package from the terminal, whole or not at all."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
import zipfile
from collections import namedtuple

import pytest
from typer.testing import CliRunner

from archive.cli import app as cli
from archive.db import close_database, open_database
from archive.models import Evidence, Innovation, Unit, UnitKind
from archive.services import export
from archive.services.evidence import record_blob
from archive.storage import BlobStore
from tests.conftest import PG_URL, need
from tests.documents import pdf_bytes

runner = CliRunner()
# Names a Windows user could not unpack: a device name, reserved characters, a trailing dot.
HOSTILE = ["CON.pdf", 'SK: "final" <v2>?.pdf', "laporan akhir..pdf"]


@pytest.fixture
def archive_with_files(settings, monkeypatch):
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SEPEDA_DATABASE_URL", PG_URL)
    store = BlobStore(settings.blob_dir)

    async def fill() -> None:
        await open_database(settings)
        try:
            unit = await Unit.create(code="AUX", name="Bagian Umum", kind=UnitKind.SKPD)
            other = await Unit.create(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.SKPD)
            innovation = await Innovation.create(
                year=2026, unit=unit, name="NUL", stage="penerapan", design="Rancang bangun."
            )
            await Innovation.create(year=2026, unit=other, name="Posyandu Aktif")
            await Innovation.create(year=2025, unit=unit, name="Tahun lalu")
            for n, name in enumerate(HOSTILE):
                blob = store.put_bytes(pdf_bytes([f"Dokumen {n}"]))
                await record_blob(blob, "application/pdf", queue="unit:1")
                await Evidence.create(
                    innovation=innovation, indicator="regulasi", blob_id=blob.sha256,
                    filename=name, media_type="application/pdf", size=blob.size,
                )  # fmt: skip
        finally:
            await close_database()

    asyncio.run(fill())
    return settings


def test_export_writes_a_zip_that_unzip_accepts(archive_with_files, tmp_path):
    out = tmp_path / "keluar"
    out.mkdir()
    target = out / "paket.zip"
    result = runner.invoke(
        cli, ["export", "--year", "2026", "--unit", "AUX", "--include", "all", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "1 inovasi, 3 berkas" in " ".join(result.output.split())
    need(shutil.which("unzip") is not None, "unzip is not installed")
    tested = subprocess.run(["unzip", "-t", str(target)], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout
    with zipfile.ZipFile(target) as package:
        manifest = json.loads(package.read("manifest.json"))
        (entry,) = manifest["innovations"]
        assert entry["name"] == "NUL" and entry["unit"] == "AUX"
        for item in entry["evidence"]:
            assert hashlib.sha256(package.read(item["path"])).hexdigest() == item["sha256"]
        for name in package.namelist():
            for part in name.split("/"):
                stem = part.split(".")[0].upper()
                assert stem not in export.WINDOWS_RESERVED, name
                assert not set(part) & set('<>:"\\|?*') and not part.endswith((".", " ")), name
        profile = package.read("profil.csv").decode("utf-8-sig").splitlines()
        assert len(profile) == 2 and profile[1].split(",")[5] == "NUL"
    assert [p.name for p in out.iterdir()] == ["paket.zip"]  # no temporary file left


def test_export_refuses_to_overwrite_and_leaves_nothing_when_the_disk_is_full(
    archive_with_files, tmp_path, monkeypatch
):
    out = tmp_path / "keluar"
    out.mkdir()
    existing = out / "ada.zip"
    existing.write_bytes(b"jangan ditimpa")
    refused = runner.invoke(cli, ["export", str(existing)])
    assert refused.exit_code == 1 and "--force" in " ".join(refused.output.split())
    assert existing.read_bytes() == b"jangan ditimpa"

    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(export.shutil, "disk_usage", lambda _: Usage(10**9, 10**9, 1024))
    full = runner.invoke(cli, ["export", "--year", "2026", str(out / "penuh.zip")])
    assert full.exit_code == 1 and "Ruang disk tidak cukup" in " ".join(full.output.split())
    assert sorted(p.name for p in out.iterdir()) == ["ada.zip"]


def test_a_year_without_innovations_still_gives_a_valid_package(archive_with_files, tmp_path):
    target = tmp_path / "kosong.zip"
    result = runner.invoke(cli, ["export", "--year", "2019", str(target)])
    assert result.exit_code == 0 and "Tidak ada inovasi" in " ".join(result.output.split())
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
        assert json.loads(package.read("manifest.json"))["innovations"] == []
