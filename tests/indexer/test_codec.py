"""The posting block format of `indexer.codec`: what is written reads back exactly."""

from __future__ import annotations

import pickle
import zlib
from array import array
from pathlib import Path

import lz4.block
import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PostingsWriter
from whoosh.columns import VarBytesColumn

from indexer import codec
from indexer.codec import (
    BLOCK_POSTINGS,
    STORED_LZ4,
    ArrayCodec,
    ArrayPerDocReader,
    ArrayPostingsWriter,
    decode_ids,
    decode_weights,
    encode_ids,
    encode_weights,
    lookup,
)
from indexer.search import SearchIndex
from tests.indexer.test_backend_contract import evidence


@pytest.mark.parametrize(
    "ids",
    [
        [7],
        [0, 1, 2, 3],
        list(range(5, 5 + 3 * 200, 3)),  # a long block of small gaps: one byte each
        [10, 300, 70_000, 70_001, *range(80_000, 80_100)],  # gaps past 1 and 2 bytes
        list(range(40_000, 40_000 + 65_536 * 70, 65_536)),  # every gap needs 4 bytes
        list(range(0, 65_535 * 2, 2))[:8_192],  # offsets up to 16,382: two bytes each
        [0, *range(65_535 - 70, 65_536)],  # offsets up to 65,535, the widest in two bytes
    ],
)
def test_ids_read_back(ids: list[int]) -> None:
    assert decode_ids(encode_ids(ids), len(ids)).tolist() == ids


def test_a_long_block_is_stored_in_the_narrowest_form_that_reads_without_a_running_sum() -> None:
    """Blocks of 64 or more ids spanning under 65,536 pages keep each id's offset from the
    first (read with no running sum); wider ones keep the gaps, each in the narrowest type."""
    dense = list(range(100, 100 + 2 * 100, 2))  # spans 198 pages: offsets of one byte
    common = [i * 300 for i in range(100)]  # spans 29,700: offsets of two bytes
    rare = [i * 300 for i in range(300)]  # spans 89,700, gaps of 300: two bytes each
    assert encode_ids(dense)[0] == 0x11 and len(encode_ids(dense)) == 1 + 4 + 99
    assert encode_ids(common)[0] == 0x12 and len(encode_ids(common)) == 1 + 4 + 2 * 99
    assert encode_ids(rare)[0] == 2 and len(encode_ids(rare)) == 1 + 4 + 2 * 299
    for ids in (dense, common, rare):
        assert decode_ids(encode_ids(ids), len(ids)).tolist() == ids


def test_gap_blocks_written_before_offsets_still_read() -> None:
    """Segments written before offsets existed keep their one- and two-byte gap blocks."""
    for ids, width in (([5, 6, 9, *range(10, 200)], "<u1"), ([i * 300 for i in range(100)], "<u2")):
        block = bytes([int(width[-1])]) + np.asarray([ids[0]], dtype="<u4").tobytes()
        block += np.diff(np.asarray(ids)).astype(width).tobytes()
        assert decode_ids(block, len(ids)).tolist() == ids


@pytest.mark.parametrize(
    "weights",
    [
        [1.0, 2.0, 3.0],
        [float(i % 7 + 1) for i in range(100)],
        [0.5 + i for i in range(100)],  # not whole numbers
        [float(i) for i in range(200, 300)],  # past one byte
    ],
)
def test_weights_read_back(weights: list[float]) -> None:
    decoded = decode_weights(encode_weights(tuple(weights)), len(weights))
    assert np.allclose(decoded, weights)


def test_whole_counts_take_one_byte_each() -> None:
    counts = tuple(float(i % 9 + 1) for i in range(128))
    assert encode_weights(counts) == b"u" + bytes(int(c) for c in counts)
    halves = tuple(c + 0.5 for c in counts)
    assert encode_weights(halves)[:1] == b"f"


def test_blocks_of_an_index_from_before_schema_3_still_read() -> None:
    """After an upgrade the old index answers searches until the worker's rebuild replaces it:
    its blocks hold 4-byte gaps from zero and float32 weights."""
    for ids in ([7], [3, 9], [0, 1, 2, 3], list(range(5, 5 + 3 * 300, 3))):
        old = np.diff(np.asarray(ids), prepend=0).astype("<u4").tobytes()
        assert decode_ids(old, len(ids)).tolist() == ids
        weights = [float(i % 5) + 0.5 for i in range(len(ids))]
        old_weights = np.asarray(weights, dtype="<f4").tobytes()
        assert decode_weights(old_weights, len(ids)).tolist() == weights


