"""The one place that picks a search backend: `open_search` from the settings.

Everything else in `archive` holds an `indexer.search_backend.SearchBackend` and never knows
which engine answers.
"""

from __future__ import annotations

from archive.settings import Settings
from indexer.search_backend import SearchBackend


async def open_search(
    settings: Settings, *, writer: bool, parallel_rebuild: bool = False
) -> SearchBackend:
    """The backend of ``settings.search_engine``, over the open database connections.

    ``writer``: the worker and `sepeda reindex` (a Whoosh index is created only by them).
    ``parallel_rebuild``: Whoosh may fork writer processes for a rebuild (the CLI, never the
    many-threaded server).
    """
    if settings.search_engine == "postgres":
        from tortoise import connections

        from indexer.pg_backend import PostgresSearch

        client = connections.get("default")
        return await PostgresSearch.open(client.acquire_connection)
    from indexer.whoosh_backend import WhooshBackend

    return await WhooshBackend.open(
        settings.index_dir, writer=writer, rebuild_procs=None if parallel_rebuild else 1
    )
