"""`ArraySegmentWriter`: a rebuild's Whoosh segment written from arrays of postings.

Whoosh's `SegmentWriter` turns every posting (one term on one page) into a tuple, sorts the
tuples in a pool that spills runs to disk, merges the runs back and gives the codec one posting
at a time, with a length lookup each: three quarters of a 100,000-page rebuild under a profiler.
This writer counts each page's terms per field, keeps term numbers, pages and counts in flat
arrays, sorts them with NumPy when the segment is finished and hands the codec each term's whole
posting list (`indexer.codec.write_term`). Stored fields and field lengths still go through
Whoosh's per-document writer: the segment is an ordinary W3 segment
(tests/indexer/test_array_writer.py compares it, term by term, with what Whoosh's writer makes).

Memory is bounded the way Whoosh's pool bounds it: past ``limitmb`` the buffered postings are
sorted and written to a run in a temporary folder beside the index, and the runs are merged
term by term at the end.
"""

from __future__ import annotations

import heapq
import shutil
import tempfile
import warnings
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from indexer.codec import ARRAY_FORMATS, stored_lengths, write_term
from indexer.schema import IndonesianTokenizer

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.writing import SegmentWriter

# Bytes a vocabulary entry costs beyond its postings (the str, its dict slot, its number).
_TERM_BYTES = 120
# Bytes a buffered posting costs: its term number, page and count (12), and as much again
# while a run is sorted (`_FieldPostings.sorted`).
_POSTING_BYTES = 24
# The buffer's size is checked every this many pages.
_CHECK_EVERY = 64
# A run is read back this many postings and words at a time. Every run of a field is open
# during its merge (a worker of a million-page rebuild has about 45), each with a buffer of
# pages and one of counts: 1 << 18 postings made the tree peak at 964 MB there.
_CHUNK_POSTINGS = 1 << 15
_CHUNK_TERMS = 1 << 12


