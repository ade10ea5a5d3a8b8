"""BlobStore: content addressing, dedupe, atomicity, limits, full disks, fsck."""

from __future__ import annotations

import errno
import hashlib
import os
import time
from pathlib import Path

import pytest

from archive.errors import NoSpace, TooLarge
from archive.storage.blobs import BlobStore, BlobWriter, _link_no_replace


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


def stored_files(store: BlobStore) -> list[Path]:
    """Every file under the root, temps included."""
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def temps(store: BlobStore) -> list[Path]:
    return sorted(store.tmp_dir.iterdir()) if store.tmp_dir.exists() else []


def test_put_bytes_is_content_addressed(store: BlobStore) -> None:
    data = b"Keputusan Bupati Balangan Nomor 188.45/123/2024"
    ref = store.put_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    assert ref.sha256 == sha
    assert ref.size == len(data)
    assert ref.created is True
    assert ref.path == store.root / sha[:2] / sha[2:4] / sha
    assert ref.path.read_bytes() == data
    assert store.exists(sha)
    with store.open(sha) as handle:
        assert handle.read() == data
    assert temps(store) == []


def test_same_bytes_twice_are_stored_once(store: BlobStore) -> None:
    first = store.put_bytes(b"satu perda untuk banyak inovasi")
    mtime = first.path.stat().st_mtime_ns
    second = store.put_bytes(b"satu perda untuk banyak inovasi")
    assert second.sha256 == first.sha256
    assert first.created is True
    assert second.created is False
    assert second.path == first.path
    assert first.path.stat().st_mtime_ns == mtime  # kept, not rewritten
    assert stored_files(store) == [first.path]


def test_blobs_are_read_only(store: BlobStore) -> None:
    ref = store.put_bytes(b"jangan diubah")
    assert ref.path.stat().st_mode & 0o777 == 0o400


def test_nothing_is_visible_before_commit(store: BlobStore) -> None:
    data = b"x" * 10_000
    sha = hashlib.sha256(data).hexdigest()
    with store.writer(max_bytes=len(data)) as writer:
        writer.write(data[:5000])
        assert not store.exists(sha)
        assert list(store.iter_shas()) == []
        assert writer.temp_path.parent == store.tmp_dir
        writer.write(data[5000:])
        assert not store.exists(sha)
        ref = writer.commit()
    assert store.exists(sha)
    assert ref.path.read_bytes() == data
    assert temps(store) == []


def test_context_manager_aborts_without_commit(store: BlobStore) -> None:
    with store.writer(max_bytes=100) as writer:
        writer.write(b"setengah")
    assert stored_files(store) == []


def test_context_manager_aborts_on_error(store: BlobStore) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.writer(max_bytes=100) as writer:
        writer.write(b"setengah")
        raise RuntimeError("boom")
    assert stored_files(store) == []


def test_too_large_leaves_nothing(store: BlobStore) -> None:
    writer = store.writer(max_bytes=10)
    writer.write(b"12345")
    with pytest.raises(TooLarge) as caught:
        writer.write(b"678901")
    assert "terlalu besar" in caught.value.detail
    assert caught.value.status_code == 413
    assert stored_files(store) == []
    with pytest.raises(RuntimeError):
        writer.write(b"x")


def test_exactly_the_limit_is_fine(store: BlobStore) -> None:
    with store.writer(max_bytes=10) as writer:
        writer.write(b"0123456789")
        assert writer.commit().size == 10


def test_full_disk_on_write_raises_no_space(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BlobWriter, "_os_write", staticmethod(full))
    writer = store.writer(max_bytes=1000)
    with pytest.raises(NoSpace) as caught:
        writer.write(b"data dukung")
    assert caught.value.status_code == 507
    assert "penuh" in caught.value.detail
    assert stored_files(store) == []


