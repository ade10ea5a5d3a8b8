"""Spelling candidates: the index's words a few edits from an unknown query word.

Whoosh's `terms_within` on a multi-segment reader merges the segments' word lists and runs a
Python edit distance over every word sharing the first letter, on every search: about 10 ms
of an unknown word's search at 100,000 pages. Here each segment's words per first letter are
read once and kept (`WordLists`), and RapidFuzz computes the same distance (optimal string
alignment, Whoosh's `damerau_levenshtein`) in C++.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.segment_cache import SegmentCache

# Segments x first letters kept: two segments' worth of the alphabet and digits.
WORD_LISTS_CACHE_SIZE = 80


class WordLists(SegmentCache[tuple[str, ...]]):
    """A field's words starting with one letter, per segment."""

    def __init__(self, size: int = WORD_LISTS_CACHE_SIZE) -> None:
        super().__init__(size)

    def words(self, reader: Any, field: str, first: str) -> tuple[str, ...]:
        return self.get(reader, (field, first), lambda r: _read_words(r, field, first))


def _read_words(reader: Any, field: str, first: str) -> tuple[str, ...]:
    return tuple(
        t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.expand_prefix(field, first)
    )


def similar_words(
    searcher: Any, lists: WordLists, field: str, word: str, maxdist: int
) -> list[str]:
    """Sorted words of ``field`` within ``maxdist`` edits of ``word``, same first letter."""
    if not word:
        return []
    found: set[str] = set()
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.segment() is None:
            continue
        words = lists.words(reader, field, word[0])
        matches = process.extract(
            word, words, scorer=OSA.distance, score_cutoff=maxdist, limit=None
        )
        found.update(choice for choice, _, _ in matches)
    return sorted(found)
