"""Run every benchmark: ``python -m bench [--quick] [--only AREA ...] [--json FILE]``.

Full runs take an hour or more on a 2-CPU machine and write their tables into ``docs/``.
``--quick`` runs each area on a small seeded corpus in about two minutes and writes nothing
into ``docs/``: CI uses it to check that every benchmark still runs, not the figures. Each
area runs in its own process (so peak memory is its own); the summary (area, command, exit
code, seconds) is printed and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "bench"

# area -> (full arguments, quick arguments); quick runs never write into docs/.
AREAS: dict[str, tuple[list[str], list[str]]] = {
    "checklist": (["bench_checklist.py", "--write"], ["bench_checklist.py"]),
    "search": (
        ["bench_search.py", "--full"],
        ["bench_search.py", "--docs", "400", "--rounds", "1", "--no-write"],
    ),
    "phrases": (
        ["bench_phrases.py"],
        ["bench_phrases.py", "--docs", "400", "--rounds", "1", "--no-write"],
    ),
    "reindex-memory": (
        ["bench_reindex_memory.py"],
        ["bench_reindex_memory.py", "--docs", "400", "--no-write"],
    ),
    "extraction": (
        ["bench_extract.py"],
        [
            "bench_extract.py",
            "--files",
            "3",
            "--pages",
            "2",
            "--scan-pages",
            "1",
            "--rounds",
            "1",
            "--office",
            "3",
            "--out",
            "{tmp}/extract.md",
        ],
    ),
    "upload": (
        ["bench_upload.py"],
        ["bench_upload.py", "--runs", "3", "--pdf-mb", "1", "--big-mb", "5", "--no-fail"],
    ),
    "load": (
        ["bench_load.py"],
        [
            "bench_load.py",
            "--clients",
            "3",
            "--seconds",
            "3",
            "--think",
            "0",
            "--baseline",
            "0.5",
            "--regulations",
            "6",
            "--no-drain",
            "--no-write",
            "--no-fail",
        ],
    ),
    "pages": (
        ["bench_pages.py", "--write"],
        ["bench_pages.py", "--innovations", "20", "--files", "2", "--runs", "2"],
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, nothing written")
    parser.add_argument("--only", nargs="+", choices=sorted(AREAS), metavar="AREA")
    parser.add_argument("--json", type=Path, help="write the summary here (default: print)")
    args = parser.parse_args()
    summary: dict[str, object] = {
        "machine": f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "quick": args.quick,
        "areas": [],
    }
    failed = 0
    with tempfile.TemporaryDirectory(prefix="sepeda-bench-") as tmp:
        for area in args.only or list(AREAS):
            full, quick = AREAS[area]
            command = [a.replace("{tmp}", tmp) for a in (quick if args.quick else full)]
            print(f"== {area}: {' '.join(command)}", flush=True)
            started = time.monotonic()
            code = subprocess.call([sys.executable, str(HERE / command[0]), *command[1:]], cwd=ROOT)
            seconds = time.monotonic() - started
            failed += code != 0
            summary["areas"].append(  # type: ignore[attr-defined]
                {"area": area, "command": command, "exit": code, "seconds": round(seconds, 1)}
            )
            print(f"== {area}: exit {code} in {seconds:.1f} s", flush=True)
    text = json.dumps(summary, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
