"""Previews of evidence pages as PNG, rendered in the sandbox and kept on disk once made."""

from __future__ import annotations

import anyio.to_thread

from archive.errors import BadInput, NotFound
from archive.models import Blob, Evidence
from archive.settings import Settings
from archive.storage import BlobStore
from archive.storage.sniff import PDF
from indexer.sandbox import Crash, Supervisor
from indexer.sandbox import Job as SandboxJob

TARGET = "indexer.preview:render_page"
IMAGES = ("image/jpeg", "image/png")
MAX_PAGE = 10_000


def kind_of(media_type: str | None) -> str | None:
    """How a page shows a file: 'pdf' (page images), 'image', or None (download only)."""
    if media_type == PDF:
        return "pdf"
    if media_type in IMAGES:
        return "image"
    return None


async def page_png(
    settings: Settings, evidence: Evidence, page: int, supervisor: Supervisor | None
) -> bytes:
    """The PNG of one page of the evidence's file (1-based); 404 past the last page."""
    if evidence.blob_id is None or kind_of(evidence.media_type) is None:
        raise NotFound("Berkas ini tidak dapat dipratinjau; unduh untuk membukanya.")
    if not 1 <= page <= MAX_PAGE:
        raise BadInput("Nomor halaman tidak sah.")
    cache = settings.data_dir / "previews" / evidence.blob_id[:2] / f"{evidence.blob_id}-{page}.png"
    if cache.exists():
        return await anyio.to_thread.run_sync(cache.read_bytes)
    blob = await Blob.get(sha256=evidence.blob_id)
    if blob.page_count is not None and page > max(blob.page_count, 1):
        raise NotFound("Halaman tidak ada.")
    path = BlobStore(settings.blob_dir).path(evidence.blob_id)
    job = SandboxJob(
        id=f"preview-{evidence.blob_id[:12]}-{page}",
        path=str(path),
        media_type=evidence.media_type or "",
        options={"page": page},
        timeout_s=min(settings.extract_timeout_s, 60),
        target=TARGET,
    )
    if supervisor is not None:
        outcome = await supervisor.extract(job)
    else:
        own = Supervisor(workers=1, timeout_s=60, memory_mb=settings.extract_memory_mb)
        try:
            outcome = await own.extract(job)
        finally:
            await anyio.to_thread.run_sync(own.close)
    if isinstance(outcome, Crash):
        raise NotFound("Pratinjau halaman ini tidak dapat dibuat; unduh berkas untuk membukanya.")
    if outcome is None:
        raise NotFound("Halaman tidak ada.")

    def keep() -> None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temp = cache.with_suffix(".tmp")
        temp.write_bytes(outcome)
        temp.replace(cache)

    await anyio.to_thread.run_sync(keep)
    return outcome
