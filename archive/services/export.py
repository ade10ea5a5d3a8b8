"""The package for the national portal: a ZIP of evidence files with a ``manifest.json``."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from archive import runtime
from archive.models import Evidence, Innovation, Review, ReviewState, Unit, Verdict
from archive.services.inputs import effective_facts
from archive.settings import Settings
from archive.storage import BlobStore
from archive.timeutil import utcnow

MANIFEST_VERSION = 1


def _slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:limit] or "x"


async def _accepted(innovation_id: int) -> set[str]:
    """Indicators a verifier accepted, on the evidence still on file."""
    rows = await Review.filter(
        innovation_id=innovation_id, verdict=Verdict.SESUAI, state=ReviewState.DONE
    ).values_list("indicator", flat=True)
    return set(rows)


async def build_package(
    settings: Settings,
    *,
    year: int | None,
    unit: str | None,
    innovation_id: int | None,
    include: str,
) -> Path:
    """Write the ZIP to a temporary file and return its path (the caller removes it)."""
    query = Innovation.all()
    if year is not None:
        query = query.filter(year=year)
    if unit:
        query = query.filter(unit__code=unit)
    if innovation_id is not None:
        query = query.filter(id=innovation_id)
    innovations = await query.order_by("unit_id", "id")
    units = {u.id: u for u in await Unit.all()}
    store = BlobStore(settings.blob_dir)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (handed to the response, removed after)
        prefix="ekspor-", suffix=".zip", dir=settings.data_dir, delete=False
    )
    handle.close()
    path = Path(handle.name)
    manifest: dict[str, Any] = {
        "version": MANIFEST_VERSION,
        "generated_at": utcnow().isoformat(),
        "region": runtime.region,
        "year": year,
        "include": include,
        "innovations": [],
    }
    # Evidence files are already compressed (PDF, JPEG, DOCX): store them as they are.
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as package:
        for innovation in innovations:
            unit_row = units[innovation.unit_id]
            accepted = await _accepted(innovation.id) if include == "verified" else None
            folder = f"{unit_row.code}/{innovation.id}-{_slug(innovation.name)}"
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
                    name = (
                        f"{folder}/{row.indicator}/{row.id}-{_slug(row.filename or 'berkas', 80)}"
                    )
                    suffix = Path(row.filename or "").suffix.lower()
                    name += suffix if suffix and len(suffix) <= 6 else ""
                    package.write(store.path(row.blob_id), arcname=name)
                    item["path"] = name
                entry["evidence"].append(item)
            manifest["innovations"].append(entry)
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return path
