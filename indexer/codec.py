"""The Whoosh codec of the search index: W3 with posting blocks that decode without Python loops.

This is the one module that touches Whoosh's private names (the W3 codec's block layout, the
length column, the multi-process writer's process start); `whoosh-reloaded` is pinned to the
release they were read from, and `tests/indexer/test_evaluate.py` compares what goes through
them with Whoosh's own search. `tests/test_import_graph.py` keeps the rest of `indexer/` off
Whoosh's private names.

Whoosh's W3 codec pickles each block of 128 postings as tuples of Python ints and floats, so
reading a long posting list builds hundreds of thousands of objects. `ArrayCodec` keeps the W3
file layout but stores a block's id deltas and weights as little-endian ``uint32``/``float32``
bytes, in blocks of 1,024 postings: `indexer.evaluate` turns a block into NumPy arrays with
one call each. `ArrayLeafMatcher` decodes the same blocks for Whoosh's own matchers (merges,
deletions, filters), so every Whoosh API keeps working.

Only blocks of at least `COMPRESS_FROM` postings are zlib-compressed. Whoosh compressed every
block, even one of a single posting (its "under 20 bytes" exception is overwritten on the next
line of `_write_block`), and most terms (word pairs above all) have a handful of postings:
compressing those cost more time than it saved space. Long blocks are compressed: without that
the index at 100,000 pages grew from 298 MB to 706 MB for a p95 7 ms shorter.
"""

from __future__ import annotations

import multiprocessing
import secrets
import string
import sys
import warnings
from array import array
from typing import Any

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.codec.whoosh3 import (
        LENGTHS_COLUMN,
        STORED_COLUMN,
        W3Codec,
        W3LeafMatcher,
        W3PostingsWriter,
        W3Segment,
        _lenfield,
    )
    from whoosh.matching import ListMatcher
    from whoosh.multiproc import MpWriter, SubWriterTask
    from whoosh.util.numeric import _length_byte_cache

BLOCK_POSTINGS = 1024
# Blocks this long or longer are zlib-compressed (see the module's docstring).
COMPRESS_FROM = 64
ID_DELTAS = np.dtype("<u4")
WEIGHTS = np.dtype("<f4")


# Blocks of at least this many postings are packed with NumPy.
_NUMPY_FROM = 64


_SEGMENT_ALPHABET = string.ascii_lowercase + string.digits


def _little_endian(values: array[int] | array[float]) -> bytes:
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def decode_ids(data: Any) -> np.ndarray:
    """Page numbers of one block: cumulative sum of the stored deltas (bytes or a sequence)."""
    if isinstance(data, bytes):
        return np.cumsum(np.frombuffer(data, dtype=ID_DELTAS), dtype=np.int64)
    return np.cumsum(np.asarray(data, dtype=np.int64))


def decode_weights(data: Any, count: int) -> np.ndarray:
    """Weights of one block: None means all 1.0, a float means all that value."""
    if data is None:
        return np.ones(count)
    if isinstance(data, float):
        return np.full(count, data)
    if isinstance(data, bytes):
        return np.frombuffer(data, dtype=WEIGHTS).astype(np.float64)
    return np.asarray(data, dtype=np.float64)


class ArrayPostingsWriter(W3PostingsWriter):
    """W3 posting blocks whose ids and weights are stored as packed little-endian bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._level: int = self._compression

    def _write_block(self, last: bool = False) -> None:
        # Whoosh reads `_compression` when it writes the block and records it in the block's
        # header, so each block says for itself whether to decompress it.
        self._compression = self._level if len(self._ids) >= COMPRESS_FROM else 0
        super()._write_block(last)

    def _mini_ids(self) -> Any:
        if self._byteids:  # term vectors: ids are terms, not numbers
            return super()._mini_ids()
        ids = self._ids
        if len(ids) >= _NUMPY_FROM:
            return np.diff(np.asarray(ids, dtype=np.int64), prepend=0).astype(ID_DELTAS).tobytes()
        # Most terms have a handful of postings: a Python loop beats NumPy's call overhead.
        deltas = array("I")
        previous = 0
        for docnum in ids:
            deltas.append(docnum - previous)
            previous = docnum
        return _little_endian(deltas)

    def _mini_weights(self) -> Any:
        weights = super()._mini_weights()
        if isinstance(weights, tuple):
            return _little_endian(array("f", weights))
        return weights


class ArrayLeafMatcher(W3LeafMatcher):
    """Whoosh's W3 matcher over `ArrayPostingsWriter` blocks."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[0], bytes):
            self._ids = tuple(decode_ids(self._data[0]).tolist())
        else:
            super()._read_ids()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[1], bytes):
            self._weights = decode_weights(self._data[1], self._blocklength).tolist()
        else:
            super()._read_weights()


