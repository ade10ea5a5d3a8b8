"""Run extraction jobs in spawned child processes with a wall-clock timeout and a memory cap."""

# A small supervisor instead of ProcessPoolExecutor: one child killed for memory breaks a whole
# pool, while here it only costs that job. Each of N slots owns one child process that serves
# jobs over a pipe; a child that crashes, runs out of memory or overruns its timeout is killed
# (with its whole process group, so a running Tesseract dies too) and replaced for the next
# job. Children never touch the database: results travel back over the pipe, the caller stores
# them.

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import importlib
import logging
import multiprocessing as mp
import os
import queue
import resource
import signal
import threading
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Literal

from indexer.extract.result import ExtractionResult, failed

DEFAULT_TARGET = "indexer.extract:extract_file"
# Share of the timeout OCR may use before it stops starting new pages (partial text beats
# a job killed at its deadline with nothing).
OCR_BUDGET_SHARE = 0.6
STARTUP_TIMEOUT_S = 60.0
# How often a child looks whether its parent still lives.
PARENT_CHECK_S = 0.5

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One file to extract; the child calls `target` ("module:function") with these fields."""

    id: Hashable
    path: str
    media_type: str
    options: Mapping[str, Any] = field(default_factory=dict)
    timeout_s: float | None = None
    target: str = DEFAULT_TARGET


@dataclass(frozen=True)
class Crash:
    """The child died or was killed before it returned a result; worth counting as an attempt."""

    kind: Literal["timeout", "memory", "signal", "exit", "error"]
    reason: str

    def as_failed(self) -> ExtractionResult:
        """The `failed` result to store once the caller gives up retrying."""
        return failed(self.reason, crash=self.kind)


Outcome = ExtractionResult | Crash


def default_workers() -> int:
    """One worker fewer than the usable cores, at least one."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 2
    return max(1, cores - 1)


class Supervisor:
    """Runs jobs in up to `workers` sandboxed children at once."""

    def __init__(
        self,
        workers: int | None = None,
        timeout_s: float = 120,
        memory_mb: int | None = 1024,
        max_jobs_per_child: int = 50,
    ) -> None:
        self.workers = workers or default_workers()
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._ctx = mp.get_context("spawn")
        self._slots = [
            _Worker(self._ctx, memory_mb, max_jobs_per_child) for _ in range(self.workers)
        ]
        # Last in, first out: the next job goes to the child that served the last one, which
        # is already running. Taken in turns, every slot's child would have to start
        # (interpreter and imports, about half a second) before its first job; the others
        # start only when jobs overlap.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        for slot in reversed(self._slots):
            self._idle.put(slot)
        self._executor = cf.ThreadPoolExecutor(self.workers, thread_name_prefix="sandbox")
        self._closed = False
        self._warming: cf.Future[None] | None = None

    # -- the three ways in -------------------------------------------------------------

    def run_one(self, job: Job) -> Outcome:
        """Run one job, blocking until it ends; thread-safe."""
        if self._closed:
            raise RuntimeError("supervisor is closed")
        slot = self._idle.get()
        try:
            outcome = slot.run(job, self._call(job), job.timeout_s or self.timeout_s)
        finally:
            self._idle.put(slot)
        if isinstance(outcome, Crash):
            log.warning("extraction job %r (%s): %s", job.id, job.path, outcome.reason)
        return outcome

    async def extract(self, job: Job) -> Outcome:
        """Run one job without blocking the event loop; at most `workers` run at once."""
        # Cancelling the awaiting task does not stop the child; the job runs to its end or
        # its timeout, and the slot is then free again.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.run_one, job)

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Hashable, Outcome]]:
        """Run jobs `workers` at a time, yielding (job id, outcome) as each one finishes."""
        source = iter(jobs)
        pending: dict[cf.Future[Outcome], Job] = {}

        def fill() -> None:
            while len(pending) < self.workers:
                job = next(source, None)
                if job is None:
                    return
                pending[self._executor.submit(self.run_one, job)] = job

        fill()
        while pending:
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                yield job.id, future.result()
            fill()

    # -- lifecycle -----------------------------------------------------------------------

    def warm(self) -> cf.Future[None]:
        """Start a child now, in the background, so the first job does not wait for one."""
        if self._warming is None:
            self._warming = self._executor.submit(self._start_one)
        return self._warming

    def _start_one(self) -> None:
        try:
            slot = self._idle.get_nowait()
        except queue.Empty:  # every slot is serving a job: their children run already
            return
        try:
            if not self._closed:
                slot.start()
        finally:
            self._idle.put(slot)

    def close(self) -> None:
        """Stop every child; running jobs are killed."""
        self._closed = True
        if self._warming is not None:
            # A child being started now would be left behind by the stops below.
            with contextlib.suppress(Exception):
                self._warming.result(timeout=STARTUP_TIMEOUT_S)
        for slot in self._slots:
            slot.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, job: Job) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        options = dict(job.options)
        timeout = job.timeout_s or self.timeout_s
        if job.target == DEFAULT_TARGET:
            options.setdefault("ocr_budget_s", timeout * OCR_BUDGET_SHARE)
        return job.target, (job.path, job.media_type), options


