"""``sepeda user ...``: accounts from the terminal."""

from __future__ import annotations

import os
from enum import StrEnum

import typer

from archive.cli.app import app, cli_settings, console, with_database

user_app = typer.Typer(help="Kelola akun pengguna.", no_args_is_help=True)
app.add_typer(user_app, name="user")


class RoleChoice(StrEnum):
    staff = "staff"
    verifier = "verifier"
    admin = "admin"
    innovator = "innovator"
    judge = "judge"


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
    settings = cli_settings()
    with_database(settings, lambda: create_user(data, Actor("cli"), must_change=temporary))
    console.print(f"Akun [bold]{data.username}[/bold] ({role.value}) dibuat.")
