"""Load: 20 clients on loopback upload, search and browse for 60 s, on SQLite and PostgreSQL."""

# Usage (from the repository root):
#   python bench/bench_load.py [--clients 20] [--seconds 60] [--postgres URL] [--no-write]
#                              [--profile DIR]

#
# Starts the real `python -m archive serve --demo` (web process plus its background worker) in
# a child process on a temporary data dir, once on SQLite and, with --postgres (or
# SEPEDA_BENCH_DATABASE_URL), once on a fresh PostgreSQL database. Before the clock starts it
# creates one admin and one innovation for each of six units and uploads the 65 labelled
# regulations (tests/data/id-docs) as PDFs, waiting until the worker has read and indexed them.
# Then `--clients` asyncio clients, each with its own connection and session, run for
# `--seconds`: a third upload fresh 100 KB PDFs as their unit's admin (which the worker then
# reads and indexes, as on a deadline day), a third search through `/api/search` as staff,
# verifier or admin, and a third browse the pages (`/`, `/inovasi/{id}`, `/bukti/{id}`,
# `/cari`, `/verifikasi`, `/laporan`) in a cookie session. Every answer other than the expected
# status counts as an error. --profile samples the server's process tree with py-spy during
# the run and writes each database's collapsed stacks and its top functions into DIR.

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import text_pdf  # noqa: E402

from tests.e2e.server import Server, start_server  # noqa: E402

PASSWORD = "Beban-Uji-2026!"
UNITS = 6
QUERIES = [
    "keputusan bupati", "inovasi daerah", "pelayanan publik", "peraturan daerah",
    "\"tim inovasi\"", "anggaran", "puskesmas", "sosialisasi", "informasi publik",
    "pemerintah daerah", "188.4", "kesehatan", "penetapan", "laporan", "monitoring evaluasi",
]  # fmt: skip
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


# -- set-up (not timed) ------------------------------------------------------------------


def _token(http: httpx.Client, username: str, password: str) -> dict[str, str]:
    """Bearer headers for `username`, doing the forced first password change."""
    answer = http.post("/api/auth/token", data={"username": username, "password": password})
    answer.raise_for_status()
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    if password == PASSWORD:
        return headers
    changed = http.post(
        "/api/auth/password",
        json={"old_password": password, "new_password": PASSWORD},
        headers=headers,
    )
    if changed.status_code == 200:
        return {"Authorization": f"Bearer {changed.json()['access_token']}"}
    return headers


