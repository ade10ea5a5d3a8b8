"""``sepeda reindex`` and ``sepeda search``: the full-text index at the terminal."""

from __future__ import annotations

import re

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive.cli.app import app, cli_settings, console, with_database


@app.command()
def reindex() -> None:
    """Bangun ulang indeks pencarian dari basis data; indeks lama dipakai sampai selesai."""
    from archive.search_engine import open_search
    from archive.services.search import document_batches, evidence_count

    settings = cli_settings()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as bar:
        files = with_database(settings, evidence_count)
        reading = bar.add_task("Membaca berkas", total=files)
        writing = bar.add_task("Mengindeks", total=None)

        async def rebuild() -> int:
            # The database is read in batches: memory stays flat whatever the archive's size.
            backend = await open_search(settings, writer=True, parallel_rebuild=True)
            try:
                batches = document_batches(progress=lambda n: bar.update(reading, completed=n))
                return await backend.rebuild(
                    batches, progress=lambda n: bar.update(writing, completed=n)
                )
            finally:
                await backend.close()

        count = with_database(settings, rebuild)
        bar.update(reading, completed=files)
        bar.update(writing, total=count, completed=count)
    console.print(f"Indeks dibangun ulang: {count} dokumen.")


@app.command()
def search(
    query: str = typer.Argument(..., help='Kata kunci, mis. "Peraturan Bupati" atau 188.4/69.'),
    year: int | None = typer.Option(None, help="Tahun."),
    unit: str | None = typer.Option(None, help="Kode unit."),
    limit: int = typer.Option(20, help="Jumlah hasil."),
) -> None:
    """Cari dokumen dan inovasi (sebagai staf: semua unit)."""
    from archive.models import Role, User
    from archive.search_engine import open_search
    from archive.services.search import search as run_search

    settings = cli_settings()
    operator = User(username="cli", role=Role.STAFF)

    async def find() -> dict:
        index = await open_search(settings, writer=False)
        try:
            return await run_search(index, operator, query, year=year, unit=unit, limit=limit)
        finally:
            await index.close()

    result = with_database(settings, find)
    hint = f" (mungkin maksud Anda: {result['suggestion']})" if result["suggestion"] else ""
    console.print(f"{result['total']} hasil{hint}")
    for hit in result["hits"]:
        where = f"bukti {hit['evidence_id']} hlm {hit['page']}" if hit["evidence_id"] else "profil"
        snippet = re.sub(r"</?mark>", "", hit["snippet"] or "")[:160]
        console.print(
            f"[bold]{hit['innovation_name']}[/bold] ({hit['unit']}, {where}) "
            f"{hit['filename'] or ''}\n    {snippet}",
            highlight=False,
        )
