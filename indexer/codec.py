"""The Whoosh codec of the search index: W3 with posting blocks that decode without Python loops.

This is the one module that touches Whoosh's private names (the W3 codec's block layout, the
length column, the field writer's posting writer, the multi-process writer's worker);
`whoosh-reloaded` is pinned to the release they were read from, and
`tests/indexer/test_evaluate.py` compares what goes through them with Whoosh's own search.
`tests/test_import_graph.py` keeps the rest of `indexer/` off Whoosh's private names.

Whoosh's W3 codec pickles each block of 128 postings as tuples of Python ints and floats, so
reading a long posting list builds hundreds of thousands of objects. `ArrayCodec` keeps the W3
file layout but stores a block's ids and weights as packed little-endian bytes, in blocks of
8,192 postings: `indexer.evaluate` turns a block into NumPy arrays with one call each (a
common word at 100,000 pages is 8 blocks, not the 64 of 1,024 postings that cost a third of
its search in per-block overhead). `ArrayLeafMatcher` decodes the same blocks for Whoosh's
own matchers (merges, deletions, filters), so every Whoosh API keeps working. A rebuild hands
the codec a term's whole posting list as arrays (`write_term`, for `indexer.array_writer`)
instead of one posting at a time.

No block is zlib-compressed: Whoosh compressed every block, and inflating them was a quarter of
a common word's search. Blocks are small instead: a block's id gaps are stored in the narrowest
unsigned type that holds them (a word on most pages has gaps of one or two pages: one byte
each), after the block's first id; whole-number weights (term counts) up to 255 take one byte;
and the Frequency format's values, which repeat each count as 4 more bytes, are not written
but rebuilt from the weights when Whoosh asks. At 100,000 pages the index is 279 MB (300 MB
with zlib, 706 MB with plain 4-byte ids and weights; docs/benchmarks-search.md, round 3).
"""

from __future__ import annotations

import os
import secrets
import string
import struct
import sys
import warnings
from array import array
from typing import Any

import numpy as np

from indexer import forking

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
        W3TermsReader,
        _lenfield,
    )
    from whoosh.formats import Existence, Frequency
    from whoosh.matching import FilterMatcher, ListMatcher
    from whoosh.multiproc import MpWriter, SubWriterTask
    from whoosh.reading import TermNotFound
    from whoosh.util.numeric import _length_byte_cache

BLOCK_POSTINGS = 8192
# A block's ids: one byte giving the width of its gaps (1, 2 or 4), the first id as 4 bytes,
# then the gaps to the following ids. Weights: b"u" and one byte each, or b"f" and float32s.
_WIDTHS: dict[int, np.dtype[Any]] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_FIRST = np.dtype("<u4")
_BYTE_WEIGHTS = b"u"
_FLOAT_WEIGHTS = b"f"


# Blocks of at least this many postings are packed with NumPy.
_NUMPY_FROM = 64


_SEGMENT_ALPHABET = string.ascii_lowercase + string.digits


def _little_endian(values: array[int] | array[float]) -> bytes:
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def encode_ids(ids: Any) -> bytes:
    """One block's sorted page numbers (see `_WIDTHS`)."""
    if len(ids) < _NUMPY_FROM:
        # Most terms have a handful of postings: a Python loop beats NumPy's call overhead.
        gaps = array("I")
        previous = ids[0]
        for docnum in ids[1:]:
            gaps.append(docnum - previous)
            previous = docnum
        return b"\x04" + _little_endian(array("I", [ids[0]])) + _little_endian(gaps)
    values = np.asarray(ids, dtype=np.int64)
    deltas = np.diff(values)
    largest = int(deltas.max()) if len(deltas) else 0
    width = 1 if largest < 1 << 8 else 2 if largest < 1 << 16 else 4
    first = np.asarray([values[0]], dtype=_FIRST).tobytes()
    return bytes([width]) + first + deltas.astype(_WIDTHS[width]).tobytes()


def decode_ids(data: Any, count: int) -> np.ndarray:
    """Page numbers of one block of ``count``, from `encode_ids`'s bytes (or Whoosh's own
    sequence, or the 4-byte gaps of an index written before schema 3)."""
    if not isinstance(data, bytes):
        return np.cumsum(np.asarray(data, dtype=np.int64))
    if len(data) == 4 * count:  # never the length of `encode_ids`'s bytes (4n+1, 2n+3, n+4)
        return np.cumsum(np.frombuffer(data, dtype=_WIDTHS[4]), dtype=np.int64)
    out = np.frombuffer(data, dtype=_WIDTHS[data[0]], offset=5).astype(np.int64)
    out = np.concatenate((np.frombuffer(data, dtype=_FIRST, count=1, offset=1), out))
    return np.cumsum(out, dtype=np.int64)


