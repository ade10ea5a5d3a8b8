"""Run the `sh drill` blocks of docs/deploy.md, in order, on this machine (as root).

CI calls it after the tests, so the deployment guide is known to work as written. It installs
the checkout as the release (`/opt/sepeda-baru`), then runs the guide's commands in one bash
with `set -euo pipefail` and a clean environment (no virtualenv, no SEPEDA_* of the caller).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "deploy.md"
RELEASE = Path("/opt/sepeda-baru")
BLOCK = re.compile(r"^```sh drill\n(.*?)^```", re.M | re.S)
# What is not part of a release: caches, virtualenvs, the CI's own.
IGNORE = shutil.ignore_patterns(".git", ".venv", ".ci-venv", "__pycache__", "*.egg-info", "build")


def main() -> int:
    if os.geteuid() != 0:
        print("the drill installs system packages and users: run it as root", file=sys.stderr)
        return 2
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    if not blocks:
        print(f"no `sh drill` blocks in {GUIDE}", file=sys.stderr)
        return 2
    # A second run on one machine starts from what the first left stopped.
    stop_leftovers()
    shutil.rmtree(RELEASE, ignore_errors=True)
    shutil.copytree(ROOT, RELEASE, ignore=IGNORE)
    script = "set -euo pipefail\n" + "\n".join(
        f'echo "== deploy drill: step {n} of {len(blocks)} =="\n{block}'
        for n, block in enumerate(blocks, start=1)
    )
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "DEBIAN_FRONTEND": "noninteractive",
    }
    try:
        return subprocess.run(["bash", "-c", script], cwd="/", env=env).returncode
    finally:
        # Whatever the drill left running (a step failed before the stop) must not outlive it.
        stop_leftovers()


def stop_leftovers() -> None:
    """Stop the `sepeda` user's processes and nginx, if either exists (a fresh machine has
    neither before the drill's first step installs them)."""
    if shutil.which("pkill"):
        subprocess.run(["pkill", "-KILL", "-u", "sepeda"], capture_output=True)
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        subprocess.run(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-s", "quit"], capture_output=True
        )


if __name__ == "__main__":
    sys.exit(main())
