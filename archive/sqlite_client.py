"""Tortoise's SQLite client, with transactions that take the write lock when they begin.

The web processes and the worker are separate processes on one SQLite file. Tortoise begins
a transaction with a plain (deferred) ``BEGIN``: it reads from a snapshot and asks for the
write lock only at its first write. If another process committed in between, SQLite cannot
let it write from its old snapshot and fails at once with "database is locked", without
waiting on the busy timeout (SQLITE_BUSY_SNAPSHOT): a claim of a job, an upload or a
decision failed whenever another process wrote at the same moment. ``BEGIN IMMEDIATE`` takes
the write lock first, waiting up to the busy timeout for the other process's commit, so
the transaction's reads and writes see one state. Writes on SQLite are one at a time anyway;
reads outside transactions are unaffected.

Tortoise loads this module as the ``engine`` of the SQLite connection (see ``archive.db``).
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

__all__ = ["ImmediateSqliteClient", "client_class"]


class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    """SQLite whose transactions begin with ``BEGIN IMMEDIATE``."""

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(_ImmediateTransaction(self), self._lock)


client_class = ImmediateSqliteClient