def encode_weights(weights: Any) -> bytes:
    """One block's weights: single bytes when they are all whole numbers up to 255."""
    if len(weights) >= _NUMPY_FROM:
        values = np.asarray(weights, dtype=np.float64)
        if values.min() >= 0 and values.max() <= 255 and np.all(values == np.floor(values)):
            return _BYTE_WEIGHTS + values.astype(np.uint8).tobytes()
    return _FLOAT_WEIGHTS + _little_endian(array("f", weights))


def decode_weights(data: Any, count: int) -> np.ndarray:
    """Weights of one block: None means all 1.0, a float means all that value."""
    if data is None:
        return np.ones(count)
    if isinstance(data, float):
        return np.full(count, data)
    if isinstance(data, bytes):
        if len(data) == 4 * count:  # float32s of an index written before schema 3
            return np.frombuffer(data, dtype="<f4").astype(np.float64)
        kind = _WEIGHT_TYPES[data[:1]]
        return np.frombuffer(data, dtype=kind, offset=1).astype(np.float64)
    return np.asarray(data, dtype=np.float64)


_WEIGHT_TYPES: dict[bytes, np.dtype[Any]] = {
    _BYTE_WEIGHTS: np.dtype("<u1"),
    _FLOAT_WEIGHTS: np.dtype("<f4"),
}

# Marks a block whose values are its weights as Frequency values (`counts_of`); a real block
# of 4-byte values is never empty.
SAME_AS_WEIGHTS = b""
_COUNT = np.dtype(">u4")


def counts_of(weights: Any) -> bytes:
    """Weights as Whoosh's Frequency format stores its values: whole counts, 4 bytes each."""
    if len(weights) < _NUMPY_FROM:
        return struct.pack(f">{len(weights)}I", *(int(w) for w in weights))
    return np.asarray(weights, dtype=np.float64).astype(_COUNT).tobytes()


class ArrayPostingsWriter(W3PostingsWriter):
    """W3 posting blocks whose ids and weights are stored as packed little-endian bytes."""

    # True while the buffered block came whole from `add_block` (its values are its counts).
    _from_arrays = False

    def add_block(self, ids: np.ndarray, counts: np.ndarray, lengths: np.ndarray) -> None:
        """Buffer one block of a term's postings given as arrays, instead of one `add_posting`
        call each: ascending page numbers, each page's count of the term (its weight: 1 for an
        Existence field), and each page's field length as the segment stores it (0 for a field
        that is not scored)."""
        if len(self._ids):  # type: ignore[has-type]
            self._write_block()
        # Whoosh pickles the block's last id and its statistics: they must be Python numbers.
        self._ids = array("I", ids.astype(np.uint32).tobytes())
        weights = counts.astype(np.float32)
        self._weights = array("f", weights.tobytes())
        self._values: list[bytes] = []
        self._from_arrays = True
        self._maxweight = float(weights.max())
        scored = lengths[lengths > 0]
        self._minlength = int(scored.min()) if len(scored) else None
        self._maxlength = int(scored.max()) if len(scored) else 0

    def _new_block(self) -> None:
        super()._new_block()
        self._from_arrays = False

    def _write_block(self, last: bool = False) -> None:
        # Whoosh reads `_compression` when it writes the block and records it in the block's
        # header, so each block says for itself whether to inflate it: none does.
        self._compression = 0
        super()._write_block(last)

    def _mini_ids(self) -> Any:
        if self._byteids:  # term vectors: ids are terms, not numbers
            return super()._mini_ids()
        return encode_ids(self._ids)

    def _mini_weights(self) -> Any:
        if len(self._weights) >= _NUMPY_FROM:
            # Whoosh's own checks walk the block in Python, twice for most blocks.
            values = np.frombuffer(self._weights, dtype=np.float32)
            first = values[0]
            if np.all(values == first):
                return None if first == 1.0 else float(first)
            return encode_weights(values)
        weights = super()._mini_weights()
        if isinstance(weights, tuple):
            return encode_weights(weights)
        return weights

    def _mini_values(self) -> Any:
        if self._from_arrays:
            size = self._format.fixed_value_size()
            # `add_block` takes Existence (no values) and Frequency (values are the counts).
            return None if size == 0 else SAME_AS_WEIGHTS
        values = super()._mini_values()
        # A Frequency field's value is each posting's count as 4 big-endian bytes, the weight
        # again: 4 bytes a posting, most of the postings file once blocks are not compressed.
        if isinstance(values, bytes) and values and values == counts_of(self._weights):
            return SAME_AS_WEIGHTS
        return values


