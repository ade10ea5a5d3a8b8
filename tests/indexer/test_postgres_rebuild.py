"""The PostgreSQL backend's rebuild: it holds up the writers of its own table only, and never the
event loop."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import PG_URL
from tests.indexer.test_backend_contract import evidence

pytestmark = pytest.mark.skipif(not PG_URL, reason="runs in the PostgreSQL pass")
_schemas = itertools.count(1)


async def backend_in(schema: str, *, fresh: bool = True) -> tuple[Any, Any]:
    import asyncpg

    from indexer.pg_backend import PostgresSearch

    if fresh:
        admin = await asyncpg.connect(PG_URL)
        try:
            await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        finally:
            await admin.close()
    pool = await asyncpg.create_pool(
        PG_URL, min_size=1, max_size=3, server_settings={"search_path": schema}
    )
    return pool, await PostgresSearch.open(pool.acquire)


async def test_a_rebuild_holds_up_its_own_writers_and_no_other_schema() -> None:
    run = next(_schemas)
    (pool_a, a), (pool_a2, a2), (pool_b, b) = [
        await backend_in(f"locks_{run}_a"),
        await backend_in(f"locks_{run}_a", fresh=False),  # another process on the same table
        await backend_in(f"locks_{run}_b"),
    ]
    release = asyncio.Event()
    started = asyncio.Event()

    async def batches() -> AsyncIterator[list[dict]]:
        yield [evidence(1, 1, "keputusan bupati tentang posyandu")]
        started.set()
        await release.wait()  # the rebuild's transaction (and its lock) stays open

    rebuild = asyncio.create_task(a.rebuild(batches()))
    try:
        await asyncio.wait_for(started.wait(), 10)
        # Another schema (another archive in the same database) writes at once.
        await asyncio.wait_for(b.update([evidence(2, 2, "peraturan bupati")]), 5)
        # A writer of the same table waits for the swap, so its page is not lost.
        waiting = asyncio.create_task(a2.update([evidence(3, 3, "surat edaran kepala dinas")]))
        await asyncio.sleep(1.0)
        assert not waiting.done(), "a write to the table being rebuilt did not wait"
        release.set()
        assert await asyncio.wait_for(rebuild, 10) == 1
        await asyncio.wait_for(waiting, 10)
        found = await a.search("edaran", allowed_innovation_ids=None)
        assert found["total"] == 1
    finally:
        release.set()
        rebuild.cancel()
        await asyncio.gather(rebuild, return_exceptions=True)
        for backend, pool in ((a, pool_a), (a2, pool_a2), (b, pool_b)):
            await backend.close()
            await pool.close()


@pytest.mark.solo  # pauses of the loop, in seconds
async def test_a_rebuild_leaves_the_event_loop_free() -> None:
    """Analysis is CPU work: a worker's loop must keep serving while its rebuild runs."""
    pool, backend = await backend_in(f"loop_{next(_schemas)}")
    text = "Keputusan Bupati tentang penetapan inovasi daerah dan pelayanan publik. " * 60
    docs = [evidence(n, n % 20 + 1, text) for n in range(1, 601)]

    async def batches() -> AsyncIterator[list[dict]]:
        for start in range(0, len(docs), 150):
            yield docs[start : start + 150]

    gaps: list[float] = []

    async def tick() -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.005)
            now = loop.time()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    try:
        assert await backend.rebuild(batches()) == len(docs)
    finally:
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
        await backend.close()
        await pool.close()
    # Analysed on the loop, a batch of 150 such pages held it for 0.74 s here; off the loop
    # the longest pause was 0.02-0.04 s (inserts and index builds are awaited).
    assert max(gaps) < 0.25, f"the event loop stood still for {max(gaps):.2f} s"


async def test_a_rebuilt_table_has_the_planners_statistics_at_once() -> None:
    schema = f"stats_{next(_schemas)}"
    pool, backend = await backend_in(schema)

    async def batches() -> AsyncIterator[list[dict]]:
        yield [evidence(n, n % 7 + 1, f"laporan kegiatan posyandu nomor {n}") for n in range(300)]

    try:
        assert await backend.rebuild(batches()) == 300
        async with pool.acquire() as conn:
            analysed = await conn.fetchval(
                "SELECT count(*) FROM pg_stats WHERE schemaname = $1"
                " AND tablename = 'search_documents'",
                schema,
            )
        assert analysed > 0  # column statistics: none until the table is first analysed
    finally:
        await backend.close()
        await pool.close()


async def test_a_units_typo_is_looked_up_in_the_index_once_the_table_has_statistics() -> None:
    """Spellings of a typo are counted by index lookups, each on its own. Planned as a join
    instead (what `WHERE EXISTS` became once the table had statistics), every spelling was
    tested against every page of the caller: 7.4 s at 100,000 pages for a unit's admin."""
    from indexer.pg_backend import _edits, visible_sql

    pool, backend = await backend_in(f"typo_{next(_schemas)}")
    words = "pelayanan publik laporan kegiatan posyandu keputusan bupati penetapan inovasi"
    vocabulary = words.split()
    docs = [
        evidence(n, n % 40 + 1, " ".join(vocabulary[(n + k) % 9] for k in range(40)))
        for n in range(2000)
    ]

    async def batches() -> AsyncIterator[list[dict]]:
        yield docs

    try:
        await backend.rebuild(batches())  # analysed: the planner knows the table
        where = " AND innovation_id = ANY($2::bigint[])"
        async with pool.acquire() as conn:
            plan = [row[0] for row in await conn.fetch(
                "EXPLAIN " + visible_sql(where), _edits("pelayann"), [1, 2])]  # fmt: skip
            found = await conn.fetch(visible_sql(where), _edits("pelayann"), [1, 2])
        assert not [line for line in plan if "Join" in line], "\n".join(plan)
        assert {row["w"]: row["n"] for row in found} == {"pelayanan": 100}  # 2 of 40 units
        suggested = await backend.search("pelayann publik", allowed_innovation_ids={1, 2})
        assert suggested["suggestion"] == "pelayanan publik"
    finally:
        await backend.close()
        await pool.close()
