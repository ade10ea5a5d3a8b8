"""``sepeda reindex`` and ``sepeda search``: the full-text index at the terminal."""

from __future__ import annotations

import re

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive.cli.app import app, cli_settings, console, with_database


@app.command()
def reindex() -> None:
    """Bangun ulang indeks pencarian dari basis data, ke folder baru yang lalu dipasang."""
    import os

    from archive.services.search import evidence_count, read_spool, spool_documents
    from indexer.search import SearchIndex

    settings = cli_settings()
    # The database is read in batches into a spool file first, then the index is written from
    # it: memory stays flat whatever the archive's size, and the index writers fork with no
    # event loop beside them.
    spool = settings.data_dir / f".reindex-{os.getpid()}.jsonl"
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*columns, console=console) as bar:
            files = with_database(settings, evidence_count)
            reading = bar.add_task("Membaca berkas", total=files)

            async def spool_all() -> int:
                return await spool_documents(spool, lambda n: bar.update(reading, completed=n))

            total = with_database(settings, spool_all)
            bar.update(reading, completed=files)
            writing = bar.add_task("Mengindeks", total=total)
            index = SearchIndex.open(settings.index_dir)
            try:
                count = index.rebuild(
                    read_spool(spool), progress=lambda n: bar.update(writing, completed=n)
                )
            finally:
                index.close()
    finally:
        spool.unlink(missing_ok=True)
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
    from archive.services.search import search as run_search
    from indexer.search import SearchIndex

    settings = cli_settings()
    index = SearchIndex.open(settings.index_dir, create=False)
    operator = User(username="cli", role=Role.STAFF)
    result = with_database(
        settings,
        lambda: run_search(index, operator, query, year=year, unit=unit, limit=limit),
    )
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