def write_term(fieldwriter: Any, btext: bytes, ids: Any, counts: Any, lengths: Any) -> None:
    """Write one term's whole posting list (arrays, see `ArrayPostingsWriter.add_block`)
    through a W3 field writer whose field is started, a block at a time."""
    fieldwriter.start_term(btext)
    postings = fieldwriter._postwriter
    size = postings._blocklimit
    for start in range(0, len(ids), size):
        end = start + size
        postings.add_block(ids[start:end], counts[start:end], lengths[start:end])
    fieldwriter.finish_term()


# The posting formats `write_term` writes.
ARRAY_FORMATS: tuple[type, ...] = (Existence, Frequency)


class ArrayLeafMatcher(W3LeafMatcher):
    """Whoosh's W3 matcher over `ArrayPostingsWriter` blocks."""

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._data[2] == SAME_AS_WEIGHTS and self._fixedsize == _COUNT.itemsize:
            if self._weights is None:
                self._read_weights()
            packed = counts_of(self._weights)
            self._values = tuple(packed[i : i + 4] for i in range(0, len(packed), 4))
        else:
            super()._read_values()

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[0], bytes):
            self._ids = tuple(decode_ids(self._data[0], self._blocklength).tolist())
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


def stored_lengths(lengths: np.ndarray) -> np.ndarray:
    """Field lengths as a W3 segment gives them back: through its one-byte approximation
    (Whoosh's `length_to_byte`, then `byte_to_length`); 0 stays 0."""
    steps = np.minimum(np.searchsorted(BYTE_TO_LENGTH, lengths, side="left"), 255)
    return np.where(lengths > 0, BYTE_TO_LENGTH[steps], 0)


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


class TermPostings:
    """One term of one segment, looked up once: its document frequency at once, its matcher
    (deletions not filtered out) when asked.

    Whoosh's `reader.postings` looks the term up again after `in` and wraps it for deletions
    in a filter that decodes the first block at once; `indexer.evaluate` reads whole lists
    and removes the deleted pages once, at the end.
    """

    __slots__ = ("_field", "_info", "_reader", "_text", "doc_frequency")

    def __init__(self, reader: Any, field: str, text: str, info: Any, frequency: int) -> None:
        self._reader = reader
        self._field = field
        self._text = text
        self._info = info
        self.doc_frequency = frequency

    def matcher(self) -> Any:
        reader = self._reader
        if self._info is None:  # another codec: Whoosh's public API
            matcher = reader.postings(self._field, self._text)
            return matcher.child if isinstance(matcher, FilterMatcher) else matcher
        terms = reader._terms
        return terms._codec.postings_reader(
            terms._postfile,
            self._info,
            reader.schema[self._field].format,
            term=(self._field, reader._text_to_bytes(self._field, self._text)),
        )


def lookup(reader: Any, field: str, text: str) -> TermPostings | None:
    """``text`` of ``field`` in one segment, or None when the segment lacks it."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        if (field, text) not in reader:
            return None
        return TermPostings(reader, field, text, None, reader.doc_frequency(field, text))
    if field not in reader.schema:
        return None
    try:
        info = terms.term_info(field, reader._text_to_bytes(field, text))
    except TermNotFound:
        return None
    return TermPostings(reader, field, text, info, info.doc_frequency())


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
        ids.append(decode_ids(matcher._data[0], matcher._blocklength))
        weights.append(decode_weights(matcher._data[1], matcher._blocklength))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


def _worker_popen(process_obj: Any) -> Any:
    return forking.CONTEXT.Process._Popen(process_obj)


class _SubWriter(SubWriterTask):
    """Whoosh's indexing worker process, forked (`indexer.forking`), ending with its parent,
    writing its one segment with ``writer_class``."""

    _Popen = staticmethod(_worker_popen)

    def __init__(self, writer_class: type, *args: Any) -> None:
        super().__init__(*args)
        self._writer_class = writer_class
        self._parent = os.getpid()  # runs in the parent, before the fork

    def run(self) -> None:
        # Whoosh's `SubWriterTask.run` for one segment per worker, with our writer class.
        forking.exit_with_parent(self._parent)
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = self._writer_class(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, set(), segment), timeout=5)


class ParallelWriter(MpWriter):
    """Whoosh's multi-process writer: one segment per worker process written by
    ``writer_class`` (a `SegmentWriter`), no final merge."""

    def __init__(self, ix: Any, procs: int, writer_class: type, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)
        self.jobqueue = forking.CONTEXT.Queue(self.procs * 4)
        self.resultqueue = forking.CONTEXT.Queue()
        self._writer_class = writer_class

    def _new_task(self) -> Any:
        task = _SubWriter(
            self._writer_class,
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
