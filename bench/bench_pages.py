"""Page render times at a regency's full size: 1,000 innovations and 20,000 evidence files.

Seeds a fresh SQLite data dir through the ORM (35 units, one admin each, a staff member, the
2026 period, 1,000 innovations with filled profiles (a third submitted for verification) and
20 evidence rows each, their text read
and facts set), computes every stored checklist through the real service, then signs in through
the login form and requests each main page in-process over the ASGI app (no network), so the
time measured is the server's: p50/p95 over repeated requests, and the bytes of each page.
Targets (issue 13): p95 < 200 ms per page, a page under 200 KB before images.

    python bench/bench_pages.py [--innovations 1000] [--files 20] [--runs 30] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUTPUT = ROOT / "docs" / "benchmarks-pages.md"
SEED = 20261206
PASSWORD = "bench-pages-123"
INDICATORS = [
    "regulasi", "sdm", "anggaran", "alat_kerja", "bimtek", "rkpd", "aktor", "pelaksana",
    "jejaring", "sosialisasi", "pedoman", "informasi", "proses", "pengaduan", "terintegrasi",
    "replikasi", "kecepatan", "kemanfaatan", "monev", "video",
]  # fmt: skip
KINDS = ["keputusan-kepala-daerah", "surat-tugas", "dpa", "laporan", "sop", "daftar-hadir"]
ASSETS = ["/static/app.css", "/static/app.js", "/static/vendor/htmx-2.0.11.min.js"]


async def seed(innovations: int, files: int) -> dict:
    from tortoise.expressions import F

    from archive.demo import BLUD, PUSKESMAS_PLACES, SKPD
    from archive.models import (
        Blob,
        Evidence,
        IndicatorClaim,
        Innovation,
        Period,
        Role,
        Unit,
        UnitKind,
        User,
    )  # fmt: skip
    from archive.security import hash_password
    from archive.services import checklists

    rng = random.Random(SEED)
    units = [(code, name, UnitKind.SKPD) for code, name in SKPD]
    units += [(code, name, UnitKind.BLUD) for code, name in BLUD]
    units += [(f"PKM-{i:02d}", f"UPT Puskesmas {p}", UnitKind.PUSKESMAS)
              for i, p in enumerate(PUSKESMAS_PLACES, 1)]  # fmt: skip
    await Unit.bulk_create([Unit(code=c, name=n, kind=k) for c, n, k in units])
    unit_rows = await Unit.all().order_by("id")
    digest = hash_password(PASSWORD)
    await User.bulk_create(
        [User(username="staf", role=Role.STAFF, password_hash=digest, full_name="Staf")]
        + [User(username=f"admin.{u.code.lower()}", role=Role.ADMIN, unit_id=u.id,
                password_hash=digest, full_name=f"Admin {u.code}") for u in unit_rows]
    )  # fmt: skip
    await Period.create(
        year=2026, rulepack="iid-2026", opens=date(2026, 1, 5), closes=date(2026, 12, 15),
        review_closes=date(2026, 12, 31),
    )  # fmt: skip
    design = " ".join(["rancang"] * 320)
    await Innovation.bulk_create(
        [Innovation(
            year=2026, unit_id=unit_rows[i % len(unit_rows)].id, name=f"Inovasi Uji {i:04d}",
            made_by="Dinas", stage="penerapan", initiator="OPD", type="non digital",
            form="Inovasi Pelayanan Publik", affairs=rng.choice(["Kesehatan", "Pendidikan"]),
            design=design, goals="Tujuan", benefits="Manfaat", results="Hasil",
            trial_date=date(2024, 1, 5), implementation_date=date(2024, 3, 1),
            # A third waits for verification, so the verifier's queue has work to list; a
            # sixth is published, for the public catalogue.
            status="submitted" if i % 3 == 1 else "published" if i % 6 == 2 else "draft",
            published_at=datetime(2026, 11, 1 + i % 28, tzinfo=UTC) if i % 6 == 2 else None,
            submitted_at=datetime(2026, 11, 1 + i % 28, tzinfo=UTC) if i % 3 == 1 else None,
        ) for i in range(innovations)],
        batch_size=500,
    )  # fmt: skip
    ids = [i.id for i in await Innovation.all().order_by("id")]
    blobs, rows, claims = [], [], []
    for innovation_id in ids:
        for n in range(files):
            sha = hashlib.sha256(f"{innovation_id}-{n}".encode()).hexdigest()
            indicator = INDICATORS[n % len(INDICATORS)]
            text = [f"Halaman satu inovasi {innovation_id}", "Halaman dua"]
            blobs.append(Blob(sha256=sha, size=40_000, media_type="application/pdf",
                              extraction_status="done", page_count=2, pages=text))  # fmt: skip
            kind = rng.choice(KINDS)
            rows.append(Evidence(
                innovation_id=innovation_id, indicator=indicator, blob_id=sha,
                filename=f"Dokumen {n:02d}.pdf", media_type="application/pdf", size=40_000,
                facts={"kind": kind, "number": f"{n}/2025", "date": "2025-03-01",
                       "names_innovation": True, "people_count": 12, "value": 250},
            ))  # fmt: skip
        for indicator in INDICATORS[:10]:
            claims.append(IndicatorClaim(innovation_id=innovation_id, indicator=indicator,
                                         claimed_level=rng.randint(1, 3)))  # fmt: skip
    await Blob.bulk_create(blobs, batch_size=2000)
    await Evidence.bulk_create(rows, batch_size=2000)
    await Evidence.all().update(chain_id=F("id"))  # each file is the first of its chain
    await IndicatorClaim.bulk_create(claims, batch_size=2000)
    started = time.perf_counter()
    for innovation_id in ids:
        await checklists.refresh(innovation_id)
    first = await Evidence.filter(innovation_id=ids[0]).first()
    return {
        "innovation": ids[0],
        "published": ids[2] if len(ids) > 2 else ids[0],
        "evidence": first.id if first else None,
        "admin": f"admin.{unit_rows[0].code.lower()}",
        "checklists_s": time.perf_counter() - started,
    }


async def measure(client, path: str, runs: int) -> dict:
    for _ in range(2):  # warm-up: templates compiled, caches filled
        response = await client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "path": path,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 1),
        "bytes": len(response.content),
    }


async def sign_in(client, username: str) -> None:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf": csrf}
    )
    assert response.status_code == 303, response.text


async def run(args: argparse.Namespace) -> dict:
    from httpx import ASGITransport, AsyncClient

    from archive import create_app, load_settings
    from archive.heap import freeze_startup_objects

    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder), worker=False)
        app = create_app(settings)
        freeze_startup_objects()  # as each web process of `sepeda serve` does (archive.heap)
        async with app.router.lifespan_context(app):
            seeded = await seed(args.innovations, args.files)
            results = []
            transport = ASGITransport(app=app)
            async with AsyncClient(transport=transport, base_url="http://bench") as client:
                await sign_in(client, seeded["admin"])
                inn, ev = seeded["innovation"], seeded["evidence"]
                for path in ["/", f"/inovasi/{inn}", f"/inovasi/{inn}/profil",
                             f"/inovasi/{inn}/indikator/regulasi/status", f"/bukti/{ev}",
                             "/inovasi/baru", "/notifikasi"]:  # fmt: skip
                    results.append({"role": "admin", **await measure(client, path, args.runs)})
                assets = 0
                for asset in ASSETS:
                    assets += len((await client.get(asset)).content)
            async with AsyncClient(transport=transport, base_url="http://bench") as client:
                await sign_in(client, "staf")
                for path in ["/", f"/inovasi/{inn}", "/pengguna", "/laporan", "/verifikasi",
                             "/periode", "/unit", "/audit"]:  # fmt: skip
                    results.append({"role": "staff", **await measure(client, path, args.runs)})
            async with AsyncClient(transport=transport, base_url="http://bench") as client:
                pub = seeded["published"]
                for path in ["/katalog", "/katalog?affair=Kesehatan&page=2", "/katalog/angka",
                             f"/katalog/{pub}", "/katalog/feed.atom", "/usulan"]:  # fmt: skip
                    results.append({"role": "public", **await measure(client, path, args.runs)})
    return {
        "innovations": args.innovations,
        "evidence": args.innovations * args.files,
        "runs": args.runs,
        "checklists_s": round(seeded["checklists_s"], 1),
        "assets_bytes": assets,
        "machine": f"{platform.machine()}, {platform.python_version()}, {platform.system()}",
        "pages": results,
    }


def markdown(report: dict) -> str:
    lines = [
        "# Page benchmarks",
        "",
        f"`python bench/bench_pages.py` with {report['innovations']:,} innovations and "
        f"{report['evidence']:,} evidence files (SQLite, in-process ASGI, {report['runs']} "
        f"requests per page after 2 warm-ups). Machine: {report['machine']}. "
        f"Stored checklists of the whole year computed in {report['checklists_s']} s. "
        f"Static assets (CSS, script, htmx) weigh {report['assets_bytes'] / 1024:.0f} KB "
        "and are cached by the browser.",
        "",
        "Targets: p95 < 200 ms, page < 200 KB before images.",
        "",
        "| role | page | p50 ms | p95 ms | KB | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in report["pages"]:
        ok = row["p95_ms"] < 200 and row["bytes"] < 200 * 1024
        lines.append(
            f"| {row['role']} | `{row['path']}` | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['bytes'] / 1024:.0f} | {'met' if ok else '**missed**'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--innovations", type=int, default=1000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks-pages.md")
    args = parser.parse_args()
    report = asyncio.run(run(args))
    print(json.dumps(report, indent=2))
    if args.write:
        # The dated notes under the table are written by hand: keep them.
        old = OUTPUT.read_text() if OUTPUT.exists() else ""
        notes = old[old.index("\nNotes (") :] if "\nNotes (" in old else ""
        OUTPUT.write_text(markdown(report) + notes)
        print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
