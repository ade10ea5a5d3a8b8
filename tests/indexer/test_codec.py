"""The posting block format of `indexer.codec`: what is written reads back exactly."""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from indexer.codec import (
    BLOCK_POSTINGS,
    ArrayPostingsWriter,
    decode_ids,
    decode_weights,
    encode_ids,
    encode_weights,
)


@pytest.mark.parametrize(
    "ids",
    [
        [7],
        [0, 1, 2, 3],
        list(range(5, 5 + 3 * 200, 3)),  # a long block of small gaps: one byte each
        [10, 300, 70_000, 70_001, *range(80_000, 80_100)],  # gaps past 1 and 2 bytes
        list(range(40_000, 40_000 + 65_536 * 70, 65_536)),  # every gap needs 4 bytes
    ],
)
def test_ids_read_back(ids: list[int]) -> None:
    assert decode_ids(encode_ids(ids), len(ids)).tolist() == ids


def test_gap_width_is_the_narrowest_that_holds_the_block() -> None:
    small = list(range(100, 100 + 2 * 100, 2))
    medium = [i * 300 for i in range(100)]
    assert encode_ids(small)[0] == 1 and len(encode_ids(small)) == 1 + 4 + 99
    assert encode_ids(medium)[0] == 2 and len(encode_ids(medium)) == 1 + 4 + 2 * 99


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
