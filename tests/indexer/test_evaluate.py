"""The NumPy evaluator against Whoosh's own matchers: same pages, same totals, same BM25F scores.

This is a test of the Whoosh backend, so it reads Whoosh directly: the evaluator decodes
Whoosh's posting blocks and length column through codec internals, and these tests are what
catches a Whoosh release that changes them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from indexer import search as search_module
from indexer.codec import ArrayCodec, lookup
from indexer.evaluate import (
    LengthsCache,
    Matches,
    _union,
    _walk_postings,
    count,
    postings,
    rank,
)
from indexer.plan import AllOf, AnyOf, Leaf, Node, PrefixLeaf, Without, build_plan
from indexer.query import parse_query
from indexer.search import SearchIndex

from .test_search import evidence
from .test_search_cache import corpus

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import query as wq
    from whoosh.writing import SegmentWriter


def _whoosh_query(node: Node) -> Any:
    """The same plan as Whoosh query objects (prefixes excepted: Whoosh sums, we take the best)."""
    if isinstance(node, Leaf):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, AnyOf):
        return wq.Or([_whoosh_query(c) for c in node.children])
    if isinstance(node, AllOf):
        return wq.And([_whoosh_query(c) for c in node.children])
    if isinstance(node, Without):
        return wq.AndNot(_whoosh_query(node.positive), _whoosh_query(node.negative))
    raise TypeError(node)


def _whoosh_ranking(searcher: Any, node: Node) -> dict[int, float]:
    results = searcher.search(_whoosh_query(node), limit=None)
    return {hit.docnum: hit.score for hit in results}


def _all_allowed(reader: Any) -> None:
    return None


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """900 pages in one segment, then a second segment, then deletions in both."""
    root = tmp_path_factory.mktemp("evaluate") / "index"
    docs = corpus(900)
    index = SearchIndex.open(root)
    index.rebuild(docs[:700], procs=1)
    index.update(docs[700:])
    index.delete(evidence_ids=[3, 4, 5, 702, 703])
    yield index
    index.close()


@pytest.fixture
def searcher(index: SearchIndex) -> Any:
    for searcher in index._searcher():
        return searcher
    raise AssertionError("no searcher")


PLANS = {
    "one word": Leaf("exact", "pelayanan"),
    "boosted": Leaf("exact", "publik", 3.0),
    "either": AnyOf((Leaf("exact", "pelayanan"), Leaf("exact", "laporan", 2.0))),
    "both": AllOf((Leaf("exact", "pelayanan"), Leaf("exact", "keuangan"))),
    "without": Without(Leaf("exact", "pelayanan"), Leaf("exact", "penetapan")),
    "nested": AllOf(
        (
            AnyOf((Leaf("exact", "daerah"), Leaf("exact", "inovasi"))),
            Without(Leaf("exact", "laporan"), Leaf("exact", "pengawasan")),
        )
    ),
    "missing word": AllOf((Leaf("exact", "pelayanan"), Leaf("exact", "tidakada"))),
}


def _truth(node: Node, words: set[str]) -> bool:
    """Whether a page holding ``words`` matches ``node`` (exact-field plans only)."""
    if isinstance(node, Leaf):
        return node.text in words
    if isinstance(node, AnyOf):
        return any(_truth(c, words) for c in node.children)
    if isinstance(node, AllOf):
        return all(_truth(c, words) for c in node.children)
    if isinstance(node, Without):
        return _truth(node.positive, words) and not _truth(node.negative, words)
    raise TypeError(node)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_pages_totals_and_scores_equal_whoosh(searcher: Any, name: str) -> None:
    node = PLANS[name]
    ranked = rank(searcher, node, _all_allowed, LengthsCache(), top=10_000)
    got = dict(ranked.top)
    truth = {
        docnum
        for docnum in range(searcher.doc_count_all())
        if not searcher.reader().is_deleted(docnum)
        and _truth(node, set(searcher.stored_fields(docnum)["text"].split()))
    }
    assert got.keys() == truth
    assert ranked.total == len(truth) == len(ranked.top)
    expected = _whoosh_ranking(searcher, node)
    if name != "nested":
        assert expected.keys() == truth
    # Whoosh 2.7 lets one page through an AndNot nested in an And ("nested": a page holding
    # "pengawasan"); where both match a page, the scores agree.
    for docnum, score in got.items():
        assert score == pytest.approx(expected[docnum], rel=1e-9)


def test_the_index_under_test_has_two_segments_and_deletions(searcher: Any) -> None:
    leaves = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    assert len(leaves) == 2
    assert all(reader.has_deletions() for reader in leaves)


def test_top_hits_are_ordered_by_score_then_page(searcher: Any) -> None:
    ranked = rank(searcher, PLANS["either"], _all_allowed, LengthsCache(), top=25)
    assert len(ranked.top) == 25
    keys = [(-score, docnum) for docnum, score in ranked.top]
    assert keys == sorted(keys)
    full = rank(searcher, PLANS["either"], _all_allowed, LengthsCache(), top=10_000)
    assert ranked.top == full.top[:25]
    assert ranked.total == full.total


def test_block_decoding_equals_walking_the_postings(searcher: Any) -> None:
    checked = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for word in ("pelayanan", "penetapan", "daerah"):
            term = lookup(reader, "exact", word)
            assert term is not None and term.doc_frequency > 128
            ids, weights = postings(term)
            assert len(ids) > 128  # several posting blocks
            # Whoosh's walk skips deleted pages; the decoder leaves that to the evaluation.
            live = np.asarray([not reader.is_deleted(int(i)) for i in ids], dtype=bool)
            assert not live.all()
            ids, weights = ids[live], weights[live]
            walked_ids, walked_weights = _walk_postings(reader.postings("exact", word))
            assert np.array_equal(ids, walked_ids)
            assert np.array_equal(weights, walked_weights)
            checked += 1
    assert checked == 6


def test_a_restriction_keeps_only_allowed_pages(searcher: Any) -> None:
    node = PLANS["one word"]
    everything = rank(searcher, node, _all_allowed, LengthsCache(), top=10_000)
    allowed_global = {d for d, _ in everything.top if d % 3 == 0}
    segments = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]

    def allowed(reader: Any) -> np.ndarray:
        offset = next(o for r, o in segments if r is reader)
        local = sorted(d - offset for d in allowed_global if d >= offset)
        return np.asarray(local, dtype=np.int64)

    restricted = rank(searcher, node, allowed, LengthsCache(), top=10_000)
    assert {d for d, _ in restricted.top} == allowed_global
    assert restricted.total == count(searcher, node, allowed, LengthsCache())
    scores = dict(everything.top)
    assert all(scores[d] == score for d, score in restricted.top)  # restriction never scores


def test_a_prefix_matches_what_whoosh_matches_and_scores_the_best_word(searcher: Any) -> None:
    ranked = rank(searcher, PrefixLeaf("exact", "pe"), _all_allowed, LengthsCache(), top=10_000)
    expected = _whoosh_ranking(
        searcher, AnyOf(tuple(Leaf("exact", w) for w in ("pelayanan", "pengawasan", "penetapan")))
    )
    assert dict(ranked.top).keys() == expected.keys()
    singles = [
        dict(rank(searcher, Leaf("exact", w), _all_allowed, LengthsCache(), top=10_000).top)
        for w in ("pelayanan", "pengawasan", "penetapan")
    ]
    for docnum, score in ranked.top:
        assert score == pytest.approx(max(s.get(docnum, 0.0) for s in singles))


def test_a_quoted_phrase_needs_every_adjacent_pair(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(
        [
            evidence(1, 1, "layanan informasi publik daerah"),
            evidence(2, 1, "informasi layanan publik"),
            evidence(3, 1, "layanan informasi dan informasi publik"),
        ],
        procs=1,
    )
    plan = build_plan(parse_query('"layanan informasi publik"'), require_all=True)
    assert isinstance(plan, AllOf) and len(plan.children) == 2
    found = index.search('"layanan informasi publik"', allowed_innovation_ids=None)
    # Page 2 has the words in another order. Page 3 holds both pairs, apart: the pairs find
    # it, and the check of the stored text (`indexer.phrases`) drops it.
    assert {h["evidence_id"] for h in found["hits"]} == {1}
    assert found["total"] == 1
    found = index.search('"informasi publik"', allowed_innovation_ids=None)
    assert {h["evidence_id"] for h in found["hits"]} == {1, 3}
    found = index.search('"publik informasi"', allowed_innovation_ids=None)
    assert found["total"] == 0
    index.close()


def test_blocks_are_stored_narrow_and_never_inflated(searcher: Any) -> None:
    from indexer.codec import ArrayLeafMatcher

    reader = searcher.leaf_searchers()[0][0].reader()
    long = reader.postings("exact", "pelayanan")
    long = getattr(long, "child", long)
    assert isinstance(long, ArrayLeafMatcher)
    long._read_data()
    ids, weights = long._data[0], long._data[1]
    assert long._blocklength >= 64 and long._compression == 0
    # A common word's ids are offsets from its first (4 bytes), two bytes each: the kind
    # byte says so. Its counts fit one byte each.
    assert ids[0] == 0x12 and len(ids) == 5 + 2 * (long._blocklength - 1)
    assert weights[:1] == b"u" and len(weights) == 1 + long._blocklength
    short = reader.postings("doc_id", "e10p1")  # one posting
    short = getattr(short, "child", short)
    assert isinstance(short, ArrayLeafMatcher)
    assert short._blocklength == 1 and short._compression == 0
    assert list(short.all_ids()) == [searcher.document_number(doc_id="e10p1")]


def test_frequencies_are_read_back_from_the_weights(searcher: Any) -> None:
    """Blocks do not store Whoosh's Frequency values (the counts again); they read back."""
    reader = searcher.leaf_searchers()[0][0].reader()
    matcher = reader.postings("text", "layan")
    matcher = getattr(matcher, "child", matcher)
    matcher._read_data()
    assert matcher._data[2] == b""  # nothing stored for the values
    counts, weights = [], []
    while matcher.is_active():
        counts.append(matcher.value_as("frequency"))
        weights.append(matcher.weight())
        matcher.next()
    assert counts == [int(w) for w in weights] and max(counts) > 1


