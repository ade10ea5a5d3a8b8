"""Evidence upload: 5 MB PDF latency and the server's memory while a 100 MB file streams in."""

# Usage (from the repository root):
#   python bench/bench_upload.py [--runs 50] [--big-mb 100] [--pdf-mb 5] [--no-fail]
# Starts the real `python -m archive serve --demo` on a temporary data dir (tests/e2e/server.py),
# logs in as admin.dinkes, changes the forced password, creates a DINKES innovation, then
#   1. uploads a valid 5 MB PDF `--runs` times, every copy differing in a few bytes (fresh blob:
#      hash, sniff, fsync, link, one transaction), and `--runs` times the same bytes again
#      (duplicate: the store keeps the existing blob and skips the fsync); p50 / p95 / max ms;
#   2. streams a `--big-mb` MiB PDF from disk (httpx reads the file object in chunks) while a
#      thread reads the server's VmRSS from /proc/<pid>/status every 20 ms;
#   3. downloads that file again and compares SHA-256 with what was sent.
# Targets (issue 3): fresh 5 MB upload p95 < 150 ms; server RSS growth < 30 MB for 100 MB.
# Exits 1 when a target is missed or the round trip differs, unless --no-fail.

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import Server, start_server  # noqa: E402

MIB = 1024 * 1024
P95_TARGET_MS = 150.0
RSS_TARGET_MB = 30.0
SAMPLE_S = 0.020
PASSWORD = "bench-upload-2026-rahasia"
NONCE_BYTES = 16


# -- a valid PDF: one text page plus a large (unreferenced) binary stream object -------------


def _pdf_parts(total: int, text: str) -> tuple[bytes, int, bytes]:
    """(head, padding length, tail) of a PDF exactly `total` bytes long.

    Objects 1-5 are a catalog, a page tree, one page, its text content and a font; object 6
    is a stream of `padding` opaque bytes (what a scanned page's image costs); then the
    cross-reference table and trailer with the real offsets.
    """
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 12 Tf 50 750 Td ({escaped}) Tj ET".encode()
    fixed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    padding = max(total - 1024, 0)
    for _ in range(5):  # the digits of the lengths and offsets settle in a pass or two
        head = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(fixed, start=1):
            offsets.append(len(head))
            head += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        offsets.append(len(head))
        head += b"6 0 obj\n<< /Length %d >>\nstream\n" % padding
        xref = len(head) + padding + len(b"\nendstream\nendobj\n")
        tail = b"\nendstream\nendobj\nxref\n0 7\n0000000000 65535 f \n"
        tail += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        tail += b"trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
        size = len(head) + padding + len(tail)
        if size == total:
            return bytes(head), padding, tail
        padding += total - size
    raise RuntimeError(f"could not lay out a PDF of {total} bytes")


def make_pdf(total: int, text: str) -> bytearray:
    """A PDF of exactly `total` bytes in memory; `stamp` makes copies differ."""
    head, padding, tail = _pdf_parts(total, text)
    return bytearray(head + os.urandom(padding) + tail)


def stamp(pdf: bytearray, nonce: int) -> bytes:
    """The PDF with `nonce` written at the start of its padding stream (still a valid PDF)."""
    at = pdf.index(b"6 0 obj")
    at = pdf.index(b"stream\n", at) + len(b"stream\n")
    pdf[at : at + NONCE_BYTES] = nonce.to_bytes(NONCE_BYTES, "big")
    return bytes(pdf)


def write_big_pdf(path: Path, total: int) -> str:
    """Write a PDF of `total` bytes to `path` in 1 MiB chunks; returns its SHA-256."""
    head, padding, tail = _pdf_parts(total, "Bench upload: berkas besar (100 MB)")
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for piece in (head, *_random_chunks(padding), tail):
            digest.update(piece)
            out.write(piece)
    return digest.hexdigest()


def _random_chunks(size: int) -> Iterator[bytes]:
    block = os.urandom(MIB)
    count = 0
    while size > 0:
        chunk = block[: min(size, MIB)]
        # Every MiB distinct (a counter in front), so no part of the file repeats.
        yield count.to_bytes(8, "big") + chunk[8:] if len(chunk) >= 8 else chunk
        size -= len(chunk)
        count += 1


# -- memory sampling ------------------------------------------------------------------------


