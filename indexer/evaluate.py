"""Run an `indexer.plan` over a Whoosh index with NumPy: every match counted, BM25F scores.

Whoosh's own matchers walk the postings one page at a time in Python, which made a common word
over 100,000 pages cost most of a second. Here each term's posting list is decoded a block at
a time into arrays, scored with the same BM25F formula and global statistics Whoosh uses, and
combined with sorted-array set operations: the exact total and the top hits come from one pass
over whole arrays.

The posting blocks and the field-length column are read through `indexer.codec`, the one
module that knows Whoosh's private attributes; any other matcher falls back to Whoosh's public
matcher API, and the tests compare both paths.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from indexer.codec import (
    BYTE_TO_LENGTH,
    TermPostings,
    block_postings,
    length_bytes,
    list_postings,
    lookup,
)
from indexer.plan import AllOf, AnyOf, Leaf, Node, PrefixLeaf, Without
from indexer.segment_cache import SegmentCache

# A prefix expands to at most this many terms, the most frequent first (a short prefix such as
# "pen*" names thousands of words; reading every list would take seconds).
MAX_PREFIX_TERMS = 64
# Segments x scored fields x (lengths, BM25 norms): room for about ten segments.
LENGTHS_CACHE_SIZE = 128

_EMPTY_IDS = np.empty(0, dtype=np.int64)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)


@dataclass
class Matches:
    """Sorted, unique page numbers of one segment and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Matches:
        return cls(_EMPTY_IDS, _EMPTY_SCORES)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Ranked:
    """The number of matches and the best ``(global page number, score)`` pairs; the number
    is ``estimated`` from a sample when a check of every candidate would cost too much."""

    total: int
    top: list[tuple[int, float]]
    estimated: bool = False


class LengthsCache(SegmentCache[np.ndarray]):
    """Field-length arrays per segment and field."""

    def __init__(self, size: int = LENGTHS_CACHE_SIZE) -> None:
        super().__init__(size)

    def lengths(self, reader: Any, field: str) -> np.ndarray:
        return self.get(reader, field, lambda r: field_lengths(r, field))

    def norms(self, reader: Any, field: str, k1: float, b: float, average: float) -> np.ndarray:
        """BM25's length part, ``k1 * (1 - b + b * length / average)``, for every page."""

        def compute(r: Any) -> np.ndarray:
            return k1 * ((1 - b) + b * self.lengths(r, field) / average)

        # The average is index-wide: a change anywhere gives a new key.
        return self.get(reader, ("norm", field, k1, b, average), compute)


