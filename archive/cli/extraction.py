"""``sepeda extract``: read documents again, after an upgrade or once OCR is installed."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from archive.cli.app import app, cli_settings, console, with_database


@app.command()
def extract(
    all_: bool = typer.Option(False, "--all", help="Semua dokumen."),
    failed: bool = typer.Option(
        False, "--failed", help="Yang gagal atau tanpa teks (mis. setelah OCR dipasang)."
    ),
    evidence: int | None = typer.Option(None, "--evidence", help="Satu bukti (id)."),
) -> None:
    """Ekstrak ulang teks dokumen, dengan bilah kemajuan."""
    if sum([all_, failed, evidence is not None]) != 1:
        console.print("[red]Pilih tepat satu:[/red] --all, --failed atau --evidence ID.")
        raise typer.Exit(2)
    from archive.errors import NotFound
    from archive.models import Blob, Evidence
    from archive.services.extraction import enqueue_extraction
    from archive.worker import Worker

    settings = cli_settings()

    async def work() -> dict[str, int]:
        if evidence is not None:
            row = await Evidence.get_or_none(id=evidence)
            if row is None or row.blob_id is None:
                raise NotFound(f"Bukti {evidence} tidak ada atau berupa tautan.")
            shas = [row.blob_id]
        elif failed:
            shas = await Blob.filter(extraction_status__in=["failed", "no_text"]).values_list(
                "sha256", flat=True
            )
        else:
            shas = await Blob.all().values_list("sha256", flat=True)
        await enqueue_extraction(list(shas))
        worker = Worker(settings)
        columns = (TextColumn("Ekstraksi"), BarColumn(), MofNCompleteColumn())
        try:
            with Progress(*columns, console=console) as bar:
                task = bar.add_task("extract", total=len(shas))
                while done := await worker.run_pending():
                    bar.advance(task, done)
        finally:
            await worker.stop()
        statuses = await Blob.filter(sha256__in=list(shas)).values_list(
            "extraction_status", flat=True
        )
        return {status: list(statuses).count(status) for status in set(statuses)}

    summary = with_database(settings, work)
    console.print(
        "Selesai: " + ", ".join(f"{count} {status}" for status, count in sorted(summary.items()))
        if summary
        else "Tidak ada dokumen untuk diekstrak."
    )
