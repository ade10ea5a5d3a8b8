"""Index generations: each full build goes into a new folder, swapped in by one atomic rename.

Layout under the index path::

    CURRENT            name of the live generation folder (replaced atomically)
    g-<time>-<rand>/   one complete index (backend files plus ``version.json``)
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

POINTER = "CURRENT"
VERSION_FILE = "version.json"


def current(root: Path) -> Path | None:
    """The live generation folder, or None when there is none yet."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = root / name
    return folder if name and folder.is_dir() else None


def new_generation(root: Path) -> Path:
    """Create an empty, not yet live, generation folder."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    folder = root / f"g-{stamp}-{secrets.token_hex(4)}"
    folder.mkdir()
    return folder


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_version(folder: Path, version: dict[str, Any]) -> None:
    """Record which schema/analyzer built this generation."""
    (folder / VERSION_FILE).write_text(json.dumps(version, sort_keys=True), encoding="utf-8")


def read_version(folder: Path) -> dict[str, Any] | None:
    """The recorded version, or None when missing or unreadable."""
    try:
        data = json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def activate(root: Path, folder: Path) -> None:
    """Make ``folder`` the live generation (atomic for readers), then drop older ones."""
    tmp = root / f"{POINTER}.{secrets.token_hex(4)}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(folder.name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, root / POINTER)
    _fsync_dir(root)
    remove_stale(root, keep=folder)


def remove_stale(root: Path, keep: Path) -> None:
    """Delete generation folders other than ``keep`` (readers of them retry on the new one)."""
    for child in root.iterdir():
        if child.is_dir() and child.name.startswith("g-") and child != keep:
            shutil.rmtree(child, ignore_errors=True)


def remove_folder(folder: Path) -> None:
    """Delete an unfinished generation."""
    shutil.rmtree(folder, ignore_errors=True)
