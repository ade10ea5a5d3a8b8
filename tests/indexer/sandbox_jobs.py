"""Misbehaving job functions for the sandbox tests; importable by a spawned child."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time


def echo(path: str, media_type: str, **options: object) -> dict[str, object]:
    """Return the arguments, to prove a round trip."""
    return {"path": path, "media_type": media_type, "options": options, "pid": os.getpid()}


def hog_memory(path: str, media_type: str) -> None:
    """Allocate 64 MB blocks until the address-space limit stops it."""
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def spin(path: str, media_type: str) -> None:
    """Loop forever, as a PDF with a cyclic structure might."""
    while True:
        pass


def spin_with_grandchild(path: str, media_type: str) -> None:
    """Start a long `sleep` (standing in for Tesseract), write its pid to `path`, then spin."""
    child = subprocess.Popen(["sleep", "300"])
    with open(path, "w") as fh:
        fh.write(str(child.pid))
    while True:
        time.sleep(0.01)


def segfault(path: str, media_type: str) -> None:
    """Dereference NULL, as a crashing C extension would."""
    ctypes.string_at(0)


def sigkill(path: str, media_type: str) -> None:
    """Die by SIGKILL, as under the kernel's OOM killer."""
    os.kill(os.getpid(), signal.SIGKILL)


def boom(path: str, media_type: str) -> None:
    """Raise an ordinary exception."""
    raise ValueError("boom")


def slow_if_marked(path: str, media_type: str, **options: object) -> object:
    """Read the file for real, after a long pause if it says HUGE: a stand-in for a file of
    250,000 pages without making one."""
    from pathlib import Path

    from indexer.extract import extract_file

    if b"HUGE" in Path(path).read_bytes():
        time.sleep(6)
    return extract_file(path, media_type, **options)  # type: ignore[arg-type]


def loaded(path: str, media_type: str) -> dict[str, bool]:
    """Which parsers the child had loaded before this job."""
    return {name: name in sys.modules for name in ("pypdf", "docx", "openpyxl")}
