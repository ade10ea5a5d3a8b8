"""The package for the national portal: evidence files, the profiles and a ``manifest.json``.

The database is read first (what goes in, where, how big); the ZIP is then written in a worker
thread, each file copied in chunks, so a 5 GB package neither sits in memory nor blocks the
event loop. It is written beside its destination under a temporary name and renamed when
complete: a failure (a full disk, a killed process) never leaves a half-written package under
the real name. Names inside are ASCII, short, and never one Windows refuses.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread

from archive import runtime
from archive.errors import NoSpace, NotFound
from archive.exports import to_csv
from archive.models import Evidence, Innovation, Review, ReviewState, Unit, Verdict
from archive.services.inputs import effective_facts
from archive.settings import Settings
from archive.storage import BlobStore
from archive.timeutil import jsonable, utcnow

MANIFEST_VERSION = 2
CHUNK = 1024 * 1024
# Room the archive's own structures take beyond the files (headers, directory, manifest).
OVERHEAD_PER_FILE = 512
SPARE_BYTES = 16 * 1024 * 1024
# Device names Windows refuses as a file or folder name, with or without an extension.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in range(1, 10)
}
# The national profile form's columns, in its order (iid-index.md §5), after who and when.
PROFILE_COLUMNS: list[tuple[str, str]] = [
    ("id", "ID"), ("unit", "Kode unit"), ("unit_name", "Perangkat daerah"), ("year", "Tahun"),
    ("status", "Status"), ("name", "Nama inovasi"), ("stage", "Tahapan"),
    ("initiator", "Inisiator"), ("initiator_name", "Nama inisiator"), ("type", "Jenis"),
    ("form", "Bentuk"), ("thematic", "Tematik"), ("affairs", "Urusan pemerintahan"),
    ("classification", "Klasifikasi"), ("latitude", "Lintang"), ("longitude", "Bujur"),
    ("trial_date", "Waktu uji coba"), ("implementation_date", "Waktu penerapan"),
    ("development_date", "Waktu pengembangan"), ("design", "Rancang bangun"),
    ("goals", "Tujuan"), ("benefits", "Manfaat"), ("results", "Hasil inovasi"),
    ("budget", "Anggaran (Rp)"), ("made_by", "Pembuat"),
]  # fmt: skip
Progress = Callable[[int, int], None]


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name every system accepts: ASCII words, never a Windows device."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:limit].strip("-") or "x"
    return f"{name}-" if name.upper() in WINDOWS_RESERVED else name


@dataclass(frozen=True)
class PackedFile:
    source: Path
    arcname: str
    size: int


@dataclass
class PackagePlan:
    """What the package will hold, read from the database before anything is written."""

    manifest: dict[str, Any]
    files: list[PackedFile] = field(default_factory=list)
    profiles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def expected_size(self) -> int:
        manifest = len(json.dumps(self.manifest, ensure_ascii=False)) * 2
        return self.total_bytes + OVERHEAD_PER_FILE * (len(self.files) + 3) + manifest


async def _accepted(innovation_id: int) -> set[str]:
    """Indicators a verifier accepted, on the evidence still on file."""
    rows = await Review.filter(
        innovation_id=innovation_id, verdict=Verdict.SESUAI, state=ReviewState.DONE
    ).values_list("indicator", flat=True)
    return set(rows)


def _profile(innovation: Innovation, unit: Unit) -> dict[str, Any]:
    values = {
        key: jsonable(getattr(innovation, key, None))
        for key, _ in PROFILE_COLUMNS
        if key not in {"unit", "unit_name", "status"}
    }
    return {**values, "unit": unit.code, "unit_name": unit.name, "status": str(innovation.status)}


async def plan_package(
    settings: Settings,
    *,
    year: int | None,
    unit: str | None,
    innovation_id: int | None,
    include: str,
) -> PackagePlan:
    query = Innovation.all()
    if year is not None:
        query = query.filter(year=year)
    if unit:
        if not await Unit.exists(code=unit):
            raise NotFound(f"Unit '{unit}' tidak dikenal.")
        query = query.filter(unit__code=unit)
    if innovation_id is not None:
        query = query.filter(id=innovation_id)
    innovations = await query.order_by("unit_id", "id")
    units = {u.id: u for u in await Unit.all()}
    store = BlobStore(settings.blob_dir)
    plan = PackagePlan(
        manifest={
            "version": MANIFEST_VERSION,
            "generated_at": utcnow().isoformat(),
            "region": runtime.region,
            "year": year,
            "unit": unit,
            "include": include,
            "profiles": ["profil.json", "profil.csv"],
            "innovations": [],
        }
    )
    for innovation in innovations:
        unit_row = units[innovation.unit_id]
        plan.profiles.append(_profile(innovation, unit_row))
        accepted = await _accepted(innovation.id) if include == "verified" else None
        folder = f"{safe_name(unit_row.code, 32)}/{innovation.id}-{safe_name(innovation.name)}"
        entry: dict[str, Any] = {
            "id": innovation.id,
            "name": innovation.name,
            "unit": unit_row.code,
            "unit_name": unit_row.name,
            "year": innovation.year,
            "status": str(innovation.status),
            "stage": innovation.stage,
            "type": innovation.type,
            "evidence": [],
        }
        rows = await Evidence.filter(
            innovation_id=innovation.id, is_current=True, deleted_at=None
        ).order_by("indicator", "id")
        for row in rows:
            if accepted is not None and row.indicator not in accepted:
                continue
            item = {
                "evidence_id": row.id,
                "indicator": row.indicator,
                "filename": row.filename,
                "url": row.url,
                "sha256": row.blob_id,
                "size": row.size,
                "facts": effective_facts(row).model_dump(exclude={"corrected"}),
                "path": None,
            }
            if row.blob_id and store.exists(row.blob_id):
                original = Path(row.filename or "berkas")
                suffix = original.suffix.lower()
                suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
                indicator = safe_name(row.indicator, 40)
                name = f"{folder}/{indicator}/{row.id}-{safe_name(original.stem, 80)}{suffix}"
                source = store.path(row.blob_id)
                plan.files.append(PackedFile(source, name, source.stat().st_size))
                item["path"] = name
            entry["evidence"].append(item)
        plan.manifest["innovations"].append(entry)
    return plan


def check_space(plan: PackagePlan, directory: Path) -> None:
    free = shutil.disk_usage(directory).free
    needed = plan.expected_size() + SPARE_BYTES
    if free < needed:
        raise NoSpace(
            f"Ruang disk tidak cukup untuk paket ini: perlu sekitar {needed // 2**20} MB, "
            f"tersedia {free // 2**20} MB di {directory}. Kosongkan ruang atau pilih tempat lain."
        )


def write_package(plan: PackagePlan, target: Path, progress: Progress | None = None) -> Path:
    """Write the ZIP to ``target`` through a temporary file beside it (blocking; use a thread)."""
    check_space(plan, target.parent)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed into place, or removed)
        prefix=".sepeda-paket-", suffix=".part", dir=target.parent, delete=False
    )
    part = Path(handle.name)
    total, done = plan.total_bytes, 0
    try:
        # Evidence files are already compressed (PDF, JPEG, DOCX): store them as they are.
        with handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as package:
            for item in plan.files:
                info = zipfile.ZipInfo.from_file(item.source, arcname=item.arcname)
                with (
                    item.source.open("rb") as source,
                    package.open(info, "w", force_zip64=True) as out,
                ):
                    while chunk := source.read(CHUNK):
                        out.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
            columns = [key for key, _ in PROFILE_COLUMNS]
            package.writestr("profil.json", json.dumps(plan.profiles, ensure_ascii=False, indent=2))
            package.writestr(
                "profil.csv",
                to_csv([label for _, label in PROFILE_COLUMNS],
                       ([p.get(c) for c in columns] for p in plan.profiles)),
            )  # fmt: skip
            package.writestr(
                "manifest.json", json.dumps(plan.manifest, ensure_ascii=False, indent=2)
            )
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno == 28:  # ENOSPC: the disk filled while writing
            raise NoSpace("Ruang disk habis saat menulis paket; paket tidak disimpan.") from exc
        raise
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if progress:
        progress(total, total)
    return target


async def build_package(
    settings: Settings,
    *,
    year: int | None,
    unit: str | None,
    innovation_id: int | None,
    include: str,
    target: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the package (to ``target``, or a temporary file the caller removes) off the loop."""
    plan = await plan_package(
        settings, year=year, unit=unit, innovation_id=innovation_id, include=include
    )
    if target is None:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (handed to the response)
            prefix="ekspor-", suffix=".zip", dir=settings.data_dir, delete=False
        )
        handle.close()
        target = Path(handle.name)
    return await anyio.to_thread.run_sync(write_package, plan, target, progress)
