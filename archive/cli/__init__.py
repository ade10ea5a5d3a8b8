"""The ``sepeda`` command line: serve, accounts, ingest, integrity, backups."""

from archive.cli import evidence, maintenance, serve, users  # noqa: F401  (they register commands)
from archive.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