def rss_mb(pid: int | str, key: str = "VmRSS") -> float:
    """VmRSS (or another Vm* line: VmHWM, the high-water mark) of a process in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {key} for {pid}")


def reset_peak(pid: int) -> bool:
    """Reset the kernel's VmHWM of `pid` to its current RSS (clear_refs 5); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class RssSampler:
    """Reads VmRSS of `pid` (and of this client) every `interval` seconds in a thread."""

    pid: int
    interval: float = SAMPLE_S
    samples: list[tuple[float, float]] = field(default_factory=list)
    client_peak: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    def _run(self) -> None:
        start = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - start, rss_mb(self.pid)))
            self.client_peak = max(self.client_peak, rss_mb("self"))
            self._stop.wait(self.interval)

    @property
    def peak(self) -> float:
        return max(value for _, value in self.samples)


# -- the HTTP side --------------------------------------------------------------------------


def login(http: httpx.Client, server: Server) -> dict[str, str]:
    """admin.dinkes with the forced password change done; returns auth headers."""
    printed = server.logins["admin.dinkes"]
    token = http.post("/api/auth/token", data={"username": "admin.dinkes", "password": printed})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    changed = http.post(
        "/api/auth/password",
        json={"old_password": printed, "new_password": PASSWORD},
        headers=headers,
    )
    changed.raise_for_status()
    return {"Authorization": f"Bearer {changed.json()['access_token']}"}


def create_innovation(http: httpx.Client, headers: dict[str, str]) -> int:
    created = http.post(
        "/api/innovations",
        json={"year": 2026, "unit": "DINKES", "name": "Bench Unggah Bukti",
              "stage": "uji coba", "trial_date": "2026-02-01"},
        headers=headers,
    )  # fmt: skip
    if created.status_code != 201:
        raise RuntimeError(f"creating the innovation failed: {created.text}")
    return created.json()["id"]


def upload(
    http: httpx.Client,
    url: str,
    headers: dict[str, str],
    name: str,
    content: bytes | BinaryIO,
) -> tuple[float, dict]:
    """POST one file; returns (milliseconds, evidence JSON)."""
    started = time.perf_counter()
    response = http.post(
        url,
        data={"indicator": "regulasi"},
        files={"file": (name, content, "application/pdf")},
        headers=headers,
    )
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 201:
        raise RuntimeError(f"upload of {name} answered {response.status_code}: {response.text}")
    return elapsed, response.json()


def download_sha256(http: httpx.Client, evidence_id: int, headers: dict[str, str]) -> str:
    digest = hashlib.sha256()
    with http.stream("GET", f"/api/evidence/{evidence_id}/file", headers=headers) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes(MIB):
            digest.update(chunk)
    return digest.hexdigest()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 50 runs is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


@dataclass
class Latency:
    label: str
    values: list[float]

    def row(self) -> str:
        v = self.values
        return (
            f"| {self.label} | {len(v)} | {statistics.median(v):.1f} | "
            f"{percentile(v, 95):.1f} | {max(v):.1f} |"
        )


def run(args: argparse.Namespace) -> bool:
    pdf_size = int(args.pdf_mb * MIB)
    big_size = int(args.big_mb * MIB)
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "data").mkdir()
        t0 = time.perf_counter()
        server = start_server(tmp_path / "data", "--demo")
        print(f"server pid {server.process.pid} at {server.base_url} "
              f"(started in {time.perf_counter() - t0:.1f} s)")  # fmt: skip
        try:
            return _measure(args, server, tmp_path, pdf_size, big_size)
        finally:
            server.stop()


