"""The ``sepeda`` command line: serve, worker, migrate, accounts, ingest, integrity, backups."""

from archive.cli import (  # noqa: F401  (importing them registers their commands)
    check,
    evidence,
    export,
    extraction,
    legacy,
    maintenance,
    migrate,
    reports,
    search,
    serve,
    users,
    worker,
)
from archive.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
