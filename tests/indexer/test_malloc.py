"""A process that opens the search index reuses the memory of large temporary arrays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Like a search: several arrays of 1.6 MB alive at once (posting lists, their scores), then
# all freed. Run 50 times; count the page faults of the last 49 (the first one grows the heap).
SCRIPT = """
import resource, sys
import numpy as np
if sys.argv[1] == "open":
    from indexer.search import SearchIndex
    SearchIndex.open(sys.argv[2])

def search():
    arrays = [np.ones(200_000) for _ in range(4)]
    return sum(a.sum() for a in arrays)

search()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(49):
    search()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")


def faults(tmp_path: Path, mode: str, **environment: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | environment
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(tmp_path / "index")],
        capture_output=True, text=True, check=True, env=env,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    return int(out.stdout)


def test_temporary_arrays_stop_page_faulting_once_the_index_is_open(tmp_path: Path) -> None:
    # 4 arrays of 391 pages: by default glibc gives the freed top of its heap back to the
    # kernel after every round, and takes it again, a fault per page, in the next.
    assert faults(tmp_path, "plain") > 49 * 1000
    assert faults(tmp_path, "open") < 200


def test_a_users_own_malloc_setting_wins(tmp_path: Path) -> None:
    assert faults(tmp_path, "open", MALLOC_TRIM_THRESHOLD_="131072") > 49 * 1000
