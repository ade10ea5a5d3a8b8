"""The background worker: owns the extraction queue and the search index writer.

One per installation: inside ``sepeda serve`` (the web process's event loop) or on its own as
``sepeda worker`` when the web runs several processes. The parsing itself happens in sandboxed
child processes (``indexer.sandbox``), which return results for this worker to store.

Extraction has two lanes. Every file is first read in the express lane with a short budget
(``extract_express_s``); a file that needs longer goes to the long lane and is read again with
the full budget. Each slot takes its next job as soon as it is free, and one slot serves only
the express lane, so a unit's huge file never holds up another unit's reading for longer than
the express budget, whatever the long lane holds. Jobs live
in the database and are claimed with `FOR UPDATE SKIP LOCKED` and a conditional update, so a
restart resumes them and two workers never run the same job; leases renewed by a heartbeat
file (which the health check reads) hand a dead worker's jobs back to the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from archive import heartbeat, job_signal
from archive.models import Blob, Job, JobKind, JobState
from archive.search_engine import open_search
from archive.services import checklists, extraction, notifications, proposals, search
from archive.settings import Settings
from archive.storage import BlobStore
from archive.timeutil import utcnow
from indexer.extract.result import failed
from indexer.sandbox import DEFAULT_TARGET, OCR_BUDGET_SHARE, Crash, Supervisor, default_workers
from indexer.sandbox import Job as SandboxJob
from indexer.search_backend import SearchBackend, needs_rebuild

log = logging.getLogger(__name__)
# Deadline reminders are idempotent; looking once an hour is plenty.
REMINDER_INTERVAL_S = 3600


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
            # The regular slots, plus the express lane's own.
            workers=(settings.extract_workers or default_workers()) + 1,
            timeout_s=settings.extract_timeout_s,
            memory_mb=settings.extract_memory_mb,
        )
        self._task: asyncio.Task | None = None
        self._beat_task: asyncio.Task | None = None
        self._listen_task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._slot_wake = asyncio.Event()  # new files queued: the extraction slots look now
        self._stopping = False
        # The jobs this worker runs now: their lease is renewed with each heartbeat.
        self._held: set[int] = set()
        self.index: SearchBackend | None = None

    async def start(self) -> None:
        # A reader starts while the index opens, and the loop waits for it: a worker that
        # claims no file before it can read one leaves them to another worker that can, and
        # the first file after a start is read at once.
        warming = self.supervisor.warm()
        beat_age = heartbeat.age(self.settings.data_dir)
        if beat_age is None or beat_age > heartbeat.STALE_AFTER_S:
            # Jobs left "running" by a stopped worker go back to the queue; not while another
            # worker is alive, whose running jobs they would be.
            await extraction.reset_interrupted_jobs()
        self.store.cleanup_temp()
        await self.open_index()
        await asyncio.wrap_future(warming)
        self._task = asyncio.create_task(self._loop(), name="sepeda-worker")
        self._beat_task = asyncio.create_task(self._beat(), name="sepeda-worker-heartbeat")
        # Uploads to any web process (on any machine, with PostgreSQL) wake this worker.
        self._listen_task = asyncio.create_task(
            job_signal.listen(self.settings, self.wake), name="sepeda-worker-listen"
        )

    async def _beat(self) -> None:
        # Only while the loop lives: a dead loop must show as a stale heartbeat.
        while self._task is not None and not self._task.done():
            try:
                await asyncio.to_thread(heartbeat.beat, self.settings.data_dir)
                await extraction.renew_leases(self._held)
                # Jobs of a worker that died (its leases ran out) go back to the queue.
                if taken := await extraction.requeue_abandoned(heartbeat.STALE_AFTER_S):
                    log.warning("%d jobs of a stopped worker put back in the queue", taken)
            except asyncio.CancelledError:
                raise
            except Exception:  # the next beat tries again
                log.exception("worker heartbeat failed")
            await asyncio.sleep(heartbeat.INTERVAL_S)

    @property
    def running(self) -> bool:
        """The worker's loop is alive (not crashed, not stopped)."""
        return self._task is not None and not self._task.done()

    async def wait(self) -> None:
        """Run until cancelled or finished (``sepeda worker``)."""
        if self._task is not None:
            await self._task

    async def finish(self) -> None:
        """Stop after the jobs in hand (SIGTERM): nothing is cut off halfway."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.stop()

    async def open_index(self) -> None:
        """Open the index as its only writer; rebuild it from the database when it is new,
        unreadable or of an older schema, then let the outbox replay what came after."""
        self.index = await open_search(self.settings, writer=True)
        if await needs_rebuild(self.index):
            count = await self.index.rebuild(search.document_batches())
            log.info("search index rebuilt with %d documents", count)

    def wake(self) -> None:
        """New work was queued: look now instead of at the next poll."""
        self._wake.set()
        self._slot_wake.set()

    async def stop(self) -> None:
        for task in (self._task, self._beat_task, self._listen_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        heartbeat.clear(self.settings.data_dir)
        await asyncio.to_thread(self.supervisor.close)
        if self.index is not None:
            await self.index.close()

    async def _loop(self) -> None:
        workers = self.supervisor.workers
        slots = [
            asyncio.create_task(
                self._slot(express_only=n == 0 and workers > 1), name=f"sepeda-slot-{n}"
            )
            for n in range(workers)
        ]
        try:
            last_reminders = 0.0
            while not self._stopping:
                # Cleared before looking for work, not after finding none: a wake (a slot's
                # finished file, another process's job) that comes while this round runs
                # must start the next round at once, not wait for the poll.
                self._wake.clear()
                try:
                    if time.monotonic() - last_reminders > REMINDER_INTERVAL_S:
                        last_reminders = time.monotonic()
                        await notifications.deadline_reminders()
                        # Proposers' contact details last until the year after theirs.
                        await proposals.purge_contacts(utcnow().year)
                    done = await self.apply_index_jobs() + await checklists.recheck_pending()
                except asyncio.CancelledError:
                    raise
                except Exception:  # a bug must not stop the queue for good
                    log.exception("worker loop failed; retrying")
                    done = 0
                if not done and not self._stopping:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.settings.worker_poll_s)
            # Stopping: the slots finish the files in hand, then their results are indexed.
            self._slot_wake.set()
            await asyncio.gather(*slots)
            await self.apply_index_jobs()
        finally:
            for slot in slots:
                slot.cancel()
            # Wait for them to end, so none is left pending when the loop is gone (asyncio
            # warns of a task destroyed while pending, and its job's lease would linger).
            await asyncio.gather(*slots, return_exceptions=True)

    async def _slot(self, express_only: bool) -> None:
        """One extraction slot: the express lane first, then (unless express-only) the long
        lane; the next job is taken as soon as one is done, never after a whole batch."""
        while not self._stopping:
            self._slot_wake.clear()
            try:
                jobs = await extraction.claim_jobs(JobKind.EXTRACT, 1, slow=False)
                if not jobs and not express_only:
                    jobs = await extraction.claim_jobs(JobKind.EXTRACT, 1, slow=True)
                for job in jobs:
                    self._held.add(job.id)
                    try:
                        await self._extract(job)
                    finally:
                        self._held.discard(job.id)
                    self._wake.set()  # its index jobs and rechecks are waiting
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("extraction slot failed; retrying")
                jobs = []
            if not jobs and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._slot_wake.wait(), self.settings.worker_poll_s)

    async def run_pending(self) -> int:
        """Run one round (the CLI's drain, and tests): extraction jobs for every slot, express
        lane first, then index jobs and rechecks. The live loop keeps each slot busy instead."""
        workers = self.supervisor.workers
        jobs = await extraction.claim_jobs(JobKind.EXTRACT, workers, slow=False)
        long_slots = min(workers - len(jobs), max(1, workers - 1))
        if long_slots > 0:
            jobs += await extraction.claim_jobs(JobKind.EXTRACT, long_slots, slow=True)
        self._held.update(job.id for job in jobs)
        try:
            await asyncio.gather(*(self._extract(job) for job in jobs))
        finally:
            self._held.difference_update(job.id for job in jobs)
        return len(jobs) + await self.apply_index_jobs() + await checklists.recheck_pending()

    async def apply_index_jobs(self, batch: int = 200) -> int:
        """Bring the index up to date with the objects the outbox names."""
        if self.index is None:
            await self.open_index()
        jobs = await extraction.claim_jobs(JobKind.INDEX, batch)
        if not jobs:
            return 0
        docs: list[dict] = []
        drop_evidence: list[int] = []
        drop_innovations: list[int] = []
        for job in jobs:
            written, evidence_ids, innovation_ids = await search.documents_for(job.ref)
            docs += written
            drop_evidence += evidence_ids
            drop_innovations += innovation_ids
        index = self.index
        assert index is not None

        ids = [job.id for job in jobs]
        self._held.update(ids)
        try:
            await index.delete(evidence_ids=drop_evidence, innovation_ids=drop_innovations)
            await index.update(docs)
        except BaseException:
            # Another worker holding the writer too long, a full disk: the jobs wait for the
            # next round instead of staying "running" until a restart.
            await Job.filter(id__in=ids).update(state=JobState.PENDING)
            raise
        finally:
            self._held.difference_update(ids)
        await Job.filter(id__in=ids).update(state=JobState.DONE)
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
        full = self.settings.extract_timeout_s
        express = not job.slow and self.settings.extract_express_s < full
        outcome = await self.supervisor.extract(
            SandboxJob(
                id=job.id,
                path=str(path),
                media_type=blob.media_type,
                target=self.target,
                timeout_s=self.settings.extract_express_s if express else full,
                # OCR paces itself by the full budget: a long scan is not cut short to fit the
                # express lane, it times out there and is read whole in the long lane.
                options={"ocr_budget_s": full * OCR_BUDGET_SHARE}
                if self.target == DEFAULT_TARGET
                else {},
            )
        )
        if express and isinstance(outcome, Crash) and outcome.kind == "timeout":
            await extraction.move_to_long_lane(job, self.settings.extract_express_s)
            log.info("extraction of %s moved to the long lane", job.ref)
        elif isinstance(outcome, Crash):
            await extraction.record_crash(job, outcome.reason, outcome.as_failed().to_dict())
            log.warning("extraction of %s crashed: %s", job.ref, outcome.reason)
        else:
            await extraction.store_result(job, outcome.to_dict())
            log.info("extracted %s: %s", job.ref, outcome.status)
