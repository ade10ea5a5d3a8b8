"""The Whoosh codec of the search index: W3 with posting blocks that decode without Python loops.

This is the one module that touches Whoosh's private names (the W3 codec's block layout, the
length and stored-fields columns, the field writer's posting writer, the multi-process
writer's worker);
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
a common word's search. Blocks are small instead: a long block spanning fewer than 65,536 pages
stores each id's offset from its first id in one or two bytes (no running sum to read it back:
NumPy's takes 7 ns an id), any other block its id gaps in the narrowest unsigned type that
holds them; whole-number weights (term counts) up to 255 take one byte; and the Frequency
format's values, which repeat each count as 4 more bytes, are not written but rebuilt from the
weights when Whoosh asks. A block's data is pickled with protocol 5, not Whoosh's 2 (which
stores bytes as text and decodes them back). Stored fields are compressed with LZ4, not zlib
(`Lz4BytesColumn`). At 100,000 pages the index is 336 MB (292 MB with gaps and zlib-compressed
stored fields; docs/benchmarks-search.md, round 6). Segments written in any earlier form of
this codec still read: each block and each segment's pickled codec says which form it has.
"""

from __future__ import annotations

import os
import pickle
import secrets
import string
import struct
import sys
import warnings
from array import array
from typing import Any

import lz4.block
import numpy as np

from indexer import forking

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.codec.whoosh3 import (
        LENGTHS_COLUMN,
        STORED_COLUMN,
        WHOOSH3_HEADER_MAGIC,
        W3Codec,
        W3LeafMatcher,
        W3PerDocReader,
        W3PerDocWriter,
        W3PostingsWriter,
        W3Segment,
        W3TermsReader,
        _lenfield,
    )
    from whoosh.columns import PickleColumn, VarBytesColumn
    from whoosh.formats import Existence, Frequency
    from whoosh.matching import FilterMatcher, ListMatcher
    from whoosh.multiproc import MpWriter, SubWriterTask
    from whoosh.reading import MultiReader, TermNotFound
    from whoosh.util.numeric import _length_byte_cache, length_to_byte

BLOCK_POSTINGS = 8192
# A block's ids: one byte giving the width of its gaps (1, 2 or 4), the first id as 4 bytes,
# then the gaps to the following ids; or, for a block of at least `_NUMPY_FROM` spanning
# fewer than 65,536 pages, `_OFFSETS` | width and each id's offset from the first.
# Weights: b"u" and one byte each, or b"f" and float32s.
_WIDTHS: dict[int, np.dtype[Any]] = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_FIRST = np.dtype("<u4")
# Set in the width byte: the values are offsets from the first id, not gaps.
_OFFSETS = 0x10
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
    first = np.asarray([values[0]], dtype=_FIRST).tobytes()
    span = int(values[-1] - values[0])
    if span < 1 << 16:
        # Offsets from the first id read without a running sum: a common word's block
        # costs twice the bytes of its one-byte gaps, and a quarter of the time to decode.
        width = 1 if span < 1 << 8 else 2
        offsets: np.ndarray = values[1:] - values[0]
        return bytes([_OFFSETS | width]) + first + offsets.astype(_WIDTHS[width]).tobytes()
    deltas = np.diff(values)
    largest = int(deltas.max()) if len(deltas) else 0
    width = 1 if largest < 1 << 8 else 2 if largest < 1 << 16 else 4
    return bytes([width]) + first + deltas.astype(_WIDTHS[width]).tobytes()


def decode_ids(data: Any, count: int, out: np.ndarray | None = None) -> np.ndarray:
    """Page numbers of one block of ``count``, from `encode_ids`'s bytes (or Whoosh's own
    sequence, or the 4-byte gaps of an index written before schema 3); into ``out`` if
    given (``count`` int64s)."""
    if out is None:
        out = np.empty(count, dtype=np.int64)
    if not isinstance(data, bytes):
        return np.cumsum(np.asarray(data, dtype=np.int64), out=out)
    if len(data) == 4 * count:  # never the length of `encode_ids`'s bytes (4n+1, 2n+3, n+4)
        out[:] = np.frombuffer(data, dtype=_WIDTHS[4])
        return np.cumsum(out, out=out)
    kind = data[0]
    first = int(np.frombuffer(data, dtype=_FIRST, count=1, offset=1)[0])
    out[0] = 0
    out[1:] = np.frombuffer(data, dtype=_WIDTHS[kind & ~_OFFSETS], offset=5)
    if not kind & _OFFSETS:
        # NumPy's running sum takes 7 ns an element here, the rest under 1 ns.
        np.cumsum(out, out=out)
    out += first
    return out


def encode_weights(weights: Any) -> bytes:
    """One block's weights: single bytes when they are all whole numbers up to 255."""
    if len(weights) >= _NUMPY_FROM:
        values = np.asarray(weights, dtype=np.float64)
        if values.min() >= 0 and values.max() <= 255 and np.all(values == np.floor(values)):
            return _BYTE_WEIGHTS + values.astype(np.uint8).tobytes()
    return _FLOAT_WEIGHTS + _little_endian(array("f", weights))


