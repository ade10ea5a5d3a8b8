"""``sepeda check``: checklist results at the terminal, as a table, JSON or CSV."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.table import Table

from archive.cli.app import app, cli_settings, console, with_database


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def check(
    year: int | None = typer.Option(None, help="Tahun penilaian."),
    unit: str | None = typer.Option(None, help="Kode unit."),
    format: Format = typer.Option(Format.table, "--format", help="table, json atau csv."),
) -> None:
    """Tampilkan hasil checklist setiap inovasi."""
    from archive.models import Role, User
    from archive.services.reports import COMPLETENESS_COLUMNS, completeness

    settings = cli_settings()
    operator = User(username="cli", role=Role.STAFF)  # the terminal reads every unit
    rows = with_database(settings, lambda: completeness(operator, year=year, unit=unit))
    if format == Format.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if format == Format.csv:
        from archive.exports import to_csv

        table = [[row[c] for c in COMPLETENESS_COLUMNS] for row in rows]
        sys.stdout.buffer.write(to_csv(COMPLETENESS_COLUMNS, table))
        return
    view = Table(title=f"Kelengkapan data dukung {year or ''}".strip())
    for column in ("Unit", "Inovasi", "Status", "Lengkap", "Klaim", "Didukung", "Wajib kurang"):
        view.add_column(column)
    for row in rows:
        view.add_row(
            row["unit"],
            row["name"][:50],
            row["status"],
            f"{row['completeness']:.0%}",
            str(row["maturity_claimed"]),
            str(row["maturity_supported"]),
            ", ".join(row["missing_mandatory"]) or "-",
        )
    console.print(view)