def test_an_index_written_before_schema_3_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade the old index serves searches until the worker's rebuild replaces it."""
    from array import array

    from indexer import codec

    docs = corpus(300)
    new = SearchIndex.open(tmp_path / "new")
    new.rebuild(docs, procs=1)
    # Schema 2's blocks: 4-byte gaps from zero, float32 weights, the counts stored as values,
    # written by Whoosh's own writer (the array writer came later).
    with monkeypatch.context() as patch:
        patch.setattr(search_module, "ArraySegmentWriter", SegmentWriter)
        patch.setattr(
            codec.ArrayPostingsWriter,
            "_mini_ids",
            lambda self: np.diff(np.asarray(self._ids), prepend=0).astype("<u4").tobytes(),
        )
        patch.setattr(codec, "encode_weights", lambda w: array("f", w).tobytes())
        patch.setattr(
            codec.ArrayPostingsWriter, "_mini_values", codec.W3PostingsWriter._mini_values
        )
        old = SearchIndex.open(tmp_path / "old")
        old.rebuild(docs, procs=1)
    for searcher in old._searcher():
        block = searcher.leaf_searchers()[0][0].reader().postings("exact", "pelayanan")
        block._read_data()
        assert len(block._data[0]) == len(block._data[1]) == 4 * block._blocklength
        assert len(block._data[2]) == 4 * block._blocklength  # the counts, stored
    for query in ("pelayanan", "laporan keuangan", "pelayanan -penetapan", "lapor*"):
        expected = new.search(query, allowed_innovation_ids=None)
        found = old.search(query, allowed_innovation_ids=None)
        assert found["total"] == expected["total"] > 0
        assert [h["doc_id"] for h in found["hits"]] == [h["doc_id"] for h in expected["hits"]]
    new.close()
    old.close()


