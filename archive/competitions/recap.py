"""The results recap of a competition: one XLSX sheet per stage, or a printable PDF."""

from __future__ import annotations

from typing import Any

from archive.competitions.access import RUNNERS, stages_of
from archive.competitions.ranking import TIE_RULE
from archive.competitions.results import StageResults, stage_results
from archive.errors import BadInput, Forbidden
from archive.exports import to_workbook
from archive.models import Competition, StageState, User

STATE_LABELS = {
    StageState.WAITING: "belum dibuka",
    StageState.OPEN: "sedang dinilai (sementara)",
    StageState.CLOSED: "ditutup",
}


def _judge_columns(results: StageResults) -> list[str]:
    return sorted(results.judges)


def stage_rows(results: StageResults) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of one stage: rank, entry, unit, each judge's score, mean, spread, pass."""
    judges = _judge_columns(results)
    columns = ["Peringkat", "Kode", "Inovasi", "Unit"]
    columns += [f"Juri: {results.judges[j]}" for j in judges]
    columns += ["Rata-rata", "Simpangan baku", "Selisih tertinggi-terendah", "Lolos"]
    rows = []
    for r in results.results:
        entry = results.entries[r.entry_id]
        per_judge = {j.judge: j.weighted for j in r.judges}
        rows.append([
            r.rank if r.rank is not None else "-", r.code, entry.innovation.name,
            entry.innovation.unit.name,
            *[per_judge.get(j) if per_judge.get(j) is not None else "-" for j in judges],
            r.score if r.score is not None else "-",
            r.stdev if r.stdev is not None else "-",
            r.spread if r.spread is not None else "-",
            "ya" if r.passed else "tidak",
        ])  # fmt: skip
    return columns, rows


async def all_stages(competition: Competition) -> list[StageResults]:
    return [await stage_results(s) for s in await stages_of(competition)]


async def xlsx(competition: Competition) -> bytes:
    sheets = []
    for results in await all_stages(competition):
        columns, rows = stage_rows(results)
        sheets.append((f"Tahap {results.stage.position}", columns, rows))
    return to_workbook(sheets)


async def pdf(competition: Competition) -> bytes:
    # fpdf is loaded when a PDF is asked for: half a second and memory every process saves.
    from archive.reports_pdf import _Report, _table

    report = _Report(f"Rekap {competition.name}")
    report.add_page(orientation="L")
    report.line_text(f"Rekap hasil {competition.name} ({competition.year})", size=14, bold=True)
    report.line_text(TIE_RULE, size=9)
    for results in await all_stages(competition):
        stage = results.stage
        report.ln(2)
        report.line_text(
            f"Tahap {stage.position}: {stage.name} ({STATE_LABELS[stage.state]}), "
            f"nilai lolos {stage.passing_grade:g}",
            size=11,
            bold=True,
        )
        weights = ", ".join(f"{c['name']} {c['weight']}%" for c in stage.criteria)
        report.line_text(f"Kriteria: {weights}", size=8.5)
        columns, rows = stage_rows(results)
        judges = len(columns) - 8
        widths = [18, 16, 60, 45] + [22] * judges + [20, 20, 22, 14]
        scale = 267 / sum(widths)
        _table(report, [w * scale for w in widths], columns, rows or [["-"] * len(columns)])
    return bytes(report.output())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def recap_file(user: User, competition: Competition, fmt: str) -> tuple[bytes, str, str]:
    """(body, media type, file name) of the recap in ``xlsx`` or ``pdf``, for staff and
    verifiers."""
    if user.role not in RUNNERS:
        raise Forbidden("Rekap lomba hanya untuk staf dan verifikator.")
    name = f"rekap-lomba-{competition.id}.{fmt}"
    if fmt == "xlsx":
        return await xlsx(competition), XLSX, name
    if fmt == "pdf":
        return await pdf(competition), "application/pdf", name
    raise BadInput("Format rekap tidak dikenal (xlsx atau pdf).")