def regulation_pdfs() -> list[tuple[str, bytes]]:
    """The 65 labelled regulations as PDFs of up to 3 pages (55 lines of 90 characters)."""
    out = []
    for path in sorted((ROOT / "tests" / "data" / "id-docs").glob("a*.txt")):
        lines = [ln[:90] for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        pages = [lines[i : i + 55] for i in range(0, min(len(lines), 165), 55)] or [["-"]]
        out.append((f"{path.stem}.pdf", text_pdf(pages)))
    return out


def filler_pdf(rng: random.Random, nonce: int) -> bytes:
    """A fresh ~100 KB PDF: regulation-like lines, different bytes every time."""
    words = "keputusan bupati balangan inovasi pelayanan publik tim anggaran laporan".split()  # noqa: SIM905
    pages = [
        [f"NOMOR 188.45/{nonce}/2026 halaman {p}"]
        + [" ".join(rng.choice(words) for _ in range(12)) for _ in range(54)]
        for p in range(30)
    ]
    return text_pdf(pages)


@dataclass
class World:
    """What the clients act on: tokens, page logins, innovations and evidence ids."""

    staff: dict[str, str]
    verifier: dict[str, str]
    admins: list[tuple[str, dict[str, str], int]]  # (username, headers, innovation id)
    evidence: list[int] = field(default_factory=list)
    think: float = 0.0  # mean seconds a client waits between two requests (0: none)


async def pause(world: World, rng: random.Random) -> None:
    """A person reading the answer before the next request: 0.5 to 1.5 times the mean."""
    if world.think > 0:
        await asyncio.sleep(world.think * rng.uniform(0.5, 1.5))


def prepare(server: Server, regulations: int = 65) -> World:
    with httpx.Client(base_url=server.base_url, timeout=60) as http:
        staff = _token(http, "staf.brida", server.logins["staf.brida"])
        verifier = _token(http, "verifikator", server.logins["verifikator"])
        units = http.get("/api/units", headers=staff).json()
        chosen = [u["code"] for u in units if u["kind"] in {"skpd", "puskesmas"}][:UNITS]
        admins = []
        for n, code in enumerate(chosen):
            username = f"beban.{n}"
            created = http.post(
                "/api/users",
                json={"username": username, "password": "Sementara-2026!", "role": "admin",
                      "unit": code, "full_name": f"Admin Beban {n}", "active": True},
                headers=staff,
            )  # fmt: skip
            if created.status_code not in (200, 201):
                raise RuntimeError(f"creating {username}: {created.status_code} {created.text}")
            headers = _token(http, username, "Sementara-2026!")
            innovation = http.post(
                "/api/innovations",
                json={"year": 2026, "unit": code, "name": f"Inovasi Uji Beban {code}",
                      "stage": "uji coba", "trial_date": "2026-02-01"},
                headers=headers,
            )  # fmt: skip
            innovation.raise_for_status()
            admins.append((username, headers, innovation.json()["id"]))
        world = World(staff, verifier, admins)
        for n, (name, data) in enumerate(regulation_pdfs()[:regulations]):
            _, headers, innovation_id = admins[n % len(admins)]
            answer = http.post(
                f"/api/innovations/{innovation_id}/evidence",
                data={"indicator": "regulasi"},
                files={"file": (name, data, "application/pdf")},
                headers=headers,
            )
            answer.raise_for_status()
            world.evidence.append(answer.json()["id"])
        wait_for_worker(http, staff)
    return world


def wait_for_worker(http: httpx.Client, headers: dict[str, str], timeout: float = 600) -> float:
    """Seconds until the worker has no pending job left."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        health = http.get("/api/health", headers=headers).json()
        if health.get("checks", {}).get("worker", {}).get("jobs_pending", 1) == 0:
            return time.monotonic() - started
        time.sleep(0.5)
    raise RuntimeError("the worker did not drain its queue")


# -- the timed run -----------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    detail: str = ""


async def _page_session(client: httpx.AsyncClient, username: str) -> None:
    form = await client.get("/login")
    match = CSRF.search(form.text)
    if not match:
        raise RuntimeError("no CSRF token on /login")
    answer = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": match.group(1)}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"page login of {username}: {answer.status_code}")


async def _timed(samples: list[Sample], kind: str, call, expected: int = 200) -> httpx.Response:
    started = time.perf_counter()
    try:
        response = await call()
    except httpx.HTTPError as exc:
        samples.append(Sample(kind, (time.perf_counter() - started) * 1000, False, repr(exc)))
        raise
    ms = (time.perf_counter() - started) * 1000
    ok = response.status_code == expected
    samples.append(Sample(kind, ms, ok, "" if ok else f"{response.status_code} {kind}"))
    return response


async def uploader(base: str, world: World, n: int, deadline: float, samples: list[Sample]):
    _, headers, innovation_id = world.admins[n % len(world.admins)]
    rng = random.Random(n)
    nonce = n * 100_000
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        while time.monotonic() < deadline:
            nonce += 1
            data = filler_pdf(rng, nonce)
            try:
                await _timed(
                    samples,
                    "upload 100 KB PDF",
                    lambda d=data, name=f"beban-{nonce}.pdf": client.post(
                        f"/api/innovations/{innovation_id}/evidence",
                        data={"indicator": "sosialisasi"},
                        files={"file": (name, d, "application/pdf")},
                    ),
                    expected=201,
                )
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
            await pause(world, rng)


async def searcher(base: str, world: World, n: int, deadline: float, samples: list[Sample]):
    callers = [world.staff, world.verifier] + [a[1] for a in world.admins]
    headers = callers[n % len(callers)]
    rng = random.Random(1000 + n)
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        while time.monotonic() < deadline:
            query = rng.choice(QUERIES)
            try:
                await _timed(
                    samples,
                    "search (API)",
                    lambda q=query: client.get("/api/search", params={"q": q}),
                )
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
            await pause(world, rng)


async def browser(base: str, world: World, n: int, deadline: float, samples: list[Sample]):
    staff_like = n % 2 == 0
    username = (
        ("staf.brida" if n % 4 == 0 else "verifikator")
        if staff_like
        else world.admins[n % len(world.admins)][0]
    )
    rng = random.Random(2000 + n)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await _page_session(client, username)
        own = world.admins[n % len(world.admins)][2]
        while time.monotonic() < deadline:
            evidence = rng.choice(world.evidence)
            paths = ["/", f"/inovasi/{own}", f"/cari?q={rng.choice(QUERIES)}"]
            if staff_like:
                paths += ["/verifikasi", "/laporan", f"/bukti/{evidence}"]
            for path in paths:
                if time.monotonic() >= deadline:
                    break
                kind = "page " + re.sub(r"\d+", "{id}", path.split("?")[0])
                try:
                    await _timed(samples, kind, lambda p=path: client.get(p))
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
                await pause(world, rng)


async def alone(base: str, world: World, seconds: float) -> list[Sample]:
    """The baseline: each kind of client by itself, one request at a time, no waiting."""
    samples: list[Sample] = []
    think, world.think = world.think, 0.0
    for role in (uploader, searcher, browser):
        await role(base, world, 0, time.monotonic() + seconds, samples)
    world.think = think
    return samples


async def run_clients(base: str, world: World, clients: int, seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    deadline = time.monotonic() + seconds
    roles = [uploader, searcher, browser]
    await asyncio.gather(*(roles[n % 3](base, world, n, deadline, samples) for n in range(clients)))
    return samples


# -- measuring the server ----------------------------------------------------------------


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    pids = [pid]
    seen = set()
    while pids:
        current = pids.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as fh:
                pids.extend(int(p) for p in fh.read().split())
        except OSError:
            continue
    return total / 1024


class TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss_mb(self.pid))
            self.stop.wait(0.25)


# -- profiling -------------------------------------------------------------------------


def profile_start(pid: int, args: argparse.Namespace, label: str) -> subprocess.Popen | None:
    if not args.profile:
        return None
    args.profile.mkdir(parents=True, exist_ok=True)
    raw = args.profile / f"{label.lower()}.txt"
    # py-spy installs next to the interpreter (the bench extra), which may not be on PATH.
    beside = Path(sys.executable).with_name("py-spy")
    spy = str(beside) if beside.exists() else (shutil.which("py-spy") or "py-spy")
    return subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--subprocesses", "--rate", "50",
         "--duration", str(int(args.seconds)), "--format", "raw", "--output", str(raw),
         "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def profile_finish(spy: subprocess.Popen | None, args: argparse.Namespace, label: str) -> None:
    """Wait for py-spy and write the functions holding the most samples (self and total)."""
    if spy is None:
        return
    spy.wait(timeout=120)
    raw = args.profile / f"{label.lower()}.txt"
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    samples = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        samples += n
        frames = stack.split(";")
        own[frames[-1]] = own.get(frames[-1], 0) + n
        for frame in set(frames[1:]):
            total[frame] = total.get(frame, 0) + n
    lines = [f"{samples} samples of the server's process tree ({label})", "", "self:"]
    lines += [f"{n / samples:6.1%}  {f}" for f, n in sorted(own.items(), key=lambda x: -x[1])[:40]]
    lines += ["", "total (with callees):"]
    lines += [
        f"{n / samples:6.1%}  {f}" for f, n in sorted(total.items(), key=lambda x: -x[1])[:80]
    ]
    (args.profile / f"{label.lower()}-top.txt").write_text("\n".join(lines) + "\n")
    print(f"profile: {args.profile / f'{label.lower()}-top.txt'}", flush=True)


# -- one database ------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def fresh_postgres(url: str, name: str) -> str:
    """Drop and create database `name` on the server of `url`; return its URL."""
    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_database(label: str, database_url: str, args: argparse.Namespace, think: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        environment = {"SEPEDA_LOG_LEVEL": "WARNING"}
        environment.update(item.split("=", 1) for item in args.env)
        extra: tuple[str, ...] = ("--workers", str(args.workers)) if args.workers > 1 else ()
        server = start_server(data_dir, "--demo", *extra, database_url=database_url,
                              timeout=180, environment=environment)  # fmt: skip
        try:
            started = time.monotonic()
            world = prepare(server, args.regulations)
            print(f"[{label}] prepared in {time.monotonic() - started:.1f} s "
                  f"({len(world.evidence)} regulations read and indexed)", flush=True)  # fmt: skip
            baseline = asyncio.run(alone(server.base_url, world, args.baseline))
            with httpx.Client(base_url=server.base_url, timeout=60) as http:
                wait_for_worker(http, world.staff)  # the baseline's uploads are read first
            world.think = think
            sampler = TreeSampler(server.process.pid)
            sampler.start()
            spy = profile_start(server.process.pid, args, label)
            wall = time.monotonic()
            samples = asyncio.run(run_clients(server.base_url, world, args.clients, args.seconds))
            wall = time.monotonic() - wall
            profile_finish(spy, args, label)
            drain = None
            if not args.no_drain:
                with httpx.Client(base_url=server.base_url, timeout=60) as http:
                    drain = wait_for_worker(http, world.staff, timeout=1200)
            sampler.stop.set()
            sampler.join()
        finally:
            server.stop()
            # Keep the server's log next to the report when anything failed.
            kept = Path(tempfile.gettempdir()) / f"bench-load-{label.lower()}-server.log"
            kept.write_text(server.log(), encoding="utf-8")
    errors = [s for s in samples if not s.ok]
    kinds: dict[str, list[Sample]] = {}
    for sample in samples:
        kinds.setdefault(sample.kind, []).append(sample)
    quiet: dict[str, list[float]] = {}
    for sample in baseline:
        quiet.setdefault(sample.kind, []).append(sample.ms)
    rows = []
    for kind in sorted(kinds):
        values = [s.ms for s in kinds[kind]]
        rows.append({
            "kind": kind, "requests": len(values), "per_s": len(values) / wall,
            "p50": statistics.median(values), "p95": percentile(values, 95), "max": max(values),
            "errors": sum(not s.ok for s in kinds[kind]),
            "alone_p50": statistics.median(quiet[kind]) if quiet.get(kind) else None,
        })  # fmt: skip
    everything = [s.ms for s in samples]
    result = {
        "database": label,
        "clients": args.clients,
        "think": think,
        "workers": args.workers,
        "seconds": round(wall, 1),
        "requests": len(samples),
        "per_s": len(samples) / wall,
        "p50": statistics.median(everything),
        "p95": percentile(everything, 95),
        "errors": len(errors),
        "error_examples": sorted({e.detail for e in errors})[:5],
        "uploads": len(kinds.get("upload 100 KB PDF", [])),
        "drain_s": drain,
        "peak_rss_mb": sampler.peak,
        "rows": rows,
    }
    print(render([result]), flush=True)
    return result


def pace(think: float) -> str:
    return "no pause between requests" if not think else f"about {think:g} s between requests"


def render(results: list[dict]) -> str:
    out = []
    for r in results:
        out += [
            f"**{r['database']}**, {r['workers']} web process(es), {r['clients']} clients "
            f"({pace(r['think'])}) for {r['seconds']} s, "
            f"{r['requests']:,} requests ({r['per_s']:.1f}/s), p50 {r['p50']:.0f} ms, "
            f"**p95 {r['p95']:.0f} ms**, **{r['errors']} errors**; {r['uploads']} uploads, "
            + (
                f"read and indexed by the worker {r['drain_s']:.0f} s after the run ended; "
                if r["drain_s"] is not None
                else ""
            )
            + "peak "
            f"memory of the server's process tree {r['peak_rss_mb']:.0f} MB.",
            "",
            "| request | count | per s | p50 ms | p95 ms | max ms | errors | alone p50 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in r["rows"]:
            out.append(
                f"| {row['kind']} | {row['requests']} | {row['per_s']:.1f} | {row['p50']:.0f} "
                f"| {row['p95']:.0f} | {row['max']:.0f} | {row['errors']} "
                f"| {'-' if row['alone_p50'] is None else format(row['alone_p50'], '.0f')} |"
            )
        if r["error_examples"]:
            out.append("")
            out.append("Errors seen: " + "; ".join(r["error_examples"]))
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=1,
        help="web processes (`serve --workers`; above 1 the worker runs in its own process)",
    )  # fmt: skip
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, nargs="+", default=[1.0, 0.0],
        help="mean seconds a client waits between requests (0.5 to 1.5 times); one run per "
        "value and database (default: 1, then 0 for the saturation figure)",
    )  # fmt: skip
    parser.add_argument(
        "--baseline", type=float, default=5.0,
        help="seconds each kind of client runs alone first, for the 'alone' column",
    )  # fmt: skip
    parser.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE",
        help="set for the server, e.g. SEPEDA_SEARCH_BACKEND=whoosh (repeatable)",
    )  # fmt: skip
    parser.add_argument("--postgres", default=os.environ.get("SEPEDA_BENCH_DATABASE_URL", ""))
    parser.add_argument(
        "--pg-query", default="", help="appended to the database URL, e.g. ?maxsize=20"
    )
    parser.add_argument("--postgres-only", action="store_true", help="skip the SQLite runs")
    parser.add_argument(
        "--regulations", type=int, default=65, help="labelled regulations uploaded first"
    )
    parser.add_argument(
        "--no-drain", action="store_true", help="do not wait for the worker after the run"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target is missed")
    parser.add_argument("--profile", type=Path, help="py-spy the server into this folder")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-load.md")
    args = parser.parse_args()
    results = []
    for think in args.think:
        if not args.postgres_only:
            results.append(run_database("SQLite", "", args, think))
        if args.postgres:
            url = fresh_postgres(args.postgres, "sepeda_bench_load") + args.pg_query
            results.append(run_database("PostgreSQL", url, args, think))
    verdicts = {
        think: all(r["errors"] == 0 and r["p95"] < 500 for r in results if r["think"] == think)
        for think in args.think
    }
    if not args.no_write:
        write(args, results, verdicts)
    return 0 if all(verdicts.values()) or args.no_fail else 1


def write(args: argparse.Namespace, results: list[dict], verdicts: dict[float, bool]) -> None:
    met = "; ".join(
        f"{pace(think)}: **{'met' if ok else 'missed'}**" for think, ok in verdicts.items()
    )
    text = f"""# Load benchmark

`python bench/bench_load.py --clients {args.clients} --seconds {args.seconds:g} --think
{" ".join(f"{t:g}" for t in args.think)}` on
{dt.date.today().isoformat()}. Machine: {os.cpu_count()} CPUs, {platform.system()}
{platform.machine()}, Python {platform.python_version()}; the clients, the web process and its
worker share the machine's CPUs over loopback.

Targets: zero errors and p95 < 500 ms on both databases. {met}.

{render(results)}
"""
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
