"""Keeping the archive whole: fsck, and consistent backups and restores of database and blobs."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive import __version__
from archive.errors import BadInput, Conflict
from archive.models import Blob
from archive.settings import Settings
from archive.storage import BlobStore, FsckReport
from archive.timeutil import utcnow

MANIFEST = "manifest.json"
DB_MEMBER = "sepeda.sqlite3"
FORMAT = 1

Progress = Callable[[int, int], None]


async def fsck(settings: Settings, progress: Progress | None = None) -> FsckReport:
    """Re-hash every blob and compare with what the database knows."""
    known = set(await Blob.all().values_list("sha256", flat=True))
    return BlobStore(settings.blob_dir).fsck(known, progress=progress)


# An unreferenced blob younger than this may belong to an upload still being committed.
ORPHAN_GRACE_S = 3600
QUARANTINE_DIR = "quarantine"


def split_orphans(
    settings: Settings, orphaned: list[str], grace_s: float = ORPHAN_GRACE_S
) -> tuple[list[str], list[str]]:
    """(old, recent): unreferenced blobs older than ``grace_s`` were left by an upload a crash
    cut off; younger ones may belong to an upload still being committed."""
    store = BlobStore(settings.blob_dir)
    now = time.time()
    old: list[str] = []
    recent: list[str] = []
    for sha in orphaned:
        try:
            age = now - store.path(sha).stat().st_mtime
        except FileNotFoundError:
            continue  # committed or moved meanwhile
        (recent if age < grace_s else old).append(sha)
    return old, recent


def quarantine_orphans(
    settings: Settings, orphaned: list[str], grace_s: float = ORPHAN_GRACE_S
) -> tuple[list[str], list[str]]:
    """Move unreferenced blobs older than ``grace_s`` to ``<data dir>/quarantine/`` (left by
    uploads a crash cut off before their row was written); never delete them.

    Returns (moved, left because too recent).
    """
    store = BlobStore(settings.blob_dir)
    target = settings.data_dir / QUARANTINE_DIR
    old, recent = split_orphans(settings, orphaned, grace_s)
    moved = []
    for sha in old:
        target.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.replace(store.path(sha), target / sha)
            moved.append(sha)
    return moved, recent


@dataclass(frozen=True)
class IndexReport:
    """Documents the database has but the index lacks, and the other way round."""

    missing: list[str]
    extra: list[str]
    pending_jobs: int
    # No index yet, or one of an older schema: the worker rebuilds it when the server starts.
    needs_rebuild: bool = False

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


async def check_index(settings: Settings) -> IndexReport:
    """Compare the search index with the documents the database says it should hold.

    Objects with index jobs still waiting are left out: the worker has yet to apply them.
    """
    from archive.models import Job, JobKind, JobState
    from archive.search_engine import open_search
    from archive.services.search import document_batches

    pending = await Job.filter(kind=JobKind.INDEX, state__in=[JobState.PENDING,
                                                              JobState.RUNNING]).values_list(
        "ref", flat=True
    )  # fmt: skip
    waiting = set(pending)
    expected = {doc["doc_id"] async for docs in document_batches() for doc in docs}
    index = await open_search(settings, writer=False)
    try:
        if await index.state() != "ok":
            return IndexReport([], [], len(waiting), needs_rebuild=True)
        actual = await index.doc_ids()
    finally:
        await index.close()

    def settled(doc_id: str) -> bool:
        ref = doc_id.split("p", 1)[0] if doc_id.startswith("e") else doc_id
        return ref not in waiting

    missing = sorted(d for d in expected - actual if settled(d))
    extra = sorted(d for d in actual - expected if settled(d))
    return IndexReport(missing, extra, len(waiting))


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    blobs: int
    bytes: int


def backup(settings: Settings, target: Path, progress: Progress | None = None) -> BackupSummary:
    """Write database and blobs to one tar file, consistent while the server runs.

    The database is copied first with SQLite's online backup; blobs are immutable and written
    before the rows that point at them, so every blob the copy refers to already exists.
    """
    if not settings.is_sqlite:
        raise BadInput(
            "Cadangan basis data PostgreSQL dibuat dengan pg_dump, misalnya "
            "`pg_dump --format=custom -f sepeda.dump NAMA_DB`; folder blobs/ dicadangkan "
            "terpisah (isinya tidak pernah berubah, cukup disalin)."
        )
    target = target.resolve()
    if target.exists():
        raise Conflict(f"Berkas {target} sudah ada; pilih nama lain.")
    store = BlobStore(settings.blob_dir)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        db_copy = Path(tmp) / DB_MEMBER
        _sqlite_online_copy(settings.db_url.removeprefix("sqlite://"), db_copy)
        shas = list(store.iter_shas())
        manifest = {
            "format": FORMAT,
            "version": __version__,
            "created_at": utcnow().isoformat(),
            "database": "sqlite",
            "blobs": len(shas),
        }
        partial = target.with_name(target.name + ".partial")
        total = 0
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(db_copy, arcname=DB_MEMBER)
            for done, sha in enumerate(shas, 1):
                path = store.path(sha)
                total += path.stat().st_size
                tar.add(path, arcname=f"blobs/{sha}")
                if progress:
                    progress(done, len(shas))
        partial.replace(target)
    return BackupSummary(target, len(shas), total)


def _sqlite_online_copy(source: str, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def restore(settings: Settings, source: Path, progress: Progress | None = None) -> BackupSummary:
    """Restore a backup into an empty data dir, checking every blob against its hash."""
    if not settings.is_sqlite:
        raise BadInput(
            "Pulihkan basis data PostgreSQL dengan pg_restore; perintah ini memulihkan ke SQLite."
        )
    db_path = Path(settings.db_url.removeprefix("sqlite://"))
    if db_path.exists() or any(BlobStore(settings.blob_dir).iter_shas()):
        raise Conflict(
            f"Folder data {settings.data_dir} tidak kosong; pulihkan ke folder data yang kosong."
        )
    store = BlobStore(settings.blob_dir)
    count = total = 0
    try:
        tar = tarfile.open(source, "r")  # noqa: SIM115 (closed by the with-block below)
    except (OSError, tarfile.TarError) as exc:
        raise BadInput(f"Berkas cadangan tidak dapat dibaca: {exc}") from None
    with tar:
        members = tar.getmembers()
        names = {m.name for m in members}
        if MANIFEST not in names or DB_MEMBER not in names:
            raise BadInput(
                "Berkas ini bukan cadangan SEPEDA BARU (manifest atau basis data hilang)."
            )
        manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        if manifest.get("format") != FORMAT:
            raise BadInput(f"Format cadangan {manifest.get('format')} tidak dikenal.")
        blob_members = [m for m in members if m.name.startswith("blobs/") and m.isfile()]
        for done, member in enumerate(blob_members, 1):
            sha = member.name.removeprefix("blobs/")
            with tar.extractfile(member) as data:  # type: ignore[union-attr]
                ref = store.put_stream(data)
            if ref.sha256 != sha:
                raise BadInput(f"Blob {sha} dalam cadangan rusak (isi tidak sesuai hash).")
            count += 1
            total += ref.size
            if progress:
                progress(done, len(blob_members))
        db_path.parent.mkdir(parents=True, exist_ok=True)
        partial = db_path.with_name(db_path.name + ".partial")
        with tar.extractfile(DB_MEMBER) as data, partial.open("wb") as out:  # type: ignore[union-attr]
            while chunk := data.read(1 << 20):
                out.write(chunk)
        partial.replace(db_path)
    return BackupSummary(source, count, total)