def _measure(
    args: argparse.Namespace, server: Server, tmp_path: Path, pdf_size: int, big_size: int
) -> bool:
    pid = server.process.pid
    timeout = httpx.Timeout(120, connect=10)
    with httpx.Client(base_url=server.base_url, timeout=timeout) as http:
        headers = login(http, server)
        innovation_id = create_innovation(http, headers)
        url = f"/api/innovations/{innovation_id}/evidence"

        template = make_pdf(pdf_size, "Keputusan Kepala Dinas Kesehatan tentang Posyandu Remaja")
        rss_start = rss_mb(pid)
        for nonce in range(3):  # warm-up: first-request imports, connection, SQLite pages
            upload(http, url, headers, f"warmup-{nonce}.pdf", stamp(template, 10**6 + nonce))

        fresh: list[float] = []
        fresh_shas: set[str] = set()
        for nonce in range(args.runs):
            body = stamp(template, nonce)
            ms, evidence = upload(http, url, headers, f"sk-{nonce:03d}.pdf", body)
            fresh.append(ms)
            fresh_shas.add(evidence["sha256"])
        if len(fresh_shas) != args.runs:
            raise RuntimeError("fresh uploads were deduplicated; the nonce did not work")

        same = stamp(template, 0)
        duplicate = [
            upload(http, url, headers, f"sk-dup-{i:03d}.pdf", same)[0] for i in range(args.runs)
        ]
        rss_after_small = rss_mb(pid)

        big_path = tmp_path / "big.pdf"
        t0 = time.perf_counter()
        sent_sha = write_big_pdf(big_path, big_size)
        print(f"wrote {big_size / MIB:.0f} MiB test file in {time.perf_counter() - t0:.1f} s")
        time.sleep(0.3)
        hwm_reset = reset_peak(pid)
        baseline = statistics.median(rss_mb(pid) for _ in range(5))
        hwm_before = rss_mb(pid, "VmHWM")
        client_before = rss_mb("self")
        with RssSampler(pid) as sampler, big_path.open("rb") as handle:
            big_ms, big_evidence = upload(http, url, headers, "lampiran-besar.pdf", handle)
            time.sleep(0.2)  # catch anything freed or grown just after the answer
        hwm_after = rss_mb(pid, "VmHWM")
        # The kernel's high-water mark catches a spike between two samples (when it was reset).
        peak = max(sampler.peak, hwm_after) if hwm_reset else sampler.peak
        growth = peak - baseline

        t0 = time.perf_counter()
        got_sha = download_sha256(http, big_evidence["id"], headers)
        download_s = time.perf_counter() - t0
        rss_end = rss_mb(pid)

    round_trip = got_sha == sent_sha == big_evidence["sha256"]
    p95 = percentile(fresh, 95)
    p95_ok = p95 < P95_TARGET_MS
    rss_ok = growth < RSS_TARGET_MB

    print()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(f"\n5 MB PDF ({pdf_size:,} bytes), one reused httpx.Client, after 3 warm-up uploads:\n")
    print("| upload | runs | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    print(Latency("fresh bytes (new blob)", fresh).row())
    print(Latency("same bytes (duplicate)", duplicate).row())
    print(
        f"\n{big_size / MIB:.0f} MiB PDF ({big_size:,} bytes) streamed from disk: "
        f"{big_ms / 1000:.2f} s ({big_size / MIB / (big_ms / 1000):.0f} MiB/s); "
        f"{len(sampler.samples)} RSS samples every {SAMPLE_S * 1000:.0f} ms\n"
    )
    print("| measure | target | result |")
    print("|---|---|---|")
    print(f"| 5 MB fresh upload p95 | < {P95_TARGET_MS:.0f} ms | {p95:.1f} ms |")
    print(f"| server RSS baseline | | {baseline:.1f} MB |")
    print(f"| server RSS peak during upload (sampled, VmHWM) | | {peak:.1f} MB |")
    print(f"| server RSS growth | < {RSS_TARGET_MB:.0f} MB | {growth:.1f} MB |")
    print(
        f"| download round trip ({download_s:.2f} s) | sha256 equal | "
        f"{'equal' if round_trip else 'DIFFERENT'} |"
    )
    print(
        f"\nserver RSS: {rss_start:.1f} MB before the 5 MB runs, {rss_after_small:.1f} MB after, "
        f"{rss_end:.1f} MB after the download;\nclient (this script) RSS "
        f"{client_before:.1f} MB before the big upload, peak {sampler.client_peak:.1f} MB during it"
    )
    print(
        f"server VmHWM (the kernel's high-water mark, a cross-check of the sampling"
        f"{', reset just before' if hwm_reset else ', could not be reset'}): "
        f"{hwm_before:.1f} MB before the big upload, {hwm_after:.1f} MB after"
    )
    verdict = [
        ("p95 < 150 ms", p95_ok),
        ("RSS growth < 30 MB", rss_ok),
        ("round trip", round_trip),
    ]
    print("targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdict))
    return all(ok for _, ok in verdict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="5 MB uploads per kind (50)")
    parser.add_argument("--pdf-mb", type=float, default=5, help="size of the small PDF, MiB (5)")
    parser.add_argument("--big-mb", type=float, default=100, help="size of the big file, MiB")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even if a target misses")
    args = parser.parse_args()
    started = time.perf_counter()
    ok = run(args)
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0 if ok or args.no_fail else 1


if __name__ == "__main__":
    sys.exit(main())
