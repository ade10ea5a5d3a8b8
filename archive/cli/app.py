"""The Typer application and what every command shares: settings, console, database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from archive.settings import Settings, load_settings

T = TypeVar("T")

app = typer.Typer(
    help="SEPEDA BARU: arsip data dukung Indeks Inovasi Daerah.", no_args_is_help=True
)
# Long lines are not folded at the terminal's width: file paths and hashes in reports stay
# whole, so they can be copied or searched for (in a pipe, too, where the width is 80).
console = Console(soft_wrap=True)


def cli_settings() -> Settings:
    from archive import runtime

    try:
        settings = load_settings()
    except ValueError as exc:
        console.print(f"[red]Konfigurasi tidak valid:[/red] {exc}")
        raise typer.Exit(2) from None
    runtime.configure(settings)
    return settings


def with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Open the database (migrating it), run ``work``, close; domain errors exit with 1."""
    from archive.db import close_database, open_database
    from archive.errors import DomainError

    async def run() -> T:
        await open_database(settings)
        try:
            return await work()
        finally:
            await close_database()

    try:
        return asyncio.run(run())
    except DomainError as exc:
        console.print(f"[red]Gagal:[/red] {exc.detail}")
        raise typer.Exit(1) from None
