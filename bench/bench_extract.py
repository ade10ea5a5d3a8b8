"""Extraction throughput: the sandboxed extractor beside pdftotext, plus OCR seconds per page."""

# Usage (from the repository root):
#   python bench/bench_extract.py [--files 40] [--pages 25] [--scan-pages 8]
#                                 [--out docs/benchmarks-extract.md]
# Generates born-digital text PDFs and image-only "scans" in a temporary folder, then times
#   1. extract_file in-process on one core (PDFium's text layer, our fast path) and pypdf
#      alone (the former path), on one core,
#   2. the Supervisor with its default workers (cores - 1) and with one per core,
#   3. pdftotext (poppler) on the same files, sequential and with one process per core,
#      each timed run repeated (median and spread) and interleaved so ratios hold on a
#      noisy machine; the headline is sandbox / pdftotext with the same number of processes,
#   4. text quality: pypdf and PDFium against pdftotext on the real sample PDFs, and against
#      the known text of the 65 labelled regulations set as PDFs (words, characters, order),
#   5. OCR of the scans through the Supervisor (Tesseract ind+eng), in seconds per page.

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import difflib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.extract import DOCX, PDF, XLSX, ExtractionResult, extract_file, limits  # noqa: E402
from indexer.extract.ocr import tesseract_path  # noqa: E402
from indexer.sandbox import Job, Supervisor, default_workers  # noqa: E402

_VOCABULARY = """
inovasi daerah pelayanan publik kabupaten balangan keputusan bupati penetapan tim puskesmas
dinas kesehatan anggaran kegiatan sosialisasi bimbingan teknis pedoman monitoring evaluasi
laporan masyarakat peningkatan kualitas kemudahan informasi pengaduan replikasi kecepatan
kemanfaatan regulasi sumber daya manusia jejaring aktor
"""
WORDS = _VOCABULARY.split()


# -- a minimal PDF writer (text pages with compressed content streams) -------------------


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(pages: list[list[str]]) -> bytes:
    """A born-digital PDF, one list of lines per page, in Helvetica."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        ops = b"BT /F1 10 Tf 13 TL 50 800 Td\n" + b"\n".join(
            b"(%s) '" % _escape(line) for line in lines
        )
        data = zlib.compress(ops + b"\nET")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
        )
    return _pdf(objects)


def make_corpus(folder: Path, files: int, pages: int, seed: int = 7) -> list[Path]:
    """`files` PDFs of `pages` pages, each page about 55 lines of 90 characters."""
    rng = random.Random(seed)
    paths = []
    for n in range(files):
        doc = []
        for _ in range(pages):
            lines = []
            for _ in range(55):
                line = ""
                while len(line) < 85:
                    line += rng.choice(WORDS) + " "
                lines.append(line.strip())
            doc.append(lines)
        path = folder / f"doc{n:03d}.pdf"
        path.write_bytes(text_pdf(doc))
        paths.append(path)
    return paths


def make_scans(folder: Path, pages: int) -> Path:
    """An image-only PDF of A4 pages at 200 dpi, like a flatbed scan of a decree."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=30)
    rng = random.Random(11)
    images = []
    for p in range(pages):
        img = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(img)
        draw.text((140, 150), f"KEPUTUSAN BUPATI BALANGAN NOMOR 188.45/{p + 1}/2024", font=font)
        for row in range(40):
            words = " ".join(rng.choice(WORDS) for _ in range(9))
            draw.text((140, 260 + row * 48), words, font=font)
        images.append(img)
    path = folder / "scans.pdf"
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return path


