"""The ``sepeda`` command line."""

from __future__ import annotations

import asyncio
import os
from enum import StrEnum

import typer
from rich.console import Console

from archive.settings import Settings, load_settings

app = typer.Typer(
    help="SEPEDA BARU: arsip data dukung Indeks Inovasi Daerah.", no_args_is_help=True
)
user_app = typer.Typer(help="Kelola akun pengguna.", no_args_is_help=True)
app.add_typer(user_app, name="user")
console = Console()


class RoleChoice(StrEnum):
    staff = "staff"
    verifier = "verifier"
    admin = "admin"
    innovator = "innovator"
    judge = "judge"


def _settings() -> Settings:
    try:
        return load_settings()
    except ValueError as exc:
        console.print(f"[red]Konfigurasi tidak valid:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Alamat yang didengarkan."),
    port: int = typer.Option(8000, help="Port."),
    demo: bool = typer.Option(False, "--demo", help="Muat data contoh lebih dulu (idempoten)."),
) -> None:
    """Siapkan folder data dan skema basis data, lalu jalankan server."""
    import uvicorn

    from archive.app import create_app
    from archive.db import close_database, open_database

    settings = _settings()

    async def prepare() -> None:
        await open_database(settings)
        try:
            if demo:
                from archive.demo import load_demo

                logins = await load_demo(settings)
                _print_logins(logins)
        finally:
            await close_database()

    asyncio.run(prepare())
    console.print(f"SEPEDA BARU berjalan di http://{host}:{port}  (data: {settings.data_dir})")
    uvicorn.run(create_app(settings, run_migrations=False), host=host, port=port, log_level="info")


def _print_logins(logins: list[tuple[str, str, str, str | None]]) -> None:
    console.print("[bold]Akun demo[/bold] (wajib ganti kata sandi saat pertama masuk):")
    for username, role, password, note in logins:
        console.print(f"  {username:<24} {role:<10} {password}" + (f"  ({note})" if note else ""))


@user_app.command("add")
def user_add(
    username: str,
    role: RoleChoice = typer.Option(..., help="Peran akun."),
    unit: str | None = typer.Option(None, help="Kode unit (wajib untuk admin)."),
    full_name: str = typer.Option("", help="Nama lengkap."),
    temporary: bool = typer.Option(
        False, help="Kata sandi sementara: wajib diganti saat pertama masuk."
    ),
) -> None:
    """Buat akun; kata sandi dari SEPEDA_PASSWORD atau ditanyakan."""
    from pydantic import ValidationError

    from archive.audit import Actor
    from archive.db import close_database, open_database
    from archive.errors import DomainError
    from archive.schemas.users import UserCreate
    from archive.services.accounts import create_user

    password = os.environ.get("SEPEDA_PASSWORD") or typer.prompt(
        "Kata sandi", hide_input=True, confirmation_prompt=True
    )
    try:
        data = UserCreate(
            username=username, password=password, role=role.value, unit=unit, full_name=full_name
        )
    except ValidationError as exc:
        console.print(f"[red]Data tidak valid:[/red] {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None
    settings = _settings()

    async def run() -> None:
        await open_database(settings)
        try:
            await create_user(data, Actor("cli"), must_change=temporary)
        finally:
            await close_database()

    try:
        asyncio.run(run())
    except DomainError as exc:
        console.print(f"[red]Gagal:[/red] {exc.detail}")
        raise typer.Exit(1) from None
    console.print(f"Akun [bold]{data.username}[/bold] ({role.value}) dibuat.")


def main() -> None:
    app()
