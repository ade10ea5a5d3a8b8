"""``sepeda migrate``: the schema brought up to date, with a backup of the database first."""

from __future__ import annotations

import asyncio

import typer

from archive.cli.app import app, cli_settings, console


def run_migrations(backup: bool = True) -> None:
    """Migrate and say what was done; exits 1 when the backup cannot be written."""
    from archive.errors import DomainError
    from archive.migrate import migrate

    settings = cli_settings()
    try:
        report = asyncio.run(migrate(settings, backup=backup))
    except DomainError as exc:
        console.print(f"[red]Gagal:[/red] {exc.detail} Basis data tidak diubah.")
        raise typer.Exit(1) from None
    if not report.applied:
        console.print("Skema basis data sudah mutakhir; tidak ada yang diubah.")
        return
    if report.backup is not None:
        console.print(f"Cadangan basis data sebelum migrasi: {report.backup}")
    what = "dibuat" if report.fresh else "diperbarui"
    console.print(f"Skema basis data {what} ({len(report.applied)} migrasi):")
    for name in report.applied:
        console.print(f"  {name}")


@app.command()
def migrate(
    no_backup: bool = typer.Option(
        False, "--no-backup", help="Jangan cadangkan (hanya bila sudah dicadangkan sendiri)."
    ),
) -> None:
    """Perbarui skema basis data; basis data yang sudah berisi dicadangkan lebih dulu."""
    run_migrations(backup=not no_backup)