@pytest.mark.parametrize(
    ("weights", "kind"),
    [
        ([1.0] * 100, "all ones"),
        ([2.0] * 100, "one value"),
        ([float(i % 7 + 1) for i in range(100)], "counts"),
        ([1.0] * 99 + [2.0], "counts"),  # equal but for the last
        ([1.0, 3.0, 1.0], "counts"),  # short blocks: Whoosh's own checks
        ([4.0] * 3, "one value"),
    ],
)
def test_a_written_blocks_weights_read_back(weights: list[float], kind: str) -> None:
    """A block's weights as the postings writer stores them: nothing when all are 1, one
    number when all are equal, else each weight."""
    writer = ArrayPostingsWriter(None, blocklimit=BLOCK_POSTINGS)
    writer._weights = array("f", weights)
    stored = writer._mini_weights()
    found = {type(None): "all ones", float: "one value", bytes: "counts"}[type(stored)]
    assert found == kind
    assert decode_weights(stored, len(weights)).tolist() == weights


def _first_block(ix: SearchIndex, field: str, text: str) -> list[tuple[bytes, str]]:
    """Per segment: how the first posting block of ``text`` was pickled and its ids' kind."""
    out = []
    for searcher in ix._searcher():
        for reader, _ in searcher.reader().leaf_readers():
            matcher = lookup(reader, field, text)
            assert matcher is not None
            block = matcher.matcher()
            raw = block._postfile.get(block._dataoffset, block._nextoffset - block._dataoffset)
            out.append((raw[:2], pickle.loads(raw)[0][:1]))
    return out


def test_an_index_written_before_lz4_offsets_and_protocol_5_still_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index written before stored fields moved to LZ4, ids to offsets and posting blocks
    to pickle protocol 5 keeps answering, snippets included, beside the segments written
    after, and merges into the new form."""
    original_init = ArrayCodec.__init__

    def old_init(self: ArrayCodec, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        del self.stored  # as pickled in the segments of an earlier release

    def old_write_block(self: ArrayPostingsWriter, last: bool = False) -> None:
        self._compression = 0
        W3PostingsWriter._write_block(self, last)

    def old_encode_ids(ids: list[int]) -> bytes:
        gaps = np.diff(np.asarray(ids)).astype("<u2")
        return b"\x02" + np.asarray(ids[:1], dtype="<u4").tobytes() + gaps.tobytes()

    old_pages = [
        evidence(n, 10, f"Surat keputusan {n} tim inovasi kesehatan ibu dan anak")
        for n in range(1, 101)
    ]
    with monkeypatch.context() as patch:
        patch.setattr(ArrayCodec, "__init__", old_init)
        patch.setattr(ArrayCodec, "per_document_writer", W3Codec.per_document_writer)
        patch.setattr(ArrayPostingsWriter, "_write_block", old_write_block)
        patch.setattr(codec, "encode_ids", old_encode_ids)
        ix = SearchIndex.open(tmp_path / "index")
        ix.rebuild(old_pages)
    assert _first_block(ix, "exact", "inovasi") == [(b"\x80\x02", b"\x02")]
    ix.close()

    ix = SearchIndex.open(tmp_path / "index")
    new_pages = [
        evidence(n, 11, f"Laporan {n} pelaksanaan inovasi kesehatan sekolah")
        for n in range(101, 201)
    ]
    ix.update(new_pages)
    for searcher in ix._searcher():
        kinds = {type(reader._perdoc) for reader, _ in searcher.reader().leaf_readers()}
        assert kinds == {W3PerDocReader, ArrayPerDocReader}  # one old segment, one new
    found = ix.search("inovasi kesehatan", allowed_innovation_ids=None, limit=200)
    snippets = {hit["doc_id"]: hit["snippet"] for hit in found["hits"]}
    assert found["total"] == 200 and len(snippets) == 200
    assert "ibu dan anak" in snippets["e1p1"] and "sekolah" in snippets["e101p1"]
    assert sorted(_first_block(ix, "exact", "inovasi")) == [
        (b"\x80\x02", b"\x02"), (b"\x80\x05", b"\x11")]  # fmt: skip

    with ix._ix.writer(codec=ArrayCodec()) as writer:
        writer.optimize = True  # merge both segments into one
    found = ix.search("inovasi kesehatan", allowed_innovation_ids=None, limit=200)
    assert {hit["doc_id"] for hit in found["hits"]} == {p["doc_id"] for p in old_pages + new_pages}
    assert _first_block(ix, "exact", "inovasi") == [(b"\x80\x05", b"\x11")]
    for searcher in ix._searcher():
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        assert len(readers) == 1 and isinstance(readers[0]._perdoc, ArrayPerDocReader)
        column = readers[0]._perdoc._cached_reader("_stored", STORED_LZ4)._child
        raw = VarBytesColumn.Reader.__getitem__(column, 0)  # as it lies in the file
        with pytest.raises(zlib.error):
            zlib.decompress(raw)
        assert "inovasi kesehatan" in pickle.loads(lz4.block.decompress(raw))["text"]
    ix.close()
