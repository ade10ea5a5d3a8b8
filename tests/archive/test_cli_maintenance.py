"""``sepeda ingest``, ``fsck``, ``backup`` and ``restore`` against real files and databases."""

import asyncio
import hashlib
import os

import pytest
from typer.testing import CliRunner

from archive.cli import app as cli
from archive.db import close_database, open_database
from archive.models import Blob, Evidence, Innovation, Unit, UnitKind
from archive.settings import load_settings
from archive.storage import BlobStore
from tests.documents import docx_bytes, image_bytes, pdf_bytes

runner = CliRunner()


def run(*args: str):
    return runner.invoke(cli, list(args))


def in_db(settings, work):
    async def go():
        await open_database(settings)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(go())


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A SQLite data dir with one innovation, as the CLI sees it through SEPEDA_* variables."""
    settings = load_settings(data_dir=tmp_path / "data")
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("SEPEDA_DATABASE_URL", raising=False)

    async def seed() -> int:
        unit = await Unit.create(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.SKPD)
        return (await Innovation.create(year=2026, unit=unit, name="Posyandu Aktif")).id

    return settings, in_db(settings, seed)


def files(tmp_path):
    contents = {
        "sk-bupati.pdf": pdf_bytes("KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/1/2026"),
        "daftar-hadir.docx": docx_bytes("Daftar hadir"),
        "foto.jpg": image_bytes("JPEG"),
    }
    paths = []
    for name, content in contents.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(path)
    return paths, contents


def test_ingest_adds_each_file_with_a_progress_report(env, tmp_path):
    settings, innovation_id = env
    paths, contents = files(tmp_path)
    result = run("ingest", *map(str, paths), "--innovation", str(innovation_id),
                 "--indicator", "sosialisasi")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 berkas ditambahkan" in result.output

    async def check():
        rows = await Evidence.filter(innovation_id=innovation_id).order_by("id")
        return [(r.filename, r.indicator, r.blob_id) for r in rows]

    rows = in_db(settings, check)
    assert [r[0] for r in rows] == [p.name for p in paths]
    assert {r[1] for r in rows} == {"sosialisasi"}
    for name, _, sha in rows:
        assert sha == hashlib.sha256(contents[name]).hexdigest()


def test_ingest_reports_bad_files_and_keeps_the_good_ones(env, tmp_path):
    settings, innovation_id = env
    # A folder deep enough that each report line is longer than a terminal is wide: the
    # names must still be printed whole, so an operator can copy them.
    folder = tmp_path / ("arsip-dinas-kesehatan-" * 6)
    folder.mkdir()
    good = folder / "sk.pdf"
    good.write_bytes(pdf_bytes("SK"))
    bad = folder / "halaman.pdf"
    bad.write_bytes(b"<html><body>bukan pdf</body></html>")
    result = run("ingest", str(good), str(bad), str(folder / "hilang.pdf"),
                 "--innovation", str(innovation_id), "--indicator", "regulasi")  # fmt: skip
    assert result.exit_code == 1
    assert str(bad) in result.output and str(folder / "hilang.pdf") in result.output
    assert in_db(settings, lambda: Evidence.all().count()) == 1


def test_ingest_refuses_an_unknown_indicator_or_innovation(env, tmp_path):
    settings, innovation_id = env
    paths, _ = files(tmp_path)
    wrong = run("ingest", str(paths[0]), "--innovation", str(innovation_id), "--indicator", "x")
    assert wrong.exit_code == 1
    assert "tidak dikenal" in wrong.output
    missing = run("ingest", str(paths[0]), "--innovation", "999", "--indicator", "regulasi")
    assert missing.exit_code == 1
    assert in_db(settings, lambda: Evidence.all().count()) == 0


def test_fsck_finds_corrupt_missing_and_orphaned_blobs(env, tmp_path):
    settings, innovation_id = env
    paths, contents = files(tmp_path)
    run("ingest", *map(str, paths), "--innovation", str(innovation_id), "--indicator", "bimtek")
    clean = run("fsck")
    assert clean.exit_code == 0, clean.output
    assert "3 blob diperiksa" in clean.output

    store = BlobStore(settings.blob_dir)
    pdf_sha = hashlib.sha256(contents["sk-bupati.pdf"]).hexdigest()
    jpg_sha = hashlib.sha256(contents["foto.jpg"]).hexdigest()
    corrupt = store.path(pdf_sha)
    corrupt.chmod(0o600)
    data = bytearray(corrupt.read_bytes())
    data[20] ^= 0xFF  # one flipped byte, as a failing disk would
    corrupt.write_bytes(bytes(data))
    store.path(jpg_sha).unlink()
    orphan = store.put_bytes(b"tidak dirujuk basis data")

    result = run("fsck")
    assert result.exit_code == 1
    assert f"RUSAK {pdf_sha}" in result.output
    assert f"HILANG {jpg_sha}" in result.output
    assert orphan.sha256 in result.output


def test_backup_and_restore_reproduce_every_record_and_byte(env, tmp_path, monkeypatch):
    settings, innovation_id = env
    paths, contents = files(tmp_path)
    run("ingest", *map(str, paths), "--innovation", str(innovation_id), "--indicator", "bimtek")
    archive_file = tmp_path / "cadangan.tar"
    made = run("backup", str(archive_file))
    assert made.exit_code == 0, made.output
    assert run("backup", str(archive_file)).exit_code == 1  # never overwrites

    restored_dir = tmp_path / "pulih"
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(restored_dir))
    result = run("restore", str(archive_file))
    assert result.exit_code == 0, result.output
    assert run("restore", str(archive_file)).exit_code == 1  # only into an empty data dir

    restored = load_settings(data_dir=restored_dir)

    async def snapshot():
        rows = await Evidence.all().order_by("id").values("id", "filename", "blob_id", "indicator")
        blobs = await Blob.all().order_by("sha256").values_list("sha256", flat=True)
        names = await Innovation.all().values_list("name", flat=True)
        return rows, blobs, names

    assert in_db(restored, snapshot) == in_db(settings, snapshot)
    store = BlobStore(restored.blob_dir)
    for content in contents.values():
        sha = hashlib.sha256(content).hexdigest()
        assert store.path(sha).read_bytes() == content
    assert run("fsck").exit_code == 0


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, monkeypatch):
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "kosong"))
    junk = tmp_path / "junk.tar"
    junk.write_bytes(os.urandom(2048))
    result = run("restore", str(junk))
    assert result.exit_code == 1
    assert not (tmp_path / "kosong" / "sepeda.sqlite3").exists()


def test_backup_on_postgres_explains_pg_dump(tmp_path):
    from archive.errors import BadInput
    from archive.services.maintenance import backup
    from archive.settings import Settings

    on_postgres = Settings(data_dir=tmp_path, database_url="postgres://u@127.0.0.1:5432/sepeda")
    with pytest.raises(BadInput, match="pg_dump"):
        backup(on_postgres, tmp_path / "x.tar")
    assert not (tmp_path / "x.tar").exists()


@pytest.mark.slow
def test_extract_reads_documents_again_with_a_summary(env, tmp_path):
    settings, innovation_id = env
    paths, _ = files(tmp_path)
    run("ingest", *map(str, paths), "--innovation", str(innovation_id), "--indicator", "bimtek")
    assert run("extract").exit_code == 2
    result = run("extract", "--all")
    assert result.exit_code == 0, result.output
    assert "Selesai" in result.output

    async def statuses():
        return sorted(await Blob.all().values_list("extraction_status", flat=True))

    assert "pending" not in in_db(settings, statuses)
    assert "done" in in_db(settings, statuses)
    assert run("extract", "--evidence", "999").exit_code == 1
    assert run("extract", "--failed").exit_code == 0


def test_fsck_repair_puts_old_orphans_aside_and_leaves_a_clean_archive(env, tmp_path):
    settings, innovation_id = env
    paths, _ = files(tmp_path)
    run("ingest", *map(str, paths), "--innovation", str(innovation_id), "--indicator", "bimtek")
    store = BlobStore(settings.blob_dir)
    # What a crash between writing the bytes and committing the row leaves behind, a day ago.
    orphan = store.put_bytes(b"unggahan yang terputus")
    day_ago = os.path.getmtime(store.path(orphan.sha256)) - 86_400
    os.utime(store.path(orphan.sha256), (day_ago, day_ago))
    # And one a minute old: perhaps an upload still being committed, so it stays.
    fresh = store.put_bytes(b"unggahan yang sedang berjalan")

    repaired = run("fsck", "--repair")
    assert f"DIKARANTINA {orphan.sha256}" in repaired.output
    assert (settings.data_dir / "quarantine" / orphan.sha256).read_bytes() == (
        b"unggahan yang terputus"
    )  # kept, never deleted
    assert not store.path(orphan.sha256).exists()
    # The young one is noted, not a fault: an upload may still be committing it.
    assert repaired.exit_code == 0, repaired.output
    assert f"BARU {fresh.sha256}" in repaired.output
    assert run("fsck").exit_code == 0
    # Once it is older than the grace, plain fsck counts it (exit 1) until --repair.
    hour_ago = os.path.getmtime(store.path(fresh.sha256)) - 7_200
    os.utime(store.path(fresh.sha256), (hour_ago, hour_ago))
    stale = run("fsck")
    assert stale.exit_code == 1 and fresh.sha256 in stale.output and "YATIM" in stale.output
    assert run("fsck", "--repair").exit_code == 0
    assert run("fsck").exit_code == 0
