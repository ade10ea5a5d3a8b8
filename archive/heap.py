"""Garbage collection in a web process: what exists after start-up is frozen once.

A year's page (the staff home, `/laporan`, `/katalog/angka`) reads the 1,000 stored checklist
summaries of the year and builds about 100,000 objects a request. CPython's collector then ran
about 60 times a request and, every other request, traversed every object of the process
(modules, routes, templates, rule packs): at 1,000 innovations the staff home took 196 ms
(p50) of which the collector 68 ms (bench/bench_pages.py, docs/benchmarks.md, Pages).
`gc.freeze()` moves every object alive after start-up into a generation the collector never
traverses again (reference counting still frees them); the same home page then took 78 ms.
This is what CPython's documentation suggests for long-running servers; it belongs to the
processes `sepeda serve` starts, not to every app a test builds (a test would keep its
fixtures' cycles forever).
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect once, then leave everything alive now out of every later collection."""
    gc.collect()
    gc.freeze()
