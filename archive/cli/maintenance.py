"""``sepeda fsck``, ``sepeda backup`` and ``sepeda restore``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from archive.cli.app import app, cli_settings, console, with_database


def _bar(progress: Progress, label: str):
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return update


@app.command()
def fsck(
    repair: bool = typer.Option(
        False,
        "--repair",
        help="Pindahkan blob yatim yang lebih tua dari satu jam ke folder quarantine/.",
    ),
) -> None:
    """Hitung ulang hash setiap blob; bandingkan basis data dan blob. Keluar 1 bila tak sesuai."""
    from archive.services.maintenance import check_index, quarantine_orphans, split_orphans
    from archive.services.maintenance import fsck as run_fsck

    settings = cli_settings()

    async def work():
        with Progress(console=console, transient=True) as progress:
            blobs = await run_fsck(settings, _bar(progress, "Memeriksa blob"))
        return blobs, await check_index(settings)

    report, index = with_database(settings, work)
    console.print(f"{report.checked} blob diperiksa.")
    recent: list[str] = []
    if repair and report.orphaned:
        # Left by uploads that a crash cut off: kept aside, never deleted.
        moved, recent = quarantine_orphans(settings, report.orphaned)
        for sha in moved:
            console.print(f"DIKARANTINA {sha}")
        if moved:
            console.print(
                f"{len(moved)} blob yatim dipindah ke {settings.data_dir / 'quarantine'}."
            )
        report.orphaned = []
    elif report.orphaned:
        report.orphaned, recent = split_orphans(settings, report.orphaned)
    # A young unreferenced blob may be an upload still being committed: noted, not a fault;
    # after an hour it counts, and `--repair` puts it aside.
    for sha in recent:
        console.print(f"BARU {sha}")
    if recent:
        console.print(
            f"{len(recent)} blob baru belum dirujuk: mungkin unggahan yang sedang berjalan; "
            "dihitung yatim setelah satu jam."
        )
    for label, items in (("HILANG", report.missing), ("RUSAK", report.corrupt),
                         ("YATIM (tidak dirujuk)", report.orphaned)):  # fmt: skip
        for sha in items:
            console.print(f"[red]{label}[/red] {sha}")
    for doc_id in index.missing:
        console.print(f"[red]TIDAK TERINDEKS[/red] {doc_id}")
    for doc_id in index.extra:
        console.print(f"[red]INDEKS USANG[/red] {doc_id}")
    if index.needs_rebuild:
        console.print("Indeks pencarian belum ada atau usang; dibangun ulang saat server berjalan.")
    if index.pending_jobs:
        console.print(f"{index.pending_jobs} pembaruan indeks masih menunggu worker.")
    if not report.ok or not index.ok:
        if not index.ok:
            console.print("Perbaiki indeks dengan `sepeda reindex`.")
        raise typer.Exit(1)
    console.print("[green]Semua blob utuh; basis data, blob dan indeks sesuai.[/green]")


@app.command()
def backup(file: Path = typer.Argument(..., help="Berkas cadangan (.tar) yang dibuat.")) -> None:
    """Salinan konsisten basis data dan blob, aman saat server berjalan."""
    from archive.errors import DomainError
    from archive.services.maintenance import backup as run_backup

    settings = cli_settings()
    with_database(settings, _noop)  # make sure the schema exists and is current
    try:
        with Progress(console=console, transient=True) as progress:
            summary = run_backup(settings, file, _bar(progress, "Mencadangkan"))
    except DomainError as exc:
        console.print(f"[red]Gagal:[/red] {exc.detail}")
        raise typer.Exit(1) from None
    console.print(f"Cadangan {summary.path}: basis data dan {summary.blobs} blob.")


@app.command()
def restore(file: Path = typer.Argument(..., help="Berkas cadangan (.tar).")) -> None:
    """Pulihkan cadangan ke folder data yang kosong (indeks pencarian dibangun ulang)."""
    from archive.errors import DomainError
    from archive.services.maintenance import restore as run_restore

    settings = cli_settings()
    try:
        with Progress(console=console, transient=True) as progress:
            summary = run_restore(settings, file, _bar(progress, "Memulihkan"))
    except DomainError as exc:
        console.print(f"[red]Gagal:[/red] {exc.detail}")
        raise typer.Exit(1) from None
    with_database(settings, _noop)  # migrate a backup taken by an older version
    console.print(f"Dipulihkan: basis data dan {summary.blobs} blob ke {settings.data_dir}.")


async def _noop() -> None:
    return None