def test_quota_on_fsync_raises_no_space(store: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def over_quota(fd: int) -> None:
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(BlobWriter, "_os_fsync", staticmethod(over_quota))
    writer = store.writer(max_bytes=1000)
    writer.write(b"data dukung")
    with pytest.raises(NoSpace):
        writer.commit()
    assert stored_files(store) == []


def test_other_os_errors_propagate_and_clean_up(
    store: BlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int, data: object) -> int:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(BlobWriter, "_os_write", staticmethod(broken))
    with pytest.raises(OSError) as caught:
        store.put_bytes(b"abc")
    assert not isinstance(caught.value, NoSpace)
    assert stored_files(store) == []


def test_short_writes_are_completed(store: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def dribble(fd: int, data: memoryview) -> int:
        return os.write(fd, data[:3])

    monkeypatch.setattr(BlobWriter, "_os_write", staticmethod(dribble))
    ref = store.put_bytes(b"ditulis sedikit demi sedikit")
    assert ref.path.read_bytes() == b"ditulis sedikit demi sedikit"


def test_put_file_streams_with_progress(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "laporan.pdf"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    seen: list[int] = []
    ref = store.put_file(source, progress=seen.append)
    assert sum(seen) == ref.size == source.stat().st_size
    assert len(seen) == 4
    assert store.rehash(ref.sha256) == ref.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()


def test_put_file_respects_a_limit(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "besar.bin"
    source.write_bytes(b"a" * 100)
    with pytest.raises(TooLarge):
        store.put_file(source, max_bytes=99)
    assert stored_files(store) == []


def test_path_rejects_anything_but_a_digest(store: BlobStore) -> None:
    for bad in ("../../etc/passwd", "ABC", "a" * 63, "A" * 64, "g" * 64):
        with pytest.raises(ValueError):
            store.path(bad)
        assert not store.exists(bad)


def test_iter_shas_skips_temps_and_strays(store: BlobStore) -> None:
    refs = sorted(store.put_bytes(bytes([i])).sha256 for i in range(3))
    writer = store.writer(max_bytes=10)
    writer.write(b"pending")
    (store.root / "README").write_text("stray")
    misplaced = store.root / "00" / "00"
    misplaced.mkdir(parents=True)
    (misplaced / refs[0]).write_bytes(b"wrong place")
    assert list(store.iter_shas()) == refs
    writer.abort()


def test_cleanup_temp_removes_only_stale_files(store: BlobStore) -> None:
    stale = store.writer(max_bytes=10)
    stale.write(b"crash")
    old = time.time() - 7200
    os.utime(stale.temp_path, (old, old))
    live = store.writer(max_bytes=10)
    live.write(b"live")
    assert store.cleanup_temp(older_than_s=3600) == 1
    assert not stale.temp_path.exists()
    assert live.temp_path.exists()
    live.abort()
    stale.abort()  # already gone: must not fail


def test_cleanup_temp_without_tmp_dir(store: BlobStore) -> None:
    assert store.cleanup_temp(0) == 0


def test_fsck_finds_missing_corrupt_and_orphaned(store: BlobStore) -> None:
    good = store.put_bytes(b"baik")
    corrupt = store.put_bytes(b"akan rusak")
    orphan = store.put_bytes(b"tidak dikenal")
    missing = hashlib.sha256(b"hilang").hexdigest()

    # Flip one byte by hand, as bit rot or a careless admin would.
    corrupt.path.chmod(0o600)
    raw = bytearray(corrupt.path.read_bytes())
    raw[0] ^= 0x01
    corrupt.path.write_bytes(bytes(raw))

    calls: list[tuple[int, int]] = []
    report = store.fsck(
        {good.sha256, corrupt.sha256, missing}, progress=lambda d, t: calls.append((d, t))
    )
    assert report.missing == [missing]
    assert report.corrupt == [corrupt.sha256]
    assert report.orphaned == [orphan.sha256]
    assert report.checked == 3
    assert report.ok is False
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_fsck_clean_store_is_ok(store: BlobStore) -> None:
    refs = {store.put_bytes(str(i).encode()).sha256 for i in range(5)}
    report = store.fsck(refs)
    assert report.ok
    assert report.checked == 5
    assert BlobStore(store.root / "nowhere").fsck(set()).ok


def test_two_writers_of_the_same_bytes(store: BlobStore) -> None:
    first, second = store.writer(max_bytes=100), store.writer(max_bytes=100)
    first.write(b"perda yang sama")
    second.write(b"perda yang sama")
    refs = [first.commit(), second.commit()]
    assert [ref.created for ref in refs] == [True, False]
    assert stored_files(store) == [refs[0].path]


def test_link_never_replaces_an_existing_name(tmp_path: Path) -> None:
    """Even when a name appears between the existence check and the link."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.write_bytes(b"baru")
    dest.write_bytes(b"lama")
    assert _link_no_replace(src, dest) is False
    assert dest.read_bytes() == b"lama"


def test_filesystems_without_hard_links(store: BlobStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    ref = store.put_bytes(b"tanpa hard link")
    assert ref.created and ref.path.read_bytes() == b"tanpa hard link"
    assert store.put_bytes(b"tanpa hard link").created is False
    assert temps(store) == []
