"""Type-check archive/ against a recorded baseline that may only shrink.

checklist/ and indexer/ are checked strictly with no exceptions (``mypy checklist indexer``);
archive/ grew before a type checker ran, so its errors per file are recorded in
``scripts/mypy-baseline.json``. This fails when a file has more errors than recorded (or a new
file has any), and asks to lower the record when a file has fewer.

    python scripts/mypy_baseline.py            # check
    python scripts/mypy_baseline.py --update   # record the current counts (only after fixing)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scripts" / "mypy-baseline.json"
ERROR = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: error:", re.M)


def current() -> Counter[str]:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "archive"], cwd=ROOT, capture_output=True, text=True
    )
    if run.returncode not in (0, 1) or "error: " in run.stderr:
        sys.exit(f"mypy did not run:\n{run.stdout}\n{run.stderr}")
    return Counter(match["file"] for match in ERROR.finditer(run.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="record the current counts")
    args = parser.parse_args()
    now = current()
    if args.update:
        BASELINE.write_text(json.dumps(dict(sorted(now.items())), indent=1) + "\n")
        print(f"recorded {sum(now.values())} errors in {len(now)} files")
        return
    recorded = json.loads(BASELINE.read_text())
    worse = {f: (recorded.get(f, 0), n) for f, n in now.items() if n > recorded.get(f, 0)}
    better = {f: (n, now.get(f, 0)) for f, n in recorded.items() if now.get(f, 0) < n}
    for file, (before, after) in sorted(worse.items()):
        print(f"{file}: {after} type errors, the baseline allows {before}")
    for file, (before, after) in sorted(better.items()):
        print(f"{file}: {after} type errors, down from {before}: run with --update")
    total = sum(now.values())
    print(f"archive/: {total} type errors (baseline {sum(recorded.values())})")
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()
