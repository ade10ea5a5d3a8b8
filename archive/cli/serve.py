"""``sepeda serve``: prepare the data dir and schema, optionally load demo data, then serve."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import typer

from archive import logs
from archive.cli.app import app, cli_settings, console


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, help="Port."),
    demo: bool = typer.Option(False, "--demo", help="Muat data contoh lebih dulu (idempoten)."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Jumlah proses web (lebih dari 1: pekerja latar terpisah)."
    ),
    with_worker: bool = typer.Option(
        True,
        "--worker/--no-worker",
        help="Jalankan pekerja latar bersama server (--no-worker bila `sepeda worker` berjalan).",
    ),
) -> None:
    """Siapkan folder data dan skema basis data, lalu jalankan server."""
    import uvicorn

    from archive.app import create_app
    from archive.cli.migrate import run_migrations
    from archive.db import close_database, open_database
    from archive.heap import freeze_startup_objects

    settings = cli_settings()
    log_config = logs.configure(settings.log_format)
    run_migrations()  # with a backup first when an existing database changes

    async def prepare() -> None:
        await open_database(settings, run_migrations=False)
        try:
            if demo:
                from archive.demo import load_demo

                _print_logins(await load_demo(settings))
        finally:
            await close_database()

    asyncio.run(prepare())
    console.print(f"SEPEDA BARU berjalan di http://{host}:{port}  (data: {settings.data_dir})")
    # The background worker always runs in a process of its own: its index writes and reading
    # of facts hold the GIL for long stretches, and in the web process every page waited
    # behind them (bench/bench_load.py, 20 clients: p95 915 ms in one process, 177 ms apart).
    # It dies with this process, so a crashed server never leaves a second index writer.
    child = None
    if with_worker and settings.worker:
        # Its own session: Ctrl+C in a terminal reaches only this process, whose one SIGTERM
        # below lets the worker finish the jobs in hand.
        child = subprocess.Popen(
            [sys.executable, "-m", "archive", "worker", "--parent-pid", str(os.getpid())],
            start_new_session=True,
        )
    # The web processes never run the worker (one index writer, one reminder loop).
    os.environ["SEPEDA_WORKER"] = "false"
    try:
        if workers == 1:
            app = create_app(settings.model_copy(update={"worker": False}), run_migrations=False)
            freeze_startup_objects()
            uvicorn.run(app, host=host, port=port, log_config=log_config)
        else:
            uvicorn.run(
                "archive.app:app_from_environment",
                factory=True,
                workers=workers,
                host=host,
                port=port,
                log_config=log_config,
            )
    finally:
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def _print_logins(logins: list[tuple[str, str, str, str | None]]) -> None:
    console.print("[bold]Akun demo[/bold] (wajib ganti kata sandi saat pertama masuk):")
    for username, role, password, note in logins:
        console.print(f"  {username:<24} {role:<10} {password}" + (f"  ({note})" if note else ""))