def decode_weights(data: Any, count: int, out: np.ndarray | None = None) -> np.ndarray:
    """Weights of one block: None means all 1.0, a float means all that value; into ``out``
    if given (``count`` float64s)."""
    if out is None:
        out = np.empty(count, dtype=np.float64)
    if data is None:
        out.fill(1.0)
    elif isinstance(data, float):
        out.fill(data)
    elif isinstance(data, bytes):
        if len(data) == 4 * count:  # float32s of an index written before schema 3
            out[:] = np.frombuffer(data, dtype="<f4")
        else:
            out[:] = np.frombuffer(data, dtype=_WEIGHT_TYPES[data[:1]], offset=1)
    else:
        out[:] = data
    return out


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
        """Whoosh's `W3PostingsWriter._write_block`, but never compressed and with the data
        pickled with protocol 5.

        Whoosh pickles the block's data with protocol 2, which stores bytes as a latin-1 text
        that `loads` decodes and encodes back: 16 µs a block of 8,192 postings, 40% of
        reading a common word's list. The reader unpickles either protocol, and each block's
        header says it is not compressed.
        """
        postfile = self._postfile
        if not self._blockcount:
            postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 5)
        ids = self._ids
        info = (len(ids), ids[-1], self._maxweight, 0,
                length_to_byte(self._minlength), length_to_byte(self._maxlength))  # fmt: skip
        header = pickle.dumps(info, 2)
        length = len(header) + len(data)
        postfile.write_int(-length if last else length)  # negative: the last block
        postfile.write(header)
        postfile.write(data)
        self._blockcount += 1
        self._new_block()

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


class Lz4BytesColumn(VarBytesColumn):
    """Byte strings compressed one by one with LZ4: a stored page (3 KB of text) reads in
    about 2 µs, where Whoosh's zlib column took 24 µs, 0.5 ms of every search's 20 hits
    (docs/benchmarks-search.md, round 6); the text is 1.9 times smaller instead of 2.6."""

    class Writer(VarBytesColumn.Writer):
        def add(self, docnum: int, v: bytes) -> None:
            super().add(docnum, lz4.block.compress(v, mode="high_compression"))

    class Reader(VarBytesColumn.Reader):
        def __getitem__(self, docnum: int) -> bytes:
            v: bytes = super().__getitem__(docnum)
            if v:
                v = lz4.block.decompress(v)
            return v

        def __iter__(self) -> Any:
            for v in super().__iter__():
                yield lz4.block.decompress(v) if v else v

        def load(self) -> list[bytes]:
            return list(self)


STORED_LZ4 = PickleColumn(Lz4BytesColumn())


class ArrayPerDocWriter(W3PerDocWriter):
    """W3's per-page writer with the stored fields in `STORED_LZ4`."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED_LZ4 if fieldname == "_stored" else column)


class ArrayPerDocReader(W3PerDocReader):
    """Reads what `ArrayPerDocWriter` wrote."""

    stored_column = STORED_LZ4

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        return self._cached_reader("_stored", self.stored_column)[docnum] or {}


class ArrayCodec(W3Codec):
    """`W3Codec` writing `ArrayPostingsWriter` blocks of up to `BLOCK_POSTINGS` postings, and
    stored fields in LZ4 (`ArrayPerDocWriter`)."""

    def __init__(
        self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3, inlinelimit: int = 1
    ) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        # Pickled with each segment it writes: segments written before there was this
        # attribute keep reading their stored fields with zlib.
        self.stored = "lz4"

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return ArrayPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        if getattr(self, "stored", None) == "lz4":
            return ArrayPerDocReader(storage, segment)
        return super().per_document_reader(storage, segment)

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
            stored = getattr(perdoc, "stored_column", STORED_COLUMN)
            if perdoc._cached_reader("_stored", stored) is None:
                raise FileNotFoundError(f"segment {reader.segment()} lost its stored fields")
            for field in scorable:
                perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        except AttributeError:  # another codec: nothing to pin
            return


def stored_fields(searcher: Any, docnum: int) -> dict[str, Any]:
    """A page's stored fields, read from its segment directly.

    Whoosh's `stored_fields` copies the dict keeping only fields of the current schema, a
    third of the read's time; callers here ask for fields by name.
    """
    reader = searcher.reader()
    if isinstance(reader, MultiReader):
        segment, docnum = reader._segment_and_docnum(docnum)
        reader = reader.readers[segment]
    perdoc = getattr(reader, "_perdoc", None)
    if isinstance(perdoc, W3PerDocReader):
        fields: dict[str, Any] = perdoc.stored_fields(docnum)
        return fields
    return dict(reader.stored_fields(docnum))


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
    """Ids and weights of an in-memory `ListMatcher`, as new arrays; None for any other
    matcher."""
    if not isinstance(matcher, ListMatcher):
        return None
    ids = np.array(matcher._ids, dtype=np.int64)
    weights = matcher._weights
    if weights is None:
        return ids, np.ones(len(ids))
    return ids, np.array(weights, dtype=np.float64)  # a copy: the caller may write to it


def block_postings(
    matcher: Any, count: int, within: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Decode a W3 posting list of ``count`` postings (`ArrayCodec` packs ids and weights),
    block by block into one pair of arrays; None for any other matcher.

    With a mask ``within`` (one flag per page of the segment), a block whose pages are all
    outside it is not read: each block's header gives its last page, so a unit's admin
    reads one block of a common word instead of every one.
    """
    if not isinstance(matcher, W3LeafMatcher):
        return None
    ids = np.empty(count, dtype=np.int64)
    weights = np.empty(count, dtype=np.float64)
    start = 0
    low = 0  # the block's first page is after the previous block's last
    while True:
        high = matcher._maxid + 1
        if within is None or within[low:high].any():
            if matcher._data is None:
                matcher._read_data()
            end = start + matcher._blocklength
            if end > len(ids):  # the term's count was short: never seen, but never write past it
                ids = np.concatenate((ids, np.empty(end - len(ids), dtype=np.int64)))
                weights = np.concatenate((weights, np.empty(end - len(weights))))
            decode_ids(matcher._data[0], matcher._blocklength, ids[start:end])
            decode_weights(matcher._data[1], matcher._blocklength, weights[start:end])
            start = end
        low = high
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return ids[:start], weights[:start]


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