@pytest.mark.parametrize("best", [False, True], ids=["summed", "best"])
def test_a_union_of_few_pages_equals_the_dense_union(best: bool) -> None:
    """Few pages are merged as sorted lists, many through arrays as long as the segment: the
    same pages and the same scores, to the last bit."""
    rng = np.random.default_rng(7)
    parts = []
    for n in (40, 25, 60):
        ids = np.sort(rng.choice(300, n, replace=False)).astype(np.int64)
        parts.append(Matches(ids, rng.random(n) * 5))
    sparse = _union(parts, 100_000, best=best)  # 125 pages of 100,000: merged
    dense = _union(parts, 300, best=best)  # of 300: through arrays
    assert len(sparse.ids) < 125  # pages in several parts counted once
    assert sparse.ids.tolist() == dense.ids.tolist()
    assert sparse.scores.tolist() == dense.scores.tolist()
    expected = {}
    for part in parts:
        for page, score in zip(part.ids.tolist(), part.scores.tolist(), strict=True):
            old = expected.get(page)
            expected[page] = score if old is None else max(old, score) if best else old + score
    assert dict(zip(sparse.ids.tolist(), sparse.scores.tolist(), strict=True)) == expected


def test_a_restricted_search_reads_only_the_blocks_holding_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks of 32 postings: a caller who may see 20 of 300 pages reads the blocks holding
    those pages, and finds every one of them with the scores everyone else sees."""
    monkeypatch.setattr(search_module, "ArrayCodec", lambda: ArrayCodec(blocklimit=32))
    index = SearchIndex.open(tmp_path / "index")
    pages = [
        evidence(n, n // 10, f"Laporan pelayanan publik nomor {n} " + "kegiatan " * (n % 7))
        for n in range(300)
    ]
    index.update(pages)
    allowed_innovations = {3, 17}  # pages 30-39 and 170-179
    mine = {f"e{n}p1" for n in [*range(30, 40), *range(170, 180)]}
    everyone = {"total": 0, "hits": []}
    for offset in range(0, 300, 50):
        found = index.search("pelayanan", allowed_innovation_ids=None, limit=50, offset=offset)
        everyone = {"total": found["total"], "hits": everyone["hits"] + found["hits"]}
    restricted = index.search("pelayanan", allowed_innovation_ids=allowed_innovations, limit=50)
    assert everyone["total"] == 300
    assert restricted["total"] == 20
    assert {hit["doc_id"] for hit in restricted["hits"]} == mine
    scores = {hit["doc_id"]: hit["score"] for hit in everyone["hits"]}
    assert all(hit["score"] == scores[hit["doc_id"]] for hit in restricted["hits"])

    for searcher in index._searcher():
        (leaf, _), *_ = searcher.leaf_searchers()
        reader = leaf.reader()
        term = lookup(reader, "exact", "pelayanan")
        assert term is not None and term.doc_frequency == 300
        mask = np.zeros(reader.doc_count_all(), dtype=bool)
        mask[[searcher.document_number(doc_id=d) for d in mine]] = True
        ids, _ = postings(term, mask)
        assert set(np.flatnonzero(mask)) <= set(ids.tolist())
        assert len(ids) <= 4 * 32  # at most the four blocks holding the 20 pages, of ten
        nothing = postings(term, np.zeros(reader.doc_count_all(), dtype=bool))
        assert len(nothing[0]) == 0
    index.close()