def make_office_corpus(folder: Path, count: int, seed: int = 5) -> list[tuple[Path, str]]:
    """Realistic documents of 1 to 5 pages from the 65 labelled regulations: the decree as a
    PDF and as a DOCX, and a budget table (anggaran per year and activity) as an XLSX."""
    from docx import Document
    from openpyxl import Workbook

    rng = random.Random(seed)
    sources = sorted((ROOT / "tests" / "data" / "id-docs").glob("a*.txt"))
    out: list[tuple[Path, str]] = []
    for n in range(count):
        text = sources[n % len(sources)].read_text(encoding="utf-8")
        lines = [ln[:90] for ln in text.splitlines() if ln.strip()]
        pages = rng.randint(1, 5)
        chunks = [lines[i * 55 : (i + 1) * 55] or ["-"] for i in range(pages)]
        pdf = folder / f"real{n:03d}.pdf"
        pdf.write_bytes(text_pdf(chunks))
        out.append((pdf, PDF))
        doc = Document()
        for chunk in chunks:
            for line in chunk:
                doc.add_paragraph(line)
            doc.add_page_break()
        path = folder / f"real{n:03d}.docx"
        doc.save(path)
        out.append((path, DOCX))
        book = Workbook()
        sheet = book.active
        sheet.append(["Tahun", "Kegiatan", "Pagu (Rp)", "Realisasi (Rp)", "Keterangan"])
        for _ in range(rng.randint(20, 120)):
            pagu = rng.randint(5, 500) * 1_000_000
            sheet.append([rng.choice([2024, 2025, 2026]), " ".join(rng.sample(WORDS, 4)), pagu,
                          int(pagu * rng.uniform(0.5, 1.0)), rng.choice(WORDS)])  # fmt: skip
        path = folder / f"real{n:03d}.xlsx"
        book.save(path)
        out.append((path, XLSX))
    return out


def office_rows(corpus: list[tuple[Path, str]], workers: int) -> list[str]:
    """Files per second by format, in-process and through the sandbox, beside pdftotext."""
    lines = ["| format | files | in-process files/s | sandbox files/s "
             f"({workers} workers, warm) | pdftotext files/s ({workers} at once) |",
             "|---|---:|---:|---:|---:|"]  # fmt: skip
    for media, label in ((PDF, "PDF (1 to 5 pages)"), (DOCX, "DOCX"), (XLSX, "XLSX")):
        files = [path for path, kind in corpus if kind == media]
        started = time.perf_counter()
        for path in files:
            result = extract_file(str(path), media, ocr=False)
            assert result.status == "done", (path, result.reason)
        alone = len(files) / (time.perf_counter() - started)
        with Supervisor(workers=workers, timeout_s=600) as sup:
            list(sup.run([Job(("warm", i), str(files[0]), media) for i in range(workers)]))
            started = time.perf_counter()
            for _, outcome in sup.run(Job(str(f), str(f), media) for f in files):
                assert isinstance(outcome, ExtractionResult) and outcome.status == "done"
            boxed = len(files) / (time.perf_counter() - started)
        tool = "-"
        if media == PDF and shutil.which("pdftotext"):
            seconds, _ = pdftotext(files, workers)
            tool = f"{len(files) / seconds:.0f}"
        lines.append(f"| {label} | {len(files)} | {alone:.0f} | {boxed:.0f} | {tool} |")
    return lines


# -- runners ---------------------------------------------------------------------------------


def pypdf_only(paths: list[Path]) -> tuple[float, int]:
    """The former extraction path: pypdf's text of every page, nothing else."""
    from pypdf import PdfReader

    started = time.perf_counter()
    pages = 0
    for path in paths:
        for page in PdfReader(path).pages:
            page.extract_text()
            pages += 1
    return time.perf_counter() - started, pages


