"""``sepeda import-legacy``: past years' innovations from a spreadsheet and their files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive.cli.app import app, cli_settings, console, with_database


@app.command("import-legacy")
def import_legacy(
    sheet: Path = typer.Argument(..., help="Berkas XLSX atau CSV, satu baris per inovasi."),
    files: Path | None = typer.Option(
        None, "--files", help="Folder berkas: <folder>/<kode indikator>/<berkas>."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="YAML 'Judul kolom: nama_isian' untuk judul selain nama isian."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Periksa dan laporkan saja; tidak ada yang disimpan."
    ),
) -> None:
    """Impor inovasi tahun-tahun lalu sebagai draf tahunnya, baris demi baris utuh."""
    from archive.services import legacy_import

    settings = cli_settings()
    if not sheet.is_file():
        console.print(f"[red]Gagal:[/red] berkas {sheet} tidak ada.")
        raise typer.Exit(2)
    if files is not None and not files.is_dir():
        console.print(f"[red]Gagal:[/red] folder berkas {files} tidak ada.")
        raise typer.Exit(2)

    async def work() -> legacy_import.ImportReport:
        columns = legacy_import.load_mapping(mapping)
        plans, report = await legacy_import.plan_rows(settings, sheet, files, columns)
        if dry_run:
            report.imported = [(p.row, p.data.name, len(p.files)) for p in plans]
            return report
        bar_columns = (TextColumn("Mengimpor"), BarColumn(), MofNCompleteColumn())
        with Progress(*bar_columns, console=console) as bar:
            task = bar.add_task("rows", total=len(plans))
            await legacy_import.import_rows(settings, plans, report, lambda: bar.advance(task))
        return report

    report = with_database(settings, work)
    verb = "akan diimpor" if dry_run else "diimpor"
    for row, name, count in report.imported:
        console.print(f"row {row}: {verb}: {name} ({count} berkas)", highlight=False)
    for row, reason in report.skipped:
        console.print(f"row {row}: dilewati: {reason}", highlight=False)
    for row, reason in report.errors:
        console.print(f"[red]row {row}:[/red] {reason}", highlight=False)
    console.print(
        f"{len(report.imported)} baris {verb}, {len(report.skipped)} dilewati, "
        f"{len(report.errors)} gagal"
        + (" (uji coba: tidak ada yang disimpan)." if dry_run else ".")
    )
    if report.errors:
        raise typer.Exit(1)