class _Worker:
    """One slot: a child process that serves jobs one at a time over a pipe."""

    def __init__(self, ctx: Any, memory_mb: int | None, max_jobs: int) -> None:
        self._ctx = ctx
        self._memory_mb = memory_mb
        self._max_jobs = max_jobs
        self._proc: Any = None
        self._conn: Connection | None = None
        self._served = 0
        self._lock = threading.Lock()

    def run(self, job: Job, call: tuple[Any, ...], timeout_s: float) -> Outcome:
        with self._lock:
            try:
                conn = self._ensure_started()
                conn.send(call)
            except (OSError, EOFError, _StartError) as exc:
                self.stop()
                return Crash("error", f"sandbox could not start: {exc}")
            try:
                ready = conn.poll(timeout_s)
            except (OSError, ValueError):  # closed under us by Supervisor.close()
                return Crash("error", "sandbox closed while the job ran")
            if not ready:
                self.stop()
                return Crash("timeout", f"timeout after {timeout_s:g} s")
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return self._died()
            return self._handle(message)

    def start(self) -> None:
        """Start the child unless it runs; a child that cannot start is left for the next job
        to try again (and report)."""
        with self._lock:
            try:
                self._ensure_started()
            except (OSError, EOFError, _StartError) as exc:
                log.warning("sandbox could not start ahead of a job: %s", exc)
                self.stop()

    def _handle(self, message: tuple[Any, ...]) -> Outcome:
        tag = message[0]
        if tag == "ok":
            self._served += 1
            if self._served >= self._max_jobs:
                # Recycle: fragmentation and leaks must not accumulate under the limit.
                self.stop()
            result: ExtractionResult = message[1]
            return result
        self.stop()
        if tag == "memory":
            return Crash("memory", f"killed: out of memory (limit {self._memory_mb} MB)")
        return Crash("error", f"job raised {message[1]}")

    def _died(self) -> Crash:
        proc = self._proc
        code = None
        if proc is not None:
            proc.join(5)
            code = proc.exitcode
        self.stop()
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:
                # Nobody here sent it, so it is almost always the kernel's OOM killer.
                return Crash("memory", f"killed: out of memory ({name})")
            return Crash("signal", f"crashed: {name}")
        return Crash("exit", f"child exited with code {code}")

    def _ensure_started(self) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self.stop()
        parent: Connection
        parent, child = self._ctx.Pipe(duplex=True)
        limit = self._memory_mb * 1024 * 1024 if self._memory_mb else None
        proc = self._ctx.Process(
            target=_child_main, args=(child, limit), name="sepeda-extract", daemon=True
        )
        proc.start()
        child.close()
        self._proc, self._conn, self._served = proc, parent, 0
        # Startup (interpreter, imports) does not count against a job's timeout.
        if not parent.poll(STARTUP_TIMEOUT_S):
            raise _StartError(f"no ready signal within {STARTUP_TIMEOUT_S:g} s")
        try:
            parent.recv()
        except EOFError as exc:
            raise _StartError(f"child exited with code {proc.exitcode}") from exc
        return parent

    def stop(self) -> None:
        """Kill the child and everything in its process group, then reap it."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is None:
            return
        if proc.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        proc.join(5)
        proc.close()


class _StartError(RuntimeError):
    """The child did not come up."""


# -- the child side ---------------------------------------------------------------------


def _die_with(parent_pid: int) -> None:
    """Kill this process group once the parent is gone (a SIGKILLed server cannot stop us).

    A watch thread rather than ``PR_SET_PDEATHSIG``: that signal follows the *thread* that
    started us, and the server starts children from pool threads that come and go.
    """

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent_pid:  # re-parented: the server died
                os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="sepeda-parent-watch", daemon=True).start()


def _child_main(conn: Connection, memory_bytes: int | None) -> None:
    """Entry point of a spawned child: set limits, then serve jobs until the pipe closes."""
    # Own process group, so the parent's kill also reaches any Tesseract we started.
    os.setsid()
    _die_with(os.getppid())
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if memory_bytes:
        # Only the soft limit: OCR raises it back for Tesseract, which needs more room.
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
    # pypdf logs every font oddity; nobody reads a child's stderr.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # The parsers load before the child says it is ready (0.7 s here), not in its first
    # job: a warmed child reads the first file at once, and the load never counts against
    # a job's timeout.
    importlib.import_module("indexer.extract.dispatch")
    conn.send(("ready", os.getpid()))
    while True:
        try:
            call = conn.recv()
        except (EOFError, OSError):
            return
        target, args, kwargs = call
        out_of_memory = False
        try:
            conn.send(("ok", _resolve(target)(*args, **kwargs)))
            continue
        except MemoryError:
            # Report after the except block, once the traceback (and the job's frames with
            # their allocations) has been released.
            out_of_memory = True
        except Exception as exc:
            _send_quietly(conn, ("error", f"{type(exc).__name__}: {exc}"[:500]))
            return
        if out_of_memory:
            _send_quietly(conn, ("memory",))
            return


def _resolve(target: str) -> Any:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _send_quietly(conn: Connection, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(Exception):
        conn.send(message)