def in_process(paths: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    pages = 0
    for path in paths:
        result = extract_file(str(path), PDF, ocr=False)
        assert result.status in {"done", "no_text"}, result.reason
        pages += result.page_count
    return time.perf_counter() - started, pages


def sandboxed(paths: list[Path], workers: int) -> tuple[float, float, int]:
    """(seconds including child start-up, seconds once warm, pages)."""
    started = time.perf_counter()
    with Supervisor(workers=workers, timeout_s=600) as sup:
        # Warm-up: one tiny job per slot starts the children.
        warm_jobs = [Job(("warm", i), str(paths[0]), PDF) for i in range(workers)]
        list(sup.run(warm_jobs))
        warm = time.perf_counter()
        pages = 0
        for _, outcome in sup.run(Job(str(p), str(p), PDF) for p in paths):
            assert isinstance(outcome, ExtractionResult) and outcome.status == "done", outcome
            pages += outcome.page_count
        ended = time.perf_counter()
    return ended - started, ended - warm, pages


def _pdftotext(path: Path) -> int:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    return out.count(b"\f")


def pdftotext(paths: list[Path], workers: int) -> tuple[float, int]:
    started = time.perf_counter()
    with cf.ThreadPoolExecutor(workers) as pool:
        pages = sum(pool.map(_pdftotext, paths))
    return time.perf_counter() - started, pages


def ocr_run(scan: Path) -> tuple[float, ExtractionResult]:
    started = time.perf_counter()
    with Supervisor(workers=1, timeout_s=1200) as sup:
        outcome = sup.run_one(Job("scan", str(scan), PDF, options={"ocr_budget_s": None}))
    assert isinstance(outcome, ExtractionResult), outcome
    return time.perf_counter() - started, outcome


# -- text quality ----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _similarity(reference: list[str], other: list[str]) -> float:
    """How much of the reference's word sequence the other text holds, in order (0 to 1)."""
    if not reference and not other:
        return 1.0
    return difflib.SequenceMatcher(None, reference, other, autojunk=False).ratio()


def _pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _pdfium_text(path: Path) -> str:
    """The text the product stores: extract_file, PDFium first, without OCR."""
    return "\n".join(extract_file(str(path), PDF, ocr=False).pages)


def quality(samples: list[Path], folder: Path) -> list[str]:
    """Markdown lines comparing the two libraries' text with a reference."""
    lines = [
        "| document | reference words | pypdf words | pypdf in order | PDFium words "
        "| PDFium in order |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path in samples:
        ref = _words(
            subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout.decode(
                "utf-8", "replace"
            )
        )
        a, b = _words(_pypdf_text(path)), _words(_pdfium_text(path))
        lines.append(
            f"| {path.name} (vs pdftotext) | {len(ref)} | {len(a)} | {_similarity(ref, a):.3f} "
            f"| {len(b)} | {_similarity(ref, b):.3f} |"
        )
    docs = sorted((ROOT / "tests" / "data" / "id-docs").glob("a*.txt"))
    if docs:
        totals = {"ref": 0, "pypdf": 0, "pdfium": 0}
        ratios: dict[str, list[float]] = {"pypdf": [], "pdfium": []}
        chars: dict[str, int] = {"ref": 0, "pypdf": 0, "pdfium": 0}
        for doc in docs:
            text = doc.read_text(encoding="utf-8")
            lines_of = [ln[:90] for ln in text.splitlines() if ln.strip()][:300]
            pages = [lines_of[i : i + 55] for i in range(0, len(lines_of), 55)] or [["-"]]
            pdf = folder / f"{doc.stem}.pdf"
            pdf.write_bytes(text_pdf(pages))
            truth = "\n".join(lines_of).encode("cp1252", "replace").decode("cp1252")
            ref = _words(truth)
            totals["ref"] += len(ref)
            chars["ref"] += _visible(truth)
            for name, read in (("pypdf", _pypdf_text), ("pdfium", _pdfium_text)):
                got = read(pdf)
                totals[name] += len(_words(got))
                chars[name] += _visible(got)
                ratios[name].append(_similarity(ref, _words(got)))
        lines.append(
            f"| {len(docs)} labelled regulations set as PDFs (vs their own text) | {totals['ref']} "
            f"| {totals['pypdf']} | {statistics.mean(ratios['pypdf']):.3f} "
            f"(min {min(ratios['pypdf']):.3f}) | {totals['pdfium']} "
            f"| {statistics.mean(ratios['pdfium']):.3f} (min {min(ratios['pdfium']):.3f}) |"
        )
        lines.append("")
        lines.append(
            f"Visible characters (not counting spaces) in the regulations: {chars['ref']:,} in the "
            f"source, {chars['pypdf']:,} from pypdf, {chars['pdfium']:,} from PDFium."
        )
    return lines


# -- report ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--scan-pages", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument(
        "--office", type=int, default=40, help="documents of each format (PDF, DOCX, XLSX)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-extract.md")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows: list[tuple[str, int, float, int]] = []

    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp)
        paths = make_corpus(folder, args.files, args.pages)
        total = args.files * args.pages
        print(f"corpus: {args.files} PDFs x {args.pages} pages = {total} pages", flush=True)

        # Each round times every runner once, in turn, so a slow minute on a shared machine
        # hits all of them; the table shows the median round and the spread.
        runners: list[tuple[str, int, object]] = [
            ("extract_file in-process (PDFium text layer, no sandbox)", 1, in_process),
            ("pypdf alone in-process (the former path)", 1, pypdf_only),
        ]
        for workers in sorted({default_workers(), cores}):
            runners.append((f"sandbox, warm ({workers} worker(s))", workers, workers))
        have_pdftotext = shutil.which("pdftotext") is not None
        if have_pdftotext:
            for workers in sorted({1, cores}):
                runners.append((f"pdftotext ({workers} process(es) at once)", workers, -workers))
        timings: dict[str, list[float]] = {label: [] for label, _, _ in runners}
        page_counts: dict[str, int] = {}
        extra: list[str] = []
        for _ in range(args.rounds):
            for label, _workers, how in runners:
                if callable(how):
                    seconds, pages = how(paths)
                elif isinstance(how, int) and how > 0:
                    cold, seconds, pages = sandboxed(paths, how)
                    if len(timings[label]) == 0:
                        extra.append(
                            f"- sandbox with {how} worker(s), including child start-up: "
                            f"{cold:.2f} s, {pages / cold:.1f} pages/s"
                        )
                else:
                    seconds, pages = pdftotext(paths, -int(how))  # type: ignore[call-overload]
                timings[label].append(seconds)
                page_counts[label] = pages
        for label, workers, _ in runners:
            rows.append((label, workers, statistics.median(timings[label]), page_counts[label]))
            spread = timings[label]
            extra.append(
                f"- {label}: {args.rounds} round(s), {min(spread):.2f} to {max(spread):.2f} s"
            )
        if have_pdftotext:
            sandbox_rate = page_counts[f"sandbox, warm ({cores} worker(s))"] / statistics.median(
                timings[f"sandbox, warm ({cores} worker(s))"]
            )
            tool_rate = page_counts[f"pdftotext ({cores} process(es) at once)"] / statistics.median(
                timings[f"pdftotext ({cores} process(es) at once)"]
            )
            ratio = sandbox_rate / tool_rate
            extra.insert(
                0,
                f"- **sandbox / pdftotext with {cores} processes each: {ratio:.2f}** "
                f"({sandbox_rate:.0f} / {tool_rate:.0f} pages/s; target >= 0.5: "
                f"{'met' if ratio >= 0.5 else 'missed'})",
            )
            extra.insert(1, "")
        samples = sorted((ROOT / "tests" / "data" / "sample-pdfs").glob("*.pdf"))
        samples = [p for p in samples if "password" not in p.name]
        if samples and have_pdftotext:
            seconds, pages = min(in_process(samples) for _ in range(3))
            rows.append(
                (
                    f"real sample PDFs, extract_file in-process ({len(samples)} files)",
                    1,
                    seconds,
                    pages,
                )
            )
            seconds, pages = min(pypdf_only(samples) for _ in range(3))
            rows.append(
                (f"real sample PDFs, pypdf alone ({len(samples)} files)", 1, seconds, pages)
            )
            seconds, pages = min(pdftotext(samples, 1) for _ in range(3))
            rows.append((f"real sample PDFs, pdftotext ({len(samples)} files)", 1, seconds, pages))
        quality_lines = quality(samples, folder) if have_pdftotext else ["- skipped: no pdftotext"]
        office = make_office_corpus(folder, args.office)
        office_lines = office_rows(office, cores) if office else []
        print("\n".join(office_lines), flush=True)
        print("\n".join([*extra, "", *quality_lines]), flush=True)
        for label, _, seconds, pages in rows:
            print(f"{label:45s} {pages / seconds:8.1f} pages/s", flush=True)

        ocr_lines: list[str] = []
        if tesseract_path() and args.scan_pages:
            scan = make_scans(folder, args.scan_pages)
            wall, result = ocr_run(scan)
            ocr_s = result.meta.get("ocr_seconds", 0.0)
            readable = sum("188.45/" in page for page in result.pages)
            ocr_lines = [
                f"- {args.scan_pages} image-only A4 pages at 200 dpi (40 lines each), "
                f"rendered by pdfium at {limits.OCR_DPI} dpi, Tesseract `ind+eng`, "
                "`OMP_THREAD_LIMIT=1`",
                f"- OCR: **{ocr_s / args.scan_pages:.2f} s per page** "
                f"({ocr_s:.1f} s for {args.scan_pages} pages; job wall time {wall:.1f} s "
                "including child start-up)",
                f"- decree number read correctly on {readable} of {args.scan_pages} pages",
            ]
            print("\n".join(ocr_lines))
        else:
            ocr_lines = ["- skipped: tesseract with `ind` and `eng` is not installed"]

    write_report(args, rows, extra, quality_lines, ocr_lines, office_lines)


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError:
        return "not installed"
    return (out.stdout or out.stderr).strip().splitlines()[0]


