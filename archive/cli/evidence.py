"""``sepeda ingest``: bulk-add files as evidence, with a progress bar."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from archive.cli.app import app, cli_settings, console, with_database


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Berkas yang ditambahkan.", exists=False),
    innovation: int = typer.Option(..., "--innovation", help="Nomor (id) inovasi."),
    indicator: str = typer.Option(..., "--indicator", help="Kode indikator, mis. regulasi."),
) -> None:
    """Tambahkan banyak berkas sekaligus sebagai bukti satu indikator."""
    from archive.services.evidence import ingest_file, ingest_target

    settings = cli_settings()
    total = sum(p.stat().st_size for p in paths if p.is_file())
    failures: list[tuple[Path, str]] = []

    async def work() -> int:
        from archive.errors import DomainError

        target = await ingest_target(innovation, indicator)
        added = 0
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("Mengunggah", total=total)
            for path in paths:
                bar.update(task, description=path.name[:40])
                if not path.is_file():
                    failures.append((path, "bukan berkas atau tidak ada"))
                    continue
                try:
                    await ingest_file(settings, target, path, lambda n: bar.advance(task, n))
                    added += 1
                except DomainError as exc:
                    failures.append((path, exc.detail))
        return added

    added = with_database(settings, work)
    console.print(f"{added} berkas ditambahkan ke inovasi {innovation}, indikator {indicator}.")
    for path, reason in failures:
        console.print(f"[red]Gagal[/red] {path}: {reason}")
    if failures:
        raise typer.Exit(1)
