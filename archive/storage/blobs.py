"""Content-addressed blob storage: SHA-256 names, temp file, fsync, atomic rename."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from archive.errors import NoSpace, TooLarge

TMP_DIR = "tmp"
TMP_SUFFIX = ".part"
READ_CHUNK = 1024 * 1024
# Blobs are immutable: read-only for the owner, nobody else (evidence carries personal data).
BLOB_MODE = 0o400
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_FULL_DISK = {errno.ENOSPC, errno.EDQUOT}

NO_SPACE_MESSAGE = (
    "Ruang penyimpanan server penuh; berkas tidak tersimpan. "
    "Hubungi pengelola sistem, lalu coba lagi."
)


def human_size(n: int) -> str:
    """A byte count for people: 100 MB, 64 KB, 10 byte."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


def too_large(max_bytes: int) -> TooLarge:
    """The one 413 message used by the writer and the multipart reader."""
    return TooLarge(f"Berkas terlalu besar; batas ukuran unggahan {human_size(max_bytes)}.")


def is_sha256(value: str) -> bool:
    """True for a lowercase hex SHA-256 digest (the only names the store accepts)."""
    return bool(_SHA_RE.match(value))


@dataclass(frozen=True)
class BlobRef:
    """A stored blob: its digest, size and where it lives; `created` is False for a duplicate."""

    sha256: str
    size: int
    path: Path
    created: bool


@dataclass
class FsckReport:
    """What `BlobStore.fsck` found; `ok` is True when nothing disagrees."""

    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.orphaned)


def _fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in `path` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raise_if_full(exc: OSError) -> None:
    """Turn a full disk or exhausted quota into the domain's 507."""
    if exc.errno in _FULL_DISK:
        raise NoSpace(NO_SPACE_MESSAGE) from exc


class BlobWriter:
    """Streams one blob into a temp file while hashing; `commit` files it under its digest."""

    # The os-level calls, as attributes so tests can simulate a full disk on this writer only.
    _os_write = staticmethod(os.write)
    _os_fsync = staticmethod(os.fsync)

    def __init__(self, store: BlobStore, max_bytes: int) -> None:
        self._store = store
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self._done = False
        store.tmp_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd, name = tempfile.mkstemp(dir=store.tmp_dir, prefix="blob-", suffix=TMP_SUFFIX)
        except OSError as exc:
            _raise_if_full(exc)
            raise
        self._fd: int | None = fd
        self.temp_path = Path(name)

    def write(self, chunk: bytes | bytearray | memoryview) -> None:
        """Append a chunk; TooLarge past `max_bytes`, NoSpace on a full disk (temp removed)."""
        if self._done or self._fd is None:
            raise RuntimeError("BlobWriter is already committed or aborted")
        view = memoryview(chunk).cast("B")
        if self.size + len(view) > self.max_bytes:
            self.abort()
            raise too_large(self.max_bytes)
        self._hash.update(view)
        try:
            while view:
                written = self._os_write(self._fd, view)
                view = view[written:]
                self.size += written
        except OSError as exc:
            self.abort()
            _raise_if_full(exc)
            raise

    def commit(self) -> BlobRef:
        """Fsync, rename into place (keeping an existing blob untouched) and fsync the dir."""
        if self._done or self._fd is None:
            raise RuntimeError("BlobWriter is already committed or aborted")
        sha = self._hash.hexdigest()
        dest = self._store.path(sha)
        if dest.is_file():
            # Already stored: keep the existing blob and skip the fsync of a copy we drop.
            self.abort()
            self._done = True
            return BlobRef(sha256=sha, size=self.size, path=dest, created=False)
        try:
            os.fchmod(self._fd, BLOB_MODE)
            self._os_fsync(self._fd)
            os.close(self._fd)
            self._fd = None
            self._store._make_fanout(dest.parent)
            created = _link_no_replace(self.temp_path, dest)
            self.temp_path.unlink(missing_ok=True)
            _fsync_dir(dest.parent)
        except OSError as exc:
            self.abort()
            _raise_if_full(exc)
            raise
        except BaseException:
            self.abort()
            raise
        self._done = True
        return BlobRef(sha256=sha, size=self.size, path=dest, created=created)

    def abort(self) -> None:
        """Drop the temp file; safe to call twice and after a failure."""
        if self._done:
            return
        self._done = True
        if self._fd is not None:
            try:
                os.close(self._fd)
            finally:
                self._fd = None
        self.temp_path.unlink(missing_ok=True)

    @property
    def closed(self) -> bool:
        return self._done

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Leaving the block without commit (an error, or a forgotten commit) keeps nothing.
        self.abort()


