"""Checklist engine benchmark: one innovation, and 1,000 innovations with 20,000 evidence items.

Synthetic but realistic inputs: every innovation claims levels on all 20 indicators and has 20
evidence items spread over them (decrees, budgets by year, counts, values, photos, links, some
scans without text, wrong kinds and old documents), so every derivation method and most findings
run. Targets: one innovation under 20 ms; the whole batch under 2 s. Figures go to
docs/benchmarks-checklist.md.

    python bench/bench_checklist.py            # print figures
    python bench/bench_checklist.py --write    # also write docs/benchmarks-checklist.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checklist.engine import evaluate  # noqa: E402
from checklist.index import project_index  # noqa: E402
from checklist.next_steps import rank_fixes  # noqa: E402
from checklist.rulepack import load_rulepack  # noqa: E402

OUTPUT = ROOT / "docs" / "benchmarks-checklist.md"
SEED = 20261127
YEAR = 2026
INNOVATIONS = 1000
EVIDENCE_PER_INNOVATION = 20

# (indicator, kind, extra facts) templates; the generator varies dates, counts and values.
TEMPLATES: list[tuple[str, str | None, dict[str, Any]]] = [
    ("regulasi", "peraturan-kepala-daerah", {}),
    ("regulasi", "keputusan-kepala-perangkat-daerah", {}),
    ("sdm", "surat-tugas", {"people_count": 12}),
    ("anggaran", "dpa", {"title": "DPA Tahun Anggaran 2026"}),
    ("anggaran", "dpa", {"title": "DPA Tahun Anggaran 2025"}),
    ("bimtek", "undangan", {}),
    ("bimtek", "daftar-hadir", {}),
    ("bimtek", "sertifikat", {}),
    ("rkpd", "rkpd", {"title": "RKPD Tahun 2025"}),
    ("aktor", "mou", {"count": 4}),
    ("pelaksana", "surat-tugas", {}),
    ("jejaring", "keputusan-kepala-daerah", {"count": 3}),
    ("proses", "sop", {"value": 3}),
    ("pengaduan", "laporan", {"value": 88}),
    ("replikasi", "mou", {"issuer": "Pemerintah Kabupaten Tabalong"}),
    ("kecepatan", "laporan", {"value": 6}),
    ("kemanfaatan", "laporan", {"value": 420}),
    ("monev", "laporan-monev", {}),
    ("monev", "skm", {}),
    ("sdm", None, {}),
]
VISUAL = ["alat_kerja", "sosialisasi", "pedoman", "informasi", "terintegrasi", "video"]


def _evidence(rng: random.Random, innovation: int) -> list[dict[str, Any]]:
    """Twenty evidence dicts for one innovation."""
    items = []
    for index in range(EVIDENCE_PER_INNOVATION):
        ident = innovation * 100 + index
        if index < 5:
            code = VISUAL[rng.randrange(len(VISUAL))]
            link = code in ("video", "sosialisasi")
            items.append(
                {
                    "id": ident,
                    "indicator": code,
                    "media_type": None if link else "image/jpeg",
                    "url": "https://youtu.be/x" if link else None,
                    "filename": None if link else f"foto-{ident}.jpg",
                    "extraction_status": "not_applicable" if link else "no_text",
                    "facts": None,
                }
            )
            continue
        code, kind, extra = TEMPLATES[rng.randrange(len(TEMPLATES))]
        year = YEAR - rng.choice([0, 1, 1, 2, 7])
        facts = {
            "kind": kind,
            "number": f"{rng.randint(1, 99)} TAHUN {year}",
            "date": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
            "title": f"Tentang inovasi {innovation}",
            "issuer": "Pemerintah Kabupaten Balangan",
            "names_innovation": rng.random() < 0.9,
            "people_count": None,
            "count": None,
            "value": None,
        } | extra
        status = rng.choices(["done", "no_text", "pending"], weights=[90, 7, 3])[0]
        items.append(
            {
                "id": ident,
                "indicator": code,
                "media_type": "application/pdf",
                "url": None,
                "filename": f"bukti-{ident}.pdf",
                "extraction_status": status,
                "facts": facts if status == "done" else None,
            }
        )
    return items


def _innovation(rng: random.Random, innovation: int, codes: list[str]) -> dict[str, Any]:
    """Profile, claims and evidence of one synthetic innovation."""
    return {
        "profile": {
            "id": innovation,
            "year": YEAR,
            "name": f"Inovasi {innovation}",
            "made_by": "OPD",
            "stage": "penerapan",
            "initiator": "ASN",
            "type": rng.choice(["digital", "non digital"]),
            "form": "pelayanan publik",
            "affairs": "Kesehatan",
            "design": " ".join(["kata"] * rng.choice([150, 320, 500])),
            "goals": "tujuan",
            "benefits": "manfaat",
            "results": "hasil",
            "trial_date": "2024-02-01",
            "implementation_date": "2024-06-01",
            "budget": 1_000_000,
        },
        "claims": {code: {"claimed_level": rng.randint(0, 3), "basis": "a"} for code in codes},
        "evidence": _evidence(rng, innovation),
    }


def _run(batch: list[dict[str, Any]], pack: Any) -> list[dict[str, Any]]:
    """Evaluate every innovation of a batch."""
    return [
        evaluate(
            item["profile"],
            item["claims"],
            item["evidence"],
            pack,
            YEAR,
            region="Kabupaten Balangan",
        )
        for item in batch
    ]


def main() -> None:
    """Time the engine and print (optionally write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks-checklist.md")
    args = parser.parse_args()
    pack = load_rulepack("iid-2026")
    rng = random.Random(SEED)
    batch = [_innovation(rng, number, pack.codes) for number in range(1, INNOVATIONS + 1)]
    _run(batch[:20], pack)  # warm-up

    singles = []
    for item in batch[:200]:
        start = time.perf_counter()
        _run([item], pack)
        singles.append((time.perf_counter() - start) * 1000)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        results = _run(batch, pack)
        runs.append(time.perf_counter() - start)
    start = time.perf_counter()
    fixes = rank_fixes(results)
    rank_seconds = time.perf_counter() - start
    start = time.perf_counter()
    projection = project_index(
        "iid-2026",
        spd=40,
        maturities=[r["maturity"]["supported"] for r in results],
        yandas_covered=6,
    )
    index_ms = (time.perf_counter() - start) * 1000

    evidence = sum(len(item["evidence"]) for item in batch)
    statuses: dict[str, int] = {}
    for result in results:
        for row in result["indicators"]:
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    one_median, one_p95 = statistics.median(singles), sorted(singles)[int(len(singles) * 0.95)]
    best = min(runs)
    lines = [
        "# Checklist engine benchmark",
        "",
        f"Generated by `python bench/bench_checklist.py --write` on {dt.date.today().isoformat()};",
        "rerun it to refresh these figures. Machine: "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}.",
        "",
        "Synthetic inputs (seed fixed): every innovation claims a level on all 20 indicators of",
        "`iid-2026` and has 20 evidence items (decrees, budgets by year, counts, values, photos,",
        "links, scans without text, wrong kinds, old documents), so every derivation method runs.",
        "",
        "| measure | target | result |",
        "|---|---|---|",
        f"| one innovation, median of 200 | < 20 ms | {one_median:.2f} ms (p95 {one_p95:.2f} ms) |",
        f"| {INNOVATIONS:,} innovations, {evidence:,} evidence, best of 3 | < 2 s | "
        f"{best:.2f} s ({INNOVATIONS / best:,.0f} innovations/s) |",
        f"| `rank_fixes` over the {INNOVATIONS:,} checklists | | {rank_seconds * 1000:.0f} ms "
        f"({len(fixes):,} rows) |",
        f"| `project_index` over {INNOVATIONS:,} maturities | | {index_ms:.2f} ms |",
        "",
        f"All three batch runs: {', '.join(f'{r:.2f} s' for r in runs)}. Indicator statuses in the",
        "batch: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())) + ".",
        f"Projected IID of the batch (SPD 40): {projection['iid']} ({projection['predicate']}).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        OUTPUT.write_text(report, encoding="utf-8")
        print(f"written to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