class ArrayCodec(W3Codec):
    """`W3Codec` writing `ArrayPostingsWriter` blocks of up to `BLOCK_POSTINGS` postings."""

    def __init__(
        self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3, inlinelimit: int = 1
    ) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        """A segment named from the OS's randomness, never one of the folder's existing names.

        Whoosh names segments with the `random` module: a process that seeds it (a test
        framework, a library) replays the same names, and a writer then opens an existing
        segment's files for writing, emptying them (found by the upload fuzz test).
        """
        existing = set(storage.list())
        while True:
            segid = "".join(secrets.choice(_SEGMENT_ALPHABET) for _ in range(16))
            if not any(name.startswith(f"{indexname}_{segid}") for name in existing):
                return W3Segment(self, indexname, segid=segid)


# -- what other modules read of Whoosh's internals -------------------------------------------

# Whoosh stores a field's length per page as one byte; this table turns the byte back.
BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float64)


def length_bytes(reader: Any, field: str) -> bytes | None:
    """The one-byte lengths of ``field`` for every page of a W3 segment; None for other codecs."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        return column._dbfile.get(column._basepos, column._count) if column is not None else b""
    except AttributeError:
        return None


def pin_columns(searcher: Any) -> None:
    """Open now, for every segment, the columns a query reads later: stored fields and lengths.

    Whoosh opens a segment's column files lazily, on the first read. Another process (the
    background worker) may merge segments in between and delete the old files: a query then
    found no stored-fields column and failed (``'NoneType' object is not subscriptable``,
    seen under load with the worker in its own process). A file already open survives its
    deletion on POSIX, so opening the columns with the searcher closes that window; a file
    already gone raises FileNotFoundError, and the caller opens a new searcher.
    """
    scorable = list(searcher.schema.scorable_names())
    for reader, _ in searcher.reader().leaf_readers():
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is None or not reader.doc_count_all():
            continue
        try:
            if perdoc._cached_reader("_stored", STORED_COLUMN) is None:
                raise FileNotFoundError(f"segment {reader.segment()} lost its stored fields")
            for field in scorable:
                perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        except AttributeError:  # another codec: nothing to pin
            return


def list_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Ids and weights of an in-memory `ListMatcher`; None for any other matcher."""
    if not isinstance(matcher, ListMatcher):
        return None
    ids = np.asarray(matcher._ids, dtype=np.int64)
    weights = matcher._weights
    if weights is None:
        return ids, np.ones(len(ids))
    return ids, np.asarray(weights, dtype=np.float64)


def block_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Decode a W3 posting list block by block (`ArrayCodec` packs ids and weights); None for
    any other matcher."""
    if not isinstance(matcher, W3LeafMatcher):
        return None
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while True:
        if matcher._data is None:
            matcher._read_data()
        ids.append(decode_ids(matcher._data[0]))
        weights.append(decode_weights(matcher._data[1], matcher._blocklength))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


# Whoosh's workers are forked (Linux's default before Python 3.14, set explicitly): no
# re-import of the caller's main module, so a rebuild works from any entry point. The child
# only reads its job queue and writes its segment, so locks that other threads of the caller
# (event loop helpers, progress bars) held at fork time are never needed there.
_WORKER_CONTEXT = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _worker_popen(process_obj: Any) -> Any:
    context: Any = multiprocessing.get_context(_WORKER_CONTEXT)
    return context.Process._Popen(process_obj)


class _SubWriter(SubWriterTask):
    """Whoosh's indexing worker process, started from `_WORKER_CONTEXT`."""

    _Popen = staticmethod(_worker_popen)


class ParallelWriter(MpWriter):
    """Whoosh's multi-process writer: one segment per worker process, no final merge."""

    def __init__(self, ix: Any, procs: int, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)
        context = multiprocessing.get_context(_WORKER_CONTEXT)
        self.jobqueue = context.Queue(self.procs * 4)
        self.resultqueue = context.Queue()

    def _new_task(self) -> Any:
        task = _SubWriter(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task