def field_lengths(reader: Any, field: str) -> np.ndarray:
    """Length of ``field`` in every page of one segment, as Whoosh's scorer sees it."""
    count = reader.doc_count_all()
    raw = length_bytes(reader, field)
    if raw is None:  # another codec: ask page by page
        return np.asarray(
            [reader.doc_field_length(i, field, 0) or 0 for i in range(count)], dtype=np.float64
        )
    codes = np.zeros(count, dtype=np.uint8)
    codes[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    return BYTE_TO_LENGTH[codes]


def postings(term: TermPostings, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Page numbers (deleted ones included: removed once, at the end) and term weights of one
    term in one segment, in arrays of the caller's own. Given a mask ``within``, pages outside
    it may be left out (blocks without any page of the mask are not read)."""
    matcher = term.matcher()
    found = block_postings(matcher, term.doc_frequency, within)
    if found is None:
        found = list_postings(matcher)
    return found if found is not None else _walk_postings(matcher)


def _walk_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh's public matcher API, one posting at a time (any codec)."""
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


class Segment:
    """One segment's reader with the index-wide statistics BM25F needs."""

    def __init__(
        self, searcher: Any, reader: Any, lengths: LengthsCache, allowed: np.ndarray | None = None
    ) -> None:
        self.parent = searcher
        self.reader = reader
        self.lengths = lengths
        self.size: int = reader.doc_count_all()  # pages ever written, deleted ones included
        self._terms: dict[tuple[str, str], TermPostings | None] = {}
        # A restricted caller's pages, as a mask: each term keeps only those before it is
        # scored and combined (a unit's admin sees a few hundred of a common word's 65,000).
        self.allowed = None if allowed is None else _mask(allowed, self.size)
        weighting = searcher.weighting
        self.b = float(getattr(weighting, "B", 0.75))
        self.k1 = float(getattr(weighting, "K1", 1.2))

    def term(self, field: str, text: str) -> TermPostings | None:
        """The term looked up once per search (the plan is ordered by its frequency first)."""
        key = (field, text)
        if key not in self._terms:
            self._terms[key] = lookup(self.reader, field, text)
        return self._terms[key]

    def frequency(self, field: str, text: str) -> int:
        """Pages of this segment holding the term, deleted ones included."""
        term = self.term(field, text)
        return 0 if term is None else term.doc_frequency

    def score_term(
        self, field: str, text: str, boost: float, *, scored: bool, within: np.ndarray | None = None
    ) -> Matches:
        """The term's pages and BM25F scores; only pages in the mask ``within`` if given (it
        holds only pages the caller may see)."""
        term = self.term(field, text)
        if term is None:
            return Matches.empty()
        mask = self.allowed if within is None else within
        ids, weights = postings(term, mask)
        if mask is not None:
            ids, weights = _take(mask[ids], ids, weights)
        if not scored:
            return Matches(ids, np.zeros(len(ids)))
        # Whoosh's BM25F: idf and average length are index-wide, the length is the page's.
        idf = self.parent.idf(field, text)
        average = self.parent.avg_field_length(field) or 1.0
        # weights * (idf * boost * (k1 + 1)) / (weights + norms), without temporaries.
        divisor = self.lengths.norms(self.reader, field, self.k1, self.b, average)[ids]
        divisor += weights
        weights *= idf * boost * (self.k1 + 1)  # `postings` gave this call its own array
        weights /= divisor
        return Matches(ids, weights)

    def prefix_terms(self, field: str, prefix: str) -> list[str]:
        """The most frequent terms of ``field`` starting with ``prefix`` (index-wide counts)."""
        terms = [
            t.decode("utf-8") if isinstance(t, bytes) else t
            for t in self.reader.expand_prefix(field, prefix)
        ]
        if len(terms) <= MAX_PREFIX_TERMS:
            return terms
        frequency = self.parent.doc_frequency
        return heapq.nlargest(MAX_PREFIX_TERMS, terms, key=lambda t: (frequency(field, t), t))


# Set operations run on dense arrays as long as the segment (one slot per page): scattering
# and gathering over a 50,000-page segment takes microseconds, where merging sorted lists
# (np.unique, np.intersect1d, np.isin) sorts every posting again. At 100,000 pages this took
# the p95 of the benchmark's queries from 43 to 31 ms (docs/benchmarks-search.md, round 3).


def _union(parts: list[Matches], size: int, *, best: bool = False) -> Matches:
    """Pages in any part; scores summed (or the best one with ``best``)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Matches.empty()
    if len(parts) == 1:
        return parts[0]
    if sum(len(p) for p in parts) * _SPARSE_FROM < size:
        return _merged(parts, best=best)
    if best:
        scores = np.full(size, -np.inf)
        for part in parts:  # ids are unique within a part, so plain fancy indexing is exact
            scores[part.ids] = np.maximum(scores[part.ids], part.scores)
        ids = np.flatnonzero(scores != -np.inf)
        return Matches(ids, scores[ids])
    scores = np.zeros(size)
    if all(p.scores.min() > 0 for p in parts):
        # Every score positive (BM25's always are): a page is present where its sum is.
        for part in parts:
            np.add.at(scores, part.ids, part.scores)
        ids = np.flatnonzero(scores)
        return Matches(ids, scores[ids])
    present = np.zeros(size, dtype=bool)
    for part in parts:
        np.add.at(scores, part.ids, part.scores)
        present[part.ids] = True
    ids = np.flatnonzero(present)
    return Matches(ids, scores[ids])


# Parts holding fewer pages than a 16th of the segment are merged as sorted lists: a unit's
# admin gets a few hundred pages of each word, and scanning arrays as long as the segment
# (50,000 pages) for them was a fifth of a restricted search.
_SPARSE_FROM = 16


def _merged(parts: list[Matches], *, best: bool) -> Matches:
    """`_union` of a few pages: sorted once, equal pages' scores summed (or the best kept) in
    the parts' order, as the dense union does."""
    ids = np.concatenate([p.ids for p in parts])
    order = np.argsort(ids, kind="stable")
    ids, scores = ids.take(order), np.concatenate([p.scores for p in parts]).take(order)
    first = np.empty(len(ids), dtype=bool)
    first[0] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    reduce = np.maximum if best else np.add
    return Matches(ids.take(starts), reduce.reduceat(scores, starts))


def _take(keep: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The elements of each array where ``keep`` is true.

    Not ``array[keep]``: NumPy's boolean indexing took 13 ns an element here, five times a
    gather by the kept positions (the biggest single cost of a common-word AND).
    """
    positions = np.flatnonzero(keep)
    return tuple(array.take(positions) for array in arrays)


def _mask(ids: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[ids[ids < size]] = True  # a caller's set may name pages past this segment
    return mask


def _exclude(matches: Matches, excluded: np.ndarray, size: int) -> Matches:
    if not len(excluded) or not len(matches):
        return matches
    return Matches(*_take(~_mask(excluded, size)[matches.ids], matches.ids, matches.scores))


def estimate(node: Node, segment: Segment) -> int:
    """An upper bound of the pages of ``segment`` matching ``node``, from term frequencies."""
    if isinstance(node, Leaf):
        return segment.frequency(node.field, node.text)
    if isinstance(node, PrefixLeaf):
        return segment.size  # unknown until expanded: evaluated last
    if isinstance(node, AnyOf):
        return min(segment.size, sum(estimate(child, segment) for child in node.children))
    if isinstance(node, AllOf):
        return min(estimate(child, segment) for child in node.children)
    if isinstance(node, Without):
        return estimate(node.positive, segment)
    raise TypeError(f"unknown plan node {node!r}")


def evaluate(
    node: Node, segment: Segment, *, scored: bool = True, within: np.ndarray | None = None
) -> Matches:
    """Every page of ``segment`` matching ``node`` (deleted pages not yet removed), among the
    pages of the mask ``within`` if given."""
    if isinstance(node, Leaf):
        return segment.score_term(node.field, node.text, node.boost, scored=scored, within=within)
    if isinstance(node, PrefixLeaf):
        terms = segment.prefix_terms(node.field, node.prefix)
        parts = [
            segment.score_term(node.field, t, node.boost, scored=scored, within=within)
            for t in terms
        ]
        return _union(parts, segment.size, best=True)
    if isinstance(node, AnyOf):
        children = [
            evaluate(child, segment, scored=scored, within=within) for child in node.children
        ]
        return _union(children, segment.size)
    if isinstance(node, AllOf):
        return _all_of(node.children, segment, scored=scored, within=within)
    if isinstance(node, Without):
        positive = evaluate(node.positive, segment, scored=scored, within=within)
        if not len(positive):
            return positive
        negative = evaluate(
            node.negative, segment, scored=False, within=_mask(positive.ids, segment.size)
        )
        return _exclude(positive, negative.ids, segment.size)
    raise TypeError(f"unknown plan node {node!r}")


def _all_of(
    children: tuple[Node, ...], segment: Segment, *, scored: bool, within: np.ndarray | None
) -> Matches:
    """Pages matching every child, scores summed. The rarest child goes first; each next one
    is read only where the pages so far are (a rare word beside three common ones scores a
    few hundred of their pages, not 65,000 each)."""
    ordered = sorted(children, key=lambda child: estimate(child, segment))
    result = evaluate(ordered[0], segment, scored=scored, within=within)
    for child in ordered[1:]:
        if not len(result):
            break
        other = evaluate(child, segment, scored=scored, within=_mask(result.ids, segment.size))
        # `other` holds only pages of `result`: add their scores through a dense array.
        scores = np.zeros(segment.size)
        scores[result.ids] = result.scores
        result = Matches(other.ids, scores[other.ids] + other.scores)
    return result


RestrictionIds = Callable[[Any], np.ndarray | None]


def _deleted(reader: Any) -> np.ndarray:
    """Sorted numbers of the deleted pages of one segment."""
    deleted = getattr(reader, "deleted_docs_set", None)
    if deleted is None:
        deleted = [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]
    return np.sort(np.fromiter(deleted, dtype=np.int64, count=len(deleted)))


def _segment_matches(
    searcher: Any,
    node: Node,
    restriction: RestrictionIds,
    lengths: LengthsCache,
    *,
    scored: bool,
) -> list[tuple[int, Matches]]:
    out: list[tuple[int, Matches]] = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.segment() is None:
            continue  # an index with no segment yet (just created, before its first rebuild)
        allowed = restriction(reader)
        if allowed is not None and not len(allowed):
            continue
        # Restricted inside (`Segment.allowed`): every term's pages are already the caller's.
        segment = Segment(searcher, reader, lengths, allowed)
        matches = evaluate(node, segment, scored=scored)
        if reader.has_deletions():
            matches = _exclude(matches, _deleted(reader), segment.size)
        out.append((offset, matches))
    return out


# A phrase's candidates are all checked when there are at most `MAX_CHECKED` of them; past
# that, best first until the top is full, and a random sample of `SAMPLE_CHECKED` of them
# estimates how many hold the phrase (a share of 50% within about 6 points, 19 times in 20).
# Checks run in batches.
MAX_CHECKED = 512
SAMPLE_CHECKED = 256
CHECK_BATCH = 128


def rank(
    searcher: Any,
    node: Node,
    restriction: RestrictionIds,
    lengths: LengthsCache,
    top: int,
    keep: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Ranked:
    """The exact total and the best ``top`` pages, by score, then page number (as Whoosh).

    ``keep`` takes matching document numbers and says which stay (a check the index cannot
    make, such as a phrase's word order); the total then counts only those, estimated from a
    sample past `MAX_CHECKED` candidates.
    """
    parts = _segment_matches(searcher, node, restriction, lengths, scored=True)
    total = sum(len(m) for _, m in parts)
    if not total:
        return Ranked(total, [])
    ids = np.concatenate([m.ids + offset for offset, m in parts])
    scores = np.concatenate([m.scores for _, m in parts])
    if keep is not None:
        return _rank_checked(ids, scores, top, keep)
    if top <= 0:
        return Ranked(total, [])
    if top < len(ids):
        # Every page scoring at least the top-th best, so ties at the cut are settled by id.
        threshold = np.partition(scores, len(scores) - top)[len(scores) - top]
        ids, scores = _take(scores >= threshold, ids, scores)
    order = np.lexsort((ids, -scores))[:top]
    return Ranked(total, [(int(ids[i]), float(scores[i])) for i in order])


def _rank_checked(
    ids: np.ndarray, scores: np.ndarray, top: int, keep: Callable[[np.ndarray], np.ndarray]
) -> Ranked:
    """Check candidates best first, in batches, until the top is full (all of them when
    there are at most `MAX_CHECKED`); past that, estimate the total from a random sample.

    A check reads a page's stored text, so checking 40,000 candidates would take seconds. The
    sample is drawn from every candidate, not the best ones: those hold the phrase more often
    than the rest (at 100,000 pages, the best 1,000 estimated 3,568 pages where 2,433 hold it).
    It is seeded with the number of candidates and does not depend on ``top``, so every page
    of the same query's results shows the same total.
    """
    order = np.lexsort((ids, -scores))
    ids, scores = ids[order], scores[order]
    exact = len(ids) <= MAX_CHECKED
    masks: list[np.ndarray] = []
    checked = passed = 0
    while checked < len(ids) and (exact or passed < top):
        mask = keep(ids[checked : checked + CHECK_BATCH])
        masks.append(mask)
        passed += int(mask.sum())
        checked += len(mask)
    known = np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
    total = passed
    if checked < len(ids):  # a rare phrase may have had every candidate checked on the way
        picked = np.sort(
            np.random.default_rng(len(ids)).choice(
                len(ids), min(SAMPLE_CHECKED, len(ids)), replace=False
            )
        )
        unseen = picked[picked >= checked]
        share = int(known[picked[picked < checked]].sum())
        for i in range(0, len(unseen), CHECK_BATCH):
            share += int(keep(ids[unseen[i : i + CHECK_BATCH]]).sum())
        # Never fewer than the pages already found to hold it.
        total = max(passed, round(share / len(picked) * len(ids)))
    estimated = checked < len(ids)
    if not passed or top <= 0:
        return Ranked(total, [], estimated)
    best = np.flatnonzero(known)[:top]
    return Ranked(total, [(int(ids[i]), float(scores[i])) for i in best], estimated)


def count(searcher: Any, node: Node, restriction: RestrictionIds, lengths: LengthsCache) -> int:
    """How many pages match ``node`` within the restriction (no scoring)."""
    parts = _segment_matches(searcher, node, restriction, lengths, scored=False)
    return sum(len(m) for _, m in parts)
