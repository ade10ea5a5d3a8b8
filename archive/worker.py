"""The background worker: owns the extraction queue (and, later, the index writer).

One per ``sepeda serve``, running in the web process's event loop; the parsing itself happens
in sandboxed child processes (``indexer.sandbox``), which return results for this worker to
store. Jobs live in the database, so a restart resumes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from archive.models import Blob, Job, JobKind
from archive.services import extraction
from archive.settings import Settings
from archive.storage import BlobStore
from indexer.extract.result import failed
from indexer.sandbox import DEFAULT_TARGET, Crash, Supervisor
from indexer.sandbox import Job as SandboxJob

log = logging.getLogger(__name__)


class Worker:
    def __init__(
        self,
        settings: Settings,
        supervisor: Supervisor | None = None,
        target: str = DEFAULT_TARGET,
    ) -> None:
        self.settings = settings
        self.target = target  # what the child runs; tests swap in misbehaving jobs
        self.store = BlobStore(settings.blob_dir)
        self.supervisor = supervisor or Supervisor(
            workers=settings.extract_workers or None,
            timeout_s=settings.extract_timeout_s,
            memory_mb=settings.extract_memory_mb,
        )
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()

    async def start(self) -> None:
        await extraction.reset_interrupted_jobs()
        self.store.cleanup_temp()
        self._task = asyncio.create_task(self._loop(), name="sepeda-worker")

    def wake(self) -> None:
        """New work was queued: look now instead of at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await asyncio.to_thread(self.supervisor.close)

    async def _loop(self) -> None:
        while True:
            try:
                done = await self.run_pending()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not stop the queue for good
                log.exception("worker loop failed; retrying")
                done = 0
            if not done:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.worker_poll_s)

    async def run_pending(self) -> int:
        """Run one batch of pending extraction jobs, as many at once as there are slots."""
        jobs = await extraction.claim_jobs(JobKind.EXTRACT, self.supervisor.workers)
        await asyncio.gather(*(self._extract(job) for job in jobs))
        return len(jobs)

    async def drain(self) -> None:
        """Run until the queue is empty (the CLI, and tests)."""
        while await self.run_pending():
            pass

    async def _extract(self, job: Job) -> None:
        blob = await Blob.get_or_none(sha256=job.ref)
        if blob is None:
            await Job.filter(id=job.id).update(state="done", last_error="blob tidak ada")
            return
        path = self.store.path(blob.sha256)
        if not path.exists():
            result = failed("berkas hilang dari penyimpanan (jalankan sepeda fsck)")
            await extraction.store_result(job, result.to_dict())
            return
        outcome = await self.supervisor.extract(
            SandboxJob(id=job.id, path=str(path), media_type=blob.media_type, target=self.target)
        )
        if isinstance(outcome, Crash):
            await extraction.record_crash(job, outcome.reason, outcome.as_failed().to_dict())
        else:
            await extraction.store_result(job, outcome.to_dict())
