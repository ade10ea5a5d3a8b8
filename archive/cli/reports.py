"""``sepeda report index``: the projected regional index at the terminal."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.table import Table

from archive.cli.app import app, cli_settings, console, with_database

report = typer.Typer(help="Laporan indeks dan kelengkapan.", no_args_is_help=True)
app.add_typer(report, name="report")


class Basis(StrEnum):
    claimed = "claimed"
    supported = "supported"
    verified = "verified"


class Format(StrEnum):
    table = "table"
    json = "json"


@report.command("index")
def index(
    year: int | None = typer.Option(None, help="Tahun penilaian (bawaan: periode terbaru)."),
    basis: Basis = typer.Option(Basis.supported, help="claimed, supported atau verified."),
    format: Format = typer.Option(Format.table, "--format", help="table atau json."),
) -> None:
    """Tampilkan proyeksi Indeks Inovasi Daerah dan langkah yang paling menaikkannya."""
    from archive.services.index_report import default_year, project

    async def work() -> dict:
        return await project(await default_year(year), basis.value)

    result = with_database(cli_settings(), work)
    if format == Format.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    summary = Table(title=f"Proyeksi IID {result['year']} (basis {result['basis']})")
    summary.add_column("Ukuran")
    summary.add_column("Nilai")
    for label, value in [
        ("IID", result["iid"]), ("Predikat", result["predicate"]), ("SID", result["sid"]),
        ("SPD", result["spd"]), ("Inovasi (k)", f"{result['innovations']} ({result['k']})"),
        ("Urusan pelayanan dasar", f"{result['yandas_covered']} dari "
         f"{len(result['affairs_covered']) + len(result['affairs_uncovered'])}"),
        ("Belum tercakup", ", ".join(result["affairs_uncovered"]) or "-"),
    ]:  # fmt: skip
        summary.add_row(label, str(value))
    console.print(summary)
    for note in result["notes"]:
        console.print(f"Catatan: {note}")
    fixes = Table(title="Langkah yang paling menaikkan indeks")
    fixes.add_column("+IID", justify="right")
    fixes.add_column("Langkah")
    for fix in result["fixes"]:
        fixes.add_row(f"{fix['gain']:.2f}", fix["message"])
    console.print(fixes)
