"""Index generations: each full build goes into a new folder, swapped in by one atomic rename.

Layout under the index path::

    CURRENT            name of the live generation folder (replaced atomically)
    g-<time>-<rand>/   one complete index (backend files plus ``version.json``)

A folder being built holds an exclusive ``flock`` on its ``.building`` file until it is swapped
in or dropped. The kernel releases the lock when the builder dies, so the writer can tell a
generation abandoned by a killed ``sepeda reindex`` from one another process is still writing.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

POINTER = "CURRENT"
VERSION_FILE = "version.json"
BUILDING = ".building"
# Lock files of the generations this process is building, by folder.
_building: dict[Path, int] = {}


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
    fd = os.open(folder / BUILDING, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _building[folder] = fd
    return folder


def _done_building(folder: Path) -> None:
    fd = _building.pop(folder, None)
    if fd is not None:
        os.close(fd)  # releases the lock


def remove_abandoned(root: Path) -> list[Path]:
    """Delete generations that are neither live nor being built (left by a killed build)."""
    live = current(root)
    removed = []
    for child in root.glob("g-*") if root.is_dir() else ():
        if not child.is_dir() or child == live or child in _building:
            continue
        try:
            fd = os.open(child / BUILDING, os.O_RDWR)
        except FileNotFoundError:
            fd = None  # finished but never swapped in: a newer one won, or it is stale
        except OSError:
            continue
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # another process is still writing it
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
        finally:
            if fd is not None:
                os.close(fd)
    return removed


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
    _done_building(folder)
    (folder / BUILDING).unlink(missing_ok=True)
    remove_abandoned(root)  # the older generations; not one another process is building


def remove_folder(folder: Path) -> None:
    """Delete an unfinished generation."""
    _done_building(folder)
    shutil.rmtree(folder, ignore_errors=True)