def _link_no_replace(src: Path, dest: Path) -> bool:
    """Give `src` the name `dest` unless it exists; True when this call created it.

    A hard link fails atomically on an existing name, so two uploads of the same bytes racing
    each other never replace a blob. Filesystems without hard links fall back to a rename
    after an existence check (the loser of that race renames identical bytes).
    """
    try:
        os.link(src, dest)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}:
            raise
    if dest.exists():
        return False
    os.rename(src, dest)
    return True


class BlobStore:
    """Content-addressed files under `root`, named by SHA-256 in `ab/cd/<sha>` fan-out dirs."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / TMP_DIR

    def path(self, sha: str) -> Path:
        """Where the blob with this digest lives (whether or not it exists)."""
        if not is_sha256(sha):
            raise ValueError(f"not a SHA-256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        """True when a blob with this digest is stored."""
        return is_sha256(sha) and self.path(sha).is_file()

    def open(self, sha: str) -> BinaryIO:
        """Open a stored blob for reading (FileNotFoundError when absent)."""
        return self.path(sha).open("rb")

    def writer(self, max_bytes: int) -> BlobWriter:
        """A writer for one new blob of at most `max_bytes` bytes."""
        return BlobWriter(self, max_bytes)

    def put_bytes(self, data: bytes) -> BlobRef:
        """Store bytes already in memory."""
        with self.writer(max_bytes=len(data)) as writer:
            writer.write(data)
            return writer.commit()

    def put_file(
        self,
        path: Path,
        *,
        max_bytes: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> BlobRef:
        """Store a file from disk, streamed; `progress` gets the byte count of each chunk."""
        with Path(path).open("rb") as source:
            return self.put_stream(source, max_bytes=max_bytes, progress=progress)

    def put_stream(
        self,
        source: BinaryIO,
        *,
        max_bytes: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> BlobRef:
        """Store what a binary stream yields, chunk by chunk."""
        limit = max_bytes if max_bytes is not None else sys.maxsize
        with self.writer(max_bytes=limit) as writer:
            while chunk := source.read(READ_CHUNK):
                writer.write(chunk)
                if progress is not None:
                    progress(len(chunk))
            return writer.commit()

    def rehash(self, sha: str) -> str:
        """The SHA-256 of the stored file's current content."""
        digest = hashlib.sha256()
        with self.open(sha) as handle:
            while chunk := handle.read(READ_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def iter_shas(self) -> Iterator[str]:
        """Every stored digest, sorted; stray files and temps are skipped."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if len(second.name) != 2 or not second.is_dir():
                    continue
                for blob in sorted(second.iterdir()):
                    name = blob.name
                    if is_sha256(name) and name[:2] == first.name and name[2:4] == second.name:
                        yield name

    def cleanup_temp(self, older_than_s: float = 24 * 3600) -> int:
        """Remove temps left by a crash (untouched for `older_than_s`); returns how many."""
        if not self.tmp_dir.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for entry in self.tmp_dir.iterdir():
            try:
                # A live upload keeps writing, so its mtime stays fresh and it is spared.
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # finished or aborted meanwhile
        return removed

    def fsck(
        self,
        known: set[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> FsckReport:
        """Re-hash every blob; report known-but-absent, changed and unknown ones.

        `progress(done, total)` is called after each blob that is checked.
        """
        report = FsckReport()
        present = set(self.iter_shas())
        report.missing = sorted(sha for sha in known if sha not in present)
        total = len(present)
        for done, sha in enumerate(sorted(present), start=1):
            if self.rehash(sha) != sha:
                report.corrupt.append(sha)
            if sha not in known:
                report.orphaned.append(sha)
            report.checked += 1
            if progress is not None:
                progress(done, total)
        return report

    def _make_fanout(self, directory: Path) -> None:
        """Create `ab/cd` as needed, fsyncing each parent that got a new entry."""
        for level in (directory.parent, directory):
            if level.is_dir():
                continue
            try:
                level.mkdir()
            except FileExistsError:
                continue  # a concurrent writer made it
            _fsync_dir(level.parent)
