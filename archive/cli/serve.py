"""``sepeda serve``: prepare the data dir and schema, optionally load demo data, then serve."""

from __future__ import annotations

import asyncio

import typer

from archive.cli.app import app, cli_settings, console


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, help="Port."),
    demo: bool = typer.Option(False, "--demo", help="Muat data contoh lebih dulu (idempoten)."),
) -> None:
    """Siapkan folder data dan skema basis data, lalu jalankan server."""
    import uvicorn

    from archive.app import create_app
    from archive.cli.migrate import run_migrations
    from archive.db import close_database, open_database

    settings = cli_settings()
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
    uvicorn.run(create_app(settings, run_migrations=False), host=host, port=port, log_level="info")


def _print_logins(logins: list[tuple[str, str, str, str | None]]) -> None:
    console.print("[bold]Akun demo[/bold] (wajib ganti kata sandi saat pertama masuk):")
    for username, role, password, note in logins:
        console.print(f"  {username:<24} {role:<10} {password}" + (f"  ({note})" if note else ""))
