"""Reindex memory: the whole process tree of a full rebuild, sampled while it runs.

The rebuild runs in a child process that streams its pages from a generator, as `sepeda
reindex` streams them from the database, so nothing but the indexer is measured. Every 0.2 s
the sampler sums the proportional set size (PSS: shared pages split between the processes
sharing them, so forked workers are not counted twice) and the resident size of the child
and all its descendants. Figures go to docs/benchmarks-search.md.

    python bench/bench_reindex_memory.py              # 100,000 pages
    python bench/bench_reindex_memory.py --docs 10000
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import bench_search  # noqa: E402

SAMPLE_S = 0.2


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; zeros when it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def child(count: int, folder: Path) -> None:
    """The rebuild itself: pages streamed from a generator, never held in a list."""
    from indexer.search import SearchIndex

    pages, _ = bench_search.load_corpus()
    index = SearchIndex.open(folder)
    written = index.rebuild(bench_search.synthetic_docs(pages, count))
    index.close()
    print(written, flush=True)


def measure(count: int) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-reindex-"))
    try:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(count), str(workdir / "index")],
            stdout=subprocess.PIPE,
            text=True,
        )
        peak_pss = peak_rss = peak_procs = 0
        while process.poll() is None:
            pids = _tree(process.pid)
            sizes = [_memory_kb(p) for p in pids]
            peak_pss = max(peak_pss, sum(s[0] for s in sizes))
            peak_rss = max(peak_rss, sum(s[1] for s in sizes))
            peak_procs = max(peak_procs, len(pids))
            time.sleep(SAMPLE_S)
        seconds = time.perf_counter() - start
        output = process.stdout.read() if process.stdout else ""
        if process.returncode != 0 or int(output.split()[-1]) != count:
            raise SystemExit(f"rebuild failed ({process.returncode}): {output!r}")
        return {
            "seconds": seconds,
            "pss_mb": peak_pss / 1024,
            "rss_mb": peak_rss / 1024,
            "procs": peak_procs,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def section(count: int, result: dict[str, float]) -> str:
    return "\n".join(
        [
            f"<!-- run:memory-{count} -->",
            f"## Full reindex memory, {count:,} pages",
            "",
            f"{time.strftime('%Y-%m-%d')}; `python bench/bench_reindex_memory.py"
            f"{'' if count == 100_000 else f' --docs {count}'}`: the rebuild in its own "
            "process, pages streamed from a generator (as `sepeda reindex` streams them from "
            "the database), the process tree sampled every 0.2 s.",
            "",
            "| pages | wall time | peak PSS, all processes | peak RSS, all processes | processes |",
            "|---|---|---|---|---|",
            f"| {count:,} | {result['seconds']:.0f} s | {result['pss_mb']:.0f} MB | "
            f"{result['rss_mb']:.0f} MB | {result['procs']:.0f} |",
            "",
            "PSS divides pages shared between the forked workers and their parent among them, "
            "so it is the tree's real footprint; the RSS sum counts shared pages once per "
            "process and overstates it.",
            f"<!-- end:memory-{count} -->",
            "",
        ]
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="pages to index")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    result = measure(args.docs)
    report = section(args.docs, result)
    print(report)
    if not args.no_write:
        bench_search.write_section(f"memory-{args.docs}", report)


if __name__ == "__main__":
    main()
