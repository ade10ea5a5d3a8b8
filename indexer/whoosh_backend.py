"""`WhooshBackend`: the embedded default `SearchBackend`, a Whoosh index in one folder.

An async face over `indexer.search.SearchIndex`, whose calls block (pure Python): each runs in
a worker thread so the event loop keeps serving. One machine only; several machines share
`indexer.pg_backend.PostgresSearch` instead.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from indexer import generations
from indexer.schema import INDEX_VERSION
from indexer.search import SearchIndex
from indexer.search_backend import Document, SearchResult

__all__ = ["WhooshBackend"]


class WhooshBackend:
    """Whoosh behind the async `SearchBackend` protocol."""

    name = "whoosh"

    def __init__(self, index: SearchIndex, *, rebuild_procs: int | None = 1) -> None:
        self.index = index
        # A rebuild in a many-threaded server stays in one process (forking it is not worth
        # the risk); `sepeda reindex` passes None: Whoosh's parallel writers, forked.
        self._rebuild_procs = rebuild_procs

    @classmethod
    async def open(
        cls, root: Path, *, writer: bool, rebuild_procs: int | None = 1
    ) -> WhooshBackend:
        """Open the index at ``root``; only a writer creates it when it is missing."""
        index = await asyncio.to_thread(SearchIndex.open, root, create=writer)
        return cls(index, rebuild_procs=rebuild_procs)

    async def state(self) -> Literal["ok", "missing", "outdated"]:
        return await asyncio.to_thread(_state, self.index)

    async def update(self, docs: Iterable[Document]) -> int:
        docs = list(docs)
        return await asyncio.to_thread(self.index.update, docs) if docs else 0

    async def delete(
        self,
        doc_ids: Iterable[str] = (),
        *,
        evidence_ids: Iterable[int] = (),
        innovation_ids: Iterable[int] = (),
    ) -> None:
        doc_ids, evidence_ids, innovation_ids = (
            list(doc_ids),
            list(evidence_ids),
            list(innovation_ids),
        )
        if doc_ids or evidence_ids or innovation_ids:
            await asyncio.to_thread(
                lambda: self.index.delete(
                    doc_ids, evidence_ids=evidence_ids, innovation_ids=innovation_ids
                )
            )

    async def search(self, query: str, **options: Any) -> SearchResult:
        return await asyncio.to_thread(lambda: self.index.search(query, **options))

    async def rebuild(
        self,
        batches: AsyncIterable[list[Document]],
        progress: Callable[[int], Any] | None = None,
    ) -> int:
        """Spool ``batches`` to a file beside the index, then write the index from it.

        The documents are read (from the database) before any index writer starts: memory
        stays flat whatever the archive's size, and the forked writers of a parallel rebuild
        start with no event loop running beside them in the same thread.
        """
        spool = self.index.root.parent / f".reindex-{os.getpid()}.jsonl"
        spool.parent.mkdir(parents=True, exist_ok=True)
        try:
            with spool.open("w", encoding="utf-8") as out:
                async for docs in batches:
                    lines = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs)
                    await asyncio.to_thread(out.write, lines)
            return await asyncio.to_thread(
                self.index.rebuild, _read_spool(spool), progress, procs=self._rebuild_procs
            )
        finally:
            spool.unlink(missing_ok=True)

    async def doc_ids(self) -> set[str]:
        return await asyncio.to_thread(self.index.doc_ids)

    async def doc_count(self) -> int:
        return await asyncio.to_thread(self.index.doc_count)

    async def close(self) -> None:
        await asyncio.to_thread(self.index.close)


def _state(index: SearchIndex) -> Literal["ok", "missing", "outdated"]:
    index.doc_count()  # follows a rebuild another process swapped in
    folder = generations.current(index.root)
    if folder is None:
        return "missing"
    if generations.read_version(folder) != INDEX_VERSION:
        return "outdated"
    # A new, empty index that waits for its first rebuild, or a folder Whoosh cannot open.
    return "missing" if index.needs_rebuild else "ok"


def _read_spool(path: Path) -> Iterator[Document]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)
