"""``sepeda export``: the national-portal package written to a file, with a progress bar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from archive.cli.app import app, cli_settings, console, with_database


class Include(StrEnum):
    verified = "verified"
    all = "all"


@app.command()
def export(
    file: Path = typer.Argument(..., help="Berkas ZIP yang ditulis (mis. paket-2026.zip)."),
    year: int | None = typer.Option(None, "--year", help="Tahun penilaian (bawaan: semua)."),
    unit: str | None = typer.Option(None, "--unit", help="Kode unit (bawaan: semua unit)."),
    include: Include = typer.Option(
        Include.verified, "--include", help="verified: bukti yang sesuai; all: semua bukti."
    ),
    force: bool = typer.Option(False, "--force", help="Timpa berkas yang sudah ada."),
) -> None:
    """Tulis paket portal nasional (ZIP): berkas bukti, profil JSON/CSV dan manifest."""
    from archive.audit import Actor, record
    from archive.services.export import plan_package, write_package

    target = file.resolve()
    if target.exists() and not force:
        console.print(f"[red]Gagal:[/red] {file} sudah ada; pakai --force untuk menimpanya.")
        raise typer.Exit(1)
    if not target.parent.is_dir():
        console.print(f"[red]Gagal:[/red] folder {target.parent} tidak ada.")
        raise typer.Exit(1)
    settings = cli_settings()

    async def work():
        import anyio.to_thread

        plan = await plan_package(
            settings, year=year, unit=unit, innovation_id=None, include=include.value
        )
        columns = (
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
            TimeRemainingColumn(),
        )  # fmt: skip
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("Menulis paket", total=plan.total_bytes or 1)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or 1)

            await anyio.to_thread.run_sync(write_package, plan, target, advance)
        scope = {"year": year, "unit": unit, "include": include.value, "file": str(target)}
        await record(Actor(username="cli"), "export", "package", None, after=scope)
        return plan

    plan = with_database(settings, work)
    innovations = len(plan.manifest["innovations"])
    if not innovations:
        console.print("[yellow]Tidak ada inovasi yang cocok;[/yellow] paket hanya berisi manifest.")
    console.print(
        f"Paket ditulis ke {target}: {innovations} inovasi, {len(plan.files)} berkas, "
        f"{plan.total_bytes / 2**20:.1f} MB."
    )
