"""Search benchmark: Whoosh `SearchIndex` beside SQLite FTS5 on the same pages and queries.

Synthetic evidence pages (about 3,000 characters, like a printed page) are cut from the real
regulations in ../shared/corpus/id-docs and spread over innovations, units, years and
indicators. Both engines index the same pages and answer the same 50 queries (top 20 plus the
total count, with a snippet per hit). Figures go to docs/benchmarks-search.md.

    python bench/bench_search.py            # 10,000 pages
    python bench/bench_search.py --full     # 100,000 pages
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.search import SearchIndex  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "id-docs"
OUTPUT = ROOT / "docs" / "benchmarks-search.md"
PAGE_CHARS = 3000
PAGES_PER_INNOVATION = 25
UNITS = ["bappeda", "dinkes", "disdik", "dpmptsp", "rsud", "pkm-paringin", "kec-juai"]
INDICATORS = ["regulasi", "sdm", "anggaran", "sosialisasi", "pedoman", "monev", "replikasi"]
SEED = 20261127

# Hand-picked queries: single words, word families, phrases, prefixes, typos, numbers.
FIXED_QUERIES = [
    "inovasi daerah",
    "penetapan",
    "ditetapkan",
    "pengelolaan keuangan",
    "pelayanan publik",
    "informasi publik",
    '"pelayanan informasi publik"',
    '"data pribadi"',
    "pengawasan",
    "pemerintahan daerah",
    "penyelenggaraan",
    "kendaraan bermotor",
    "pajak",
    "inov*",
    "keteramp*",
    "pelayann publik",
    "kabupaten magelang",
    "satu data",
    "188.4/69",
    "NOMOR 23 TAHUN 2014",
]


def pages_of(text: str) -> list[str]:
    """Cut a text at line ends into pages of about PAGE_CHARS characters."""
    out, current = [], ""
    for line in text.splitlines(keepends=True):
        if len(current) + len(line) > PAGE_CHARS and current:
            out.append(current)
            current = ""
        current += line
    return [*out, current] if current else out


def load_corpus() -> tuple[list[str], list[dict[str, str]]]:
    """All pages of the corpus, and its labels."""
    with open(CORPUS / "labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    pages = []
    for row in labels:
        pages += pages_of((CORPUS / row["file"]).read_text(encoding="utf-8"))
    return pages, labels


def queries(labels: list[dict[str, str]]) -> list[str]:
    """The fixed 50 queries: the hand-picked ones, then title fragments and numbers."""
    titles = [r["title"] for r in labels if r["title"]]
    numbers = [r["number"] for r in labels if r["number"]]
    out = list(FIXED_QUERIES)
    out += [" ".join(t.split()[:4]).lower() for t in titles[:15]]
    out += numbers[: 50 - len(out)]
    return out[:50]


def synthetic_docs(pages: list[str], count: int) -> Iterator[dict]:
    """``count`` evidence pages: real pages with lines shuffled lightly, metadata spread."""
    rng = random.Random(SEED)
    for n in range(count):
        lines = rng.choice(pages).splitlines()
        if len(lines) > 4:
            cut = rng.randrange(1, len(lines) - 1)
            lines = lines[cut:] + lines[:cut]  # a different "page" of similar text
        evidence_id = n // 4 + 1
        innovation_id = n // PAGES_PER_INNOVATION + 1
        yield {
            "doc_id": f"e{evidence_id}p{n % 4 + 1}",
            "type": "evidence",
            "evidence_id": evidence_id,
            "innovation_id": innovation_id,
            "page": n % 4 + 1,
            "text": "\n".join(lines),
            "filename": f"bukti-{evidence_id}.pdf",
            "indicator": INDICATORS[evidence_id % len(INDICATORS)],
            "unit": UNITS[innovation_id % len(UNITS)],
            "year": 2020 + innovation_id % 6,
            "innovation_name": f"Inovasi {innovation_id}",
            "kind": "other",
            "number": None,
            "status": "verified",
            "published": innovation_id % 2 == 0,
        }


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def latencies(run: Callable[[str], object], qs: list[str], rounds: int) -> dict[str, float]:
    """p50/p95/mean in milliseconds over ``rounds`` passes after one warm-up pass."""
    for q in qs:
        run(q)
    times = []
    for _ in range(rounds):
        for q in qs:
            start = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "mean": statistics.fmean(times),
    }


# -- Whoosh ------------------------------------------------------------------------------------


def bench_whoosh(docs: list[dict], qs: list[str], workdir: Path, rounds: int) -> dict:
    ix = SearchIndex.open(workdir / "whoosh")
    start = time.perf_counter()
    ix.rebuild(docs)
    build = time.perf_counter() - start
    size = folder_size(workdir / "whoosh")
    allowed = set(range(1, 51))  # an admin of one unit: 50 innovations

    def everyone(q: str) -> object:
        return ix.search(q, allowed_innovation_ids=None)

    def restricted(q: str) -> object:
        return ix.search(q, allowed_innovation_ids=allowed)

    start = time.perf_counter()
    ix.update(docs[:100])
    update = time.perf_counter() - start
    totals = {q: ix.search(q, allowed_innovation_ids=None)["total"] for q in qs}
    return {
        "build_s": build,
        "docs_per_s": len(docs) / build,
        "size": size,
        "update_100_s": update,
        "all": latencies(everyone, qs, rounds),
        "restricted": latencies(restricted, qs, rounds),
        "zero_hits": sum(1 for t in totals.values() if t == 0),
    }


# -- SQLite FTS5 -------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def fts_query(q: str) -> str:
    """The same query for FTS5: words ANDed, quoted phrases kept, ``x*`` as prefix."""
    parts = []
    for phrase in re.findall(r'"([^"]+)"', q):
        words = _WORD.findall(phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = re.sub(r'"[^"]*"', " ", q)
    for chunk in rest.split():
        words = _WORD.findall(chunk)
        if not words:
            continue
        if chunk.endswith("*") and len(words) == 1:
            parts.append(f'"{words[0]}"*')
        else:
            parts += [f'"{w}"' for w in words]
    return " ".join(parts) or '""'


def bench_fts5(docs: list[dict], qs: list[str], workdir: Path, rounds: int) -> dict:
    path = workdir / "fts.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5("
        "text, name, doc_id UNINDEXED, innovation_id UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    start = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO pages(text, name, doc_id, innovation_id) VALUES (?, ?, ?, ?)",
            (
                (
                    d["text"],
                    f"{d['filename']} {d['innovation_name']}",
                    d["doc_id"],
                    d["innovation_id"],
                )
                for d in docs
            ),
        )
        db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    build = time.perf_counter() - start
    size = path.stat().st_size
    allowed = ",".join(str(i) for i in range(1, 51))

    def run(q: str, where: str = "") -> object:
        match = fts_query(q)
        total = db.execute(
            f"SELECT count(*) FROM pages WHERE pages MATCH ? {where}", (match,)
        ).fetchone()
        hits = db.execute(
            "SELECT doc_id, snippet(pages, 0, '<mark>', '</mark>', '…', 24) FROM pages "
            f"WHERE pages MATCH ? {where} ORDER BY rank LIMIT 20",
            (match,),
        ).fetchall()
        return total, hits

    def restricted(q: str) -> object:
        return run(q, f"AND innovation_id IN ({allowed})")

    totals = {q: run(q)[0][0] for q in qs}
    result = {
        "build_s": build,
        "docs_per_s": len(docs) / build,
        "size": size,
        "all": latencies(run, qs, rounds),
        "restricted": latencies(restricted, qs, rounds),
        "zero_hits": sum(1 for t in totals.values() if t == 0),
    }
    db.close()
    return result


HEADER = """# Search benchmark

