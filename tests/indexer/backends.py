"""Every search backend behind one synchronous face, for the backend contract suite.

``open_backend("whoosh", tmp)`` or ``open_backend("postgres", tmp)`` gives a `Facade` whose
methods run the backend's coroutines on a private event loop. PostgreSQL uses this test run's
database (``tests.conftest.PG_URL``), in a schema of its own per facade.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import pytest

from indexer.search_backend import SearchBackend
from tests.conftest import PG_URL

# Whoosh always; PostgreSQL in the suite's PostgreSQL run (CI runs both).
BACKENDS = ["whoosh", *(["postgres"] if PG_URL else [])]
_schemas = itertools.count(1)


def backend_params() -> list[Any]:
    return [pytest.param(name, id=name) for name in BACKENDS]


class Facade:
    """A backend with blocking methods (what the tests call)."""

    def __init__(self, runner: asyncio.Runner, backend: SearchBackend, pool: Any = None) -> None:
        self.runner, self.backend, self._pool = runner, backend, pool
        self.name = backend.name

    def search(self, query: str, **options: Any) -> Any:
        options.setdefault("allowed_innovation_ids", None)
        return self.runner.run(self.backend.search(query, **options))

    def update(self, docs: Iterable[dict]) -> int:
        return self.runner.run(self.backend.update(list(docs)))  # type: ignore[arg-type]

    def delete(self, doc_ids: Iterable[str] = (), **kwargs: Any) -> None:
        self.runner.run(self.backend.delete(doc_ids, **kwargs))

    def rebuild(self, docs: Iterable[dict], batch: int = 100) -> int:
        docs = list(docs)

        async def batches() -> AsyncIterator[list[Any]]:
            for start in range(0, len(docs), batch):
                yield docs[start : start + batch]

        return self.runner.run(self.backend.rebuild(batches()))

    def doc_ids(self) -> set[str]:
        return self.runner.run(self.backend.doc_ids())

    def state(self) -> str:
        return self.runner.run(self.backend.state())

    def close(self) -> None:
        try:
            self.runner.run(self.backend.close())
            if self._pool is not None:
                self.runner.run(self._pool.close())
        finally:
            self.runner.close()


def open_backend(name: str, tmp: Path) -> Facade:
    runner = asyncio.Runner()
    if name == "whoosh":
        from indexer.whoosh_backend import WhooshBackend

        return Facade(runner, runner.run(WhooshBackend.open(tmp / "index", writer=True)))
    import asyncpg

    from indexer.pg_backend import PostgresSearch

    schema = f"contract_{next(_schemas)}"

    async def connect() -> tuple[Any, SearchBackend]:
        admin = await asyncpg.connect(PG_URL)
        try:
            await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        finally:
            await admin.close()
        pool = await asyncpg.create_pool(
            PG_URL, min_size=1, max_size=4, server_settings={"search_path": schema}
        )
        return pool, await PostgresSearch.open(pool.acquire)

    pool, backend = runner.run(connect())
    return Facade(runner, backend, pool)
