"""Benchmarks: ``python -m bench [--quick] [--only AREA ...]`` runs them all (see `bench.__main__`).

Each area is also a script of its own (``python bench/bench_search.py --help``) that writes its
figures into ``docs/``.
"""