`python bench/bench_search.py` (10,000 pages) or `--full` (100,000); each run replaces its own
section below. Synthetic evidence pages (~3,000 characters each) are cut from the 65 real
regulations of `shared/corpus/id-docs` and spread over innovations, units, years and
indicators. Both engines index the same pages and answer the same 50 fixed queries (words, word
families, phrases, prefixes, typos, decree numbers, title fragments): top 20 with a snippet per
hit, plus the exact total (Whoosh falls back to any-word matching when all words find nothing;
the FTS5 side does not). *Restricted* = a caller who may see 50 innovations (the permission
filter inside the query). Latencies: one warm-up pass, then the timed passes.

FTS5 is the faster engine by a wide margin (C against pure Python), but it has no Indonesian
stemmer (`penetapan` does not find `ditetapkan`), no decree-number field and no permission-aware
spelling suggestion; the gap is what the Python analysis, BM25F over several fields, the
permission filter and snippets cost. The scale-out backend (PostgreSQL `to_tsvector('indonesian',
...)` or OpenSearch) would sit behind the same `SearchBackend` protocol.

Whoosh cost grows about linearly with the number of pages (scoring, exact totals and the
permission filter are pure Python; a restricted caller is faster because fewer pages qualify).
Indexing runs at 150-200 pages/s, so a full `sepeda reindex` of 10,000 pages takes about a
minute and of 100,000 about 11 minutes. One regency (tens of thousands of pages over the
years) is comfortable; a province or national deployment should use the cluster backend.
"""


def section(count: int, nq: int, rounds: int, whoosh: dict, fts: dict) -> str:
    """This run's section of docs/benchmarks-search.md."""

    def mb(n: int) -> str:
        return f"{n / 1e6:.1f} MB"

    def row(name: str, r: dict) -> str:
        return (
            f"| {name} | {r['docs_per_s']:,.0f} | {r['build_s']:.1f} s | {mb(r['size'])} | "
            f"{r['all']['p50']:.1f} / {r['all']['p95']:.1f} | "
            f"{r['restricted']['p50']:.1f} / {r['restricted']['p95']:.1f} | {r['zero_hits']} |"
        )

    machine = f"{platform.python_implementation()} {platform.python_version()}, "
    machine += f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    return "\n".join(
        [
            f"<!-- run:{count} -->",
            f"## {count:,} pages",
            "",
            f"{time.strftime('%Y-%m-%d')}; {machine}; SQLite {sqlite3.sqlite_version}; "
            f"{nq} queries x {rounds} timed passes.",
            "",
            "| engine | pages/s | build | size | p50 / p95 ms | restricted p50 / p95 ms "
            "| queries with 0 hits |",
            "|---|---|---|---|---|---|---|",
            row("Whoosh `SearchIndex`", whoosh),
            row("SQLite FTS5 (unicode61, no stemming)", fts),
            "",
            f"Whoosh incremental update of 100 pages (one commit): "
            f"{whoosh['update_100_s'] * 1000:.0f} ms.",
            f"<!-- end:{count} -->",
            "",
        ]
    )