@dataclass
class _Run:
    """One field's postings of a run, sorted: ``words[i]`` has the postings
    ``bounds[i]:bounds[i + 1]`` of ``docs`` and ``counts`` (pages ascending)."""

    words: list[str]
    bounds: np.ndarray
    docs: np.ndarray
    counts: np.ndarray

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        encoded = [word.encode("utf-8") for word in self.words]
        ends = np.cumsum(np.fromiter(map(len, encoded), np.int64, count=len(encoded)))
        (folder / "words").write_bytes(b"".join(encoded))
        np.save(folder / "ends.npy", ends)
        np.save(folder / "bounds.npy", self.bounds)
        self.docs.astype(np.uint32).tofile(folder / "docs")
        self.counts.astype(np.uint32).tofile(folder / "counts")

    def entries(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """``(word, pages, counts)`` in word order."""
        bounds = self.bounds.tolist()
        for i, word in enumerate(self.words):
            yield word, self.docs[bounds[i] : bounds[i + 1]], self.counts[bounds[i] : bounds[i + 1]]

    @staticmethod
    def saved_entries(folder: Path) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """`entries` of a saved run, read a chunk at a time."""
        blob = (folder / "words").read_bytes()
        ends = np.load(folder / "ends.npy")
        bounds = np.load(folder / "bounds.npy")
        with _Slices(folder / "docs") as docs, _Slices(folder / "counts") as counts:
            previous = 0
            for first in range(0, len(ends), _CHUNK_TERMS):
                chunk_ends = ends[first : first + _CHUNK_TERMS].tolist()
                sizes = np.diff(bounds[first : first + len(chunk_ends) + 1]).tolist()
                for end, size in zip(chunk_ends, sizes, strict=True):
                    word = blob[previous:end].decode("utf-8")
                    previous = end
                    yield word, docs.take(size), counts.take(size)


class _Slices:
    """Consecutive slices of a file of uint32s, read a chunk at a time (a memory map would
    keep every page of every run resident until the merge ends)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._buffer = np.empty(0, dtype=np.uint32)
        self._at = 0

    def __enter__(self) -> _Slices:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def take(self, count: int) -> np.ndarray:
        if self._at + count > len(self._buffer):
            rest = self._buffer[self._at :]
            more = np.fromfile(self._file, dtype=np.uint32, count=max(count, _CHUNK_POSTINGS))
            self._buffer = np.concatenate((rest, more))
            self._at = 0
        out = self._buffer[self._at : self._at + count]
        self._at += count
        return out


class _FieldPostings:
    """One field's postings since the last run: term numbers, pages and counts, in page order."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.terms = array("I")
        self.docs = array("I")
        self.counts = array("I")

    def add(self, docnum: int, counts: Mapping[str, int]) -> None:
        vocab = self.vocab
        # `set.difference` looks each of the page's terms up in the dict; `keys() - keys()`
        # would walk the whole vocabulary for every page.
        new = set(counts).difference(vocab)
        if new:
            vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
        self.terms.extend(map(vocab.__getitem__, counts))
        self.counts.extend(counts.values())
        self.docs.extend(repeat(docnum, len(counts)))

    def nbytes(self) -> int:
        return _POSTING_BYTES * len(self.terms) + _TERM_BYTES * len(self.vocab)

    def sorted(self) -> _Run:
        """The postings grouped by word, words in order; pages stay ascending (stable sort).

        Empties the buffer: each array is let go as soon as it is sorted, so sorting holds
        about twice the buffer at its peak, not four times.
        """
        words = sorted(self.vocab)
        numbers = np.fromiter(map(self.vocab.__getitem__, words), np.int64, count=len(words))
        self.vocab = {}
        rank = np.empty(len(words), dtype=np.uint32)
        rank[numbers] = np.arange(len(words), dtype=np.uint32)
        of_posting = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        self.terms = array("I")
        bounds = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(np.bincount(of_posting, minlength=len(words)), out=bounds[1:])
        order = np.argsort(of_posting, kind="stable")
        del of_posting
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        self.docs = array("I")
        counts = np.frombuffer(self.counts, dtype=np.uint32)[order]
        self.counts = array("I")
        return _Run(words, bounds, docs, counts)


def _merged(
    sources: list[Iterator[tuple[str, np.ndarray, np.ndarray]]],
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Runs merged by word; a word in several runs gets their pages in run (page) order:
    `heapq.merge` breaks ties by the order of its inputs."""
    merged = heapq.merge(*sources, key=itemgetter(0))
    for word, group in groupby(merged, key=itemgetter(0)):
        items = list(group)
        if len(items) == 1:
            yield items[0]
        else:
            yield (
                word,
                np.concatenate([item[1] for item in items]),
                np.concatenate([item[2] for item in items]),
            )


class ArraySegmentWriter(SegmentWriter):
    """A `SegmentWriter` for a new segment of new pages, its postings kept as arrays.

    It writes pages only: no deletions, no merging of other segments (``add_reader``), no
    boosts. Every indexed field must use a format `indexer.codec.write_term` writes
    (Existence or Frequency), without term vectors or a spelling field.
    """

    def __init__(self, ix: Any, *args: Any, limitmb: int = 128, **kwargs: Any) -> None:
        # Checked before Whoosh's writer takes the index's lock.
        for name, field in ix.schema.items():
            if not field.indexed:
                continue
            if (
                not isinstance(field.format, ARRAY_FORMATS)
                or field.vector
                or field.separate_spelling()
                or getattr(field.format, "field_boost", 1.0) != 1.0
            ):
                raise TypeError(f"ArraySegmentWriter cannot index field {name!r} ({field!r})")
        super().__init__(ix, *args, limitmb=limitmb, **kwargs)
        self._limit = limitmb * 1024 * 1024
        self._postings: dict[str, _FieldPostings] = {}
        self._lengths: dict[str, array[int]] = {
            name: array("I") for name, field in self.schema.items() if field.scorable
        }
        self._runs: list[Path] = []
        self._runs_folder: Path | None = None

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("ArraySegmentWriter writes new pages only")

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        if any(name.startswith("_") for name in fields):
            raise ValueError("ArraySegmentWriter takes no boosts or separate stored values")
        names = sorted(fields)
        self._check_fields(self.schema, names)
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        lengths: dict[str, int] = {}
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = self.schema[name]
                length = 0
                if field.indexed:
                    counts = _term_counts(field, value)
                    if counts:
                        postings = self._postings.get(name)
                        if postings is None:
                            postings = self._postings[name] = _FieldPostings()
                        postings.add(docnum - self.docbase, counts)
                    if field.scorable:
                        length = lengths[name] = sum(counts.values())
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, column in self._lengths.items():
            column.append(lengths.get(name, 0))
        self._added = True
        self.docnum += 1
        if self.docnum % _CHECK_EVERY == 0 and self._buffered() > self._limit:
            self._spill()

    def _buffered(self) -> int:
        return sum(postings.nbytes() for postings in self._postings.values())

    def _spill(self) -> None:
        """Write the buffered postings, sorted, to a new run and start an empty buffer."""
        if self._runs_folder is None:
            self._runs_folder = Path(tempfile.mkdtemp(prefix=".runs-", dir=_folder_of(self)))
        run = self._runs_folder / str(len(self._runs))
        run.mkdir()
        for name, postings in self._postings.items():
            postings.sorted().save(run / name)
        self._runs.append(run)
        self._postings = {}

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        try:
            self._write_postings()
        finally:
            self._remove_runs()
        self.fieldwriter.close()

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self._remove_runs()

    def _write_postings(self) -> None:
        names = set(self._postings)
        for run in self._runs:
            names |= {path.name for path in run.iterdir()}
        fieldwriter = self.fieldwriter
        for name in sorted(names):
            field = self.schema[name]
            sources = [
                _Run.saved_entries(run / name) for run in self._runs if (run / name).exists()
            ]
            if name in self._postings:
                sources.append(self._postings.pop(name).sorted().entries())
            lengths = (
                stored_lengths(np.frombuffer(self._lengths[name], dtype=np.uint32))
                if name in self._lengths
                else None
            )
            fieldwriter.start_field(name, field)
            entries = sources[0] if len(sources) == 1 else _merged(sources)
            for word, docs, counts in entries:
                scored = lengths[docs] if lengths is not None else np.zeros(len(docs), np.int64)
                write_term(fieldwriter, field.to_bytes(word), docs, counts, scored)
            fieldwriter.finish_field()

    def _remove_runs(self) -> None:
        if self._runs_folder is not None:
            shutil.rmtree(self._runs_folder, ignore_errors=True)
            self._runs_folder = None
            self._runs = []


def _term_counts(field: Any, value: Any) -> Mapping[str, int]:
    """How many times each of the field's terms stands in ``value``."""
    analyzer = getattr(field, "analyzer", None)
    if isinstance(analyzer, IndonesianTokenizer):
        return analyzer.term_counts(value)
    # Identifier and keyword fields: a few terms a page, through Whoosh's own indexing.
    return {btext.decode("utf-8"): freq for btext, freq, _, _ in field.index(value)}


def _folder_of(writer: SegmentWriter) -> str | None:
    """The index's folder (runs are written beside it), or the system's temporary folder."""
    return getattr(writer.storage, "folder", None)