def write_report(
    args: argparse.Namespace,
    rows: list[tuple[str, int, float, int]],
    extra: list[str],
    quality_lines: list[str],
    ocr_lines: list[str],
    office_lines: list[str],
) -> None:
    from importlib.metadata import version

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        pass
    table = ["| run | workers | seconds | pages | pages/s |", "|---|---|---|---|---|"]
    for label, workers, seconds, pages in rows:
        table.append(f"| {label} | {workers} | {seconds:.2f} | {pages} | {pages / seconds:.1f} |")
    text = f"""# Extraction benchmark

Generated by `python bench/bench_extract.py` on {dt.date.today().isoformat()}; rerun it to
refresh these figures. Machine: {os.cpu_count()} cores ({cpu}), Python
{platform.python_version()}, pypdf {version("pypdf")}, pypdfium2 {version("pypdfium2")},
{_version(["pdftotext", "-v"])}, {_version(["tesseract", "--version"])}.

## Text PDFs

{args.files} generated born-digital PDFs x {args.pages} pages (about 55 lines of 90 characters
per page, Helvetica, Flate-compressed content). Every timed run is repeated {args.rounds} times in
interleaved rounds (each round runs every row once) and the table shows the median; the spread
is listed under it.

{chr(10).join(table)}

{chr(10).join(extra)}

`extract_file` reads the text layer with PDFium (`pypdfium2`) and keeps pypdf for metadata, for
files PDFium cannot open or finds no text in (pypdf explains passwords, loops and broken page
trees, or reads what PDFium could not) and for single pages PDFium fails on. The sandbox adds
the child processes, the pickled results and the scan check; pdftotext starts one process per
file and writes to a pipe. The real-sample rows use the py-pdf sample files in
`tests/data/sample-pdfs` (real producers, fonts and layouts; the encrypted one left out), one
core, best of three.

"Warm" excludes starting the children (a spawned interpreter importing pypdf, pdfium, PIL,
python-docx and openpyxl), which the background worker pays once per child, not per job:
children are reused for up to 50 jobs.

## Realistic documents: PDF, DOCX and XLSX

{args.office} documents of each format, seeded: the labelled regulations cut to 1 to 5 pages, as a
PDF and as a DOCX (one paragraph a line, a page break between pages), and budget tables of 20 to
120 rows (year, activity, ceiling, spending) as an XLSX. Files per second, one pass each.

{chr(10).join(office_lines)}

## Text quality: pypdf and PDFium

Words are runs of letters and digits, lower-cased; "in order" is the share of the reference's
word sequence the text holds in the same order (difflib's ratio over words, 1.000 = the same
words in the same order). The real samples are compared with pdftotext; the 65 labelled
regulations (`tests/data/id-docs`) are set as PDFs (Helvetica, 55 lines of up to 90 characters
a page, at most 300 lines each) and compared with the text they were made from.

{chr(10).join(quality_lines)}

## OCR (scanned pages)

{chr(10).join(ocr_lines)}

OCR dominates everything else: a scanned page costs about as much as hundreds of text pages.
Size the per-job timeout (default 120 s) for the longest scans expected; OCR stops starting new
pages after 60 % of the timeout and reports the rest in `meta.ocr_skipped_pages`.
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