def write_report(count: int, text: str) -> None:
    """Replace this size's section in docs/benchmarks-search.md, keeping the others."""
    sections: dict[int, str] = {}
    if OUTPUT.exists():
        pattern = r"<!-- run:(\d+) -->.*?<!-- end:\1 -->\n"
        for match in re.finditer(pattern, OUTPUT.read_text(encoding="utf-8"), re.S):
            sections[int(match.group(1))] = match.group(0)
    sections[count] = text
    body = "\n".join(sections[k] for k in sorted(sections))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(HEADER + "\n" + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="100,000 pages instead of 10,000")
    parser.add_argument("--docs", type=int, help="explicit number of pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    count = args.docs or (100_000 if args.full else 10_000)
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    pages, labels = load_corpus()
    qs = queries(labels)
    docs = list(synthetic_docs(pages, count))
    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        print(f"{count:,} pages, {len(qs)} queries, in {workdir}", flush=True)
        whoosh = bench_whoosh(docs, qs, workdir, args.rounds)
        print("whoosh", whoosh, flush=True)
        fts = bench_fts5(docs, qs, workdir, args.rounds)
        print("fts5", fts, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = section(count, len(qs), args.rounds, whoosh, fts)
    print(report)
    if not args.no_write:
        write_report(count, report)


if __name__ == "__main__":
    main()
