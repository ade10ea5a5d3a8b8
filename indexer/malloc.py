"""Let a searching process reuse the memory of NumPy's temporary arrays (glibc's malloc).

A search makes dozens of temporary arrays of a few hundred kilobytes (a common word's posting
list, its scores, the dense arrays of a segment's pages). glibc hands an allocation above its
mmap threshold (128 KB to start with) fresh pages from the kernel and gives freed memory at
the top of its heap back past its trim threshold, so nearly every temporary of a search paid
a page fault per 4 KB on its first write. Measured at 100,000 pages (docs/benchmarks-search.md,
round 5): decoding a 34,000-posting list took 393 µs, 122 µs with the memory kept; scoring it
176 µs, 25 µs; the p95 of the benchmark's queries fell from 8.6 to 6.2 ms, and the process's
resident memory grew by 3 MB (a full rebuild's process tree: 20 MB, 348 to 368 MB).

Setting either threshold also stops glibc from adjusting them on its own. Variables a user
set (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``) are left to win; another C
library (musl, macOS) is left alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

# mallopt parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# Arrays up to 8 MB come from the heap (the scores of a million-page segment: 4 MB a
# half); up to 32 MB freed at the top of a heap stays for the next search. A process keeps
# no more than it used at its peak, and at most 32 MB of it free per heap (glibc keeps one
# heap per busy thread, up to 8 per CPU).
MMAP_THRESHOLD = 8 * 1024 * 1024
TRIM_THRESHOLD = 32 * 1024 * 1024
_ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")

_applied: bool | None = None


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process, once; False where it cannot."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if not sys.platform.startswith("linux") or any(v in os.environ for v in _ENVIRONMENT):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; musl's accepts nothing and returns 0.
    _applied = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    return _applied
