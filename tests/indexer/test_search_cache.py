"""SearchIndex speed-ups that must not change behaviour: the reused per-thread searcher, the
cached permission restriction, exact totals from the array evaluator, the parallel rebuild."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest

from indexer import search as search_module
from indexer.search import SearchIndex

from .test_search import evidence

WORDS = ["inovasi", "pelayanan", "publik", "daerah", "pengawasan", "keuangan", "laporan"]


def corpus(count: int, innovations: int = 40, seed: int = 7) -> list[dict[str, Any]]:
    """Pages of varying length and word mix, so scores differ and Whoosh could prune."""
    rng = random.Random(seed)
    docs = []
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randrange(3, 60))]
        words += ["penetapan"] * rng.randrange(0, 4)
        docs.append(
            evidence(
                n + 1,
                n % innovations + 1,
                " ".join(words),
                published=n % 3 == 0,
                year=2020 + n % 4,
            )
        )
    return docs


def expected_total(docs: list[dict[str, Any]], word: str, **where: Any) -> int:
    allowed = where.pop("allowed", None)
    return sum(
        1
        for d in docs
        if word in d["text"].split()
        and (allowed is None or d["innovation_id"] in allowed)
        and all(d[k] == v for k, v in where.items())
    )


@pytest.fixture
def big(tmp_path: Path) -> tuple[SearchIndex, list[dict[str, Any]]]:
    docs = corpus(900)
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(docs)
    yield index, docs
    index.close()


def test_totals_are_exact_for_every_caller(big: tuple[SearchIndex, list[dict]]) -> None:
    index, docs = big
    allowed = set(range(1, 11))
    for word in ("penetapan", "pengawasan", "laporan"):  # not in file/innovation names
        assert index.search(word, allowed_innovation_ids=None)["total"] == expected_total(
            docs, word
        )
        restricted = index.search(word, allowed_innovation_ids=allowed, limit=5)
        assert restricted["total"] == expected_total(docs, word, allowed=allowed)
        anonymous = index.search(word, allowed_innovation_ids=None, only_published=True, limit=1)
        assert anonymous["total"] == expected_total(docs, word, published=True)
        faceted = index.search(word, allowed_innovation_ids=allowed, year=2021)
        assert faceted["total"] == expected_total(docs, word, allowed=allowed, year=2021)


def test_restricted_hits_are_the_top_of_the_visible_documents(
    big: tuple[SearchIndex, list[dict]],
) -> None:
    index, _ = big
    allowed = {3, 4}
    full = index.search("penetapan", allowed_innovation_ids=None, limit=200)
    visible = [h for h in full["hits"] if h["innovation_id"] in allowed]
    restricted = index.search("penetapan", allowed_innovation_ids=allowed, limit=200)
    assert {h["innovation_id"] for h in restricted["hits"]} <= allowed
    # Same ranking (the restriction adds the same constant to every score).
    assert [h["doc_id"] for h in restricted["hits"]][: len(visible)] == [
        h["doc_id"] for h in visible
    ]


def test_cached_restriction_follows_a_change_of_allowed_ids(
    big: tuple[SearchIndex, list[dict]],
) -> None:
    index, docs = big
    for allowed in ({1}, {2}, {1, 2}, {1}, set(range(1, 41))):
        result = index.search("laporan", allowed_innovation_ids=allowed, limit=200)
        assert result["total"] == expected_total(docs, "laporan", allowed=allowed)
        assert {h["innovation_id"] for h in result["hits"]} <= allowed


def test_cached_restriction_follows_updates_and_deletes(
    big: tuple[SearchIndex, list[dict]],
) -> None:
    index, docs = big
    allowed = {5}
    before = index.search("laporan", allowed_innovation_ids=allowed)["total"]
    index.update([evidence(5000, 5, "laporan baru"), evidence(5001, 6, "laporan lain")])
    assert index.search("laporan", allowed_innovation_ids=allowed)["total"] == before + 1
    index.delete(evidence_ids=[5000])
    gone = [d["evidence_id"] for d in docs if d["innovation_id"] == 5][:3]
    index.delete(evidence_ids=gone)
    remaining = [d for d in docs if d["evidence_id"] not in gone]
    assert index.search("laporan", allowed_innovation_ids=allowed)["total"] == expected_total(
        remaining, "laporan", allowed=allowed
    )


def test_a_reused_searcher_sees_a_later_commit(tmp_path: Path) -> None:
    writer = SearchIndex.open(tmp_path / "index")
    writer.rebuild([evidence(1, 1, "inovasi pertama")])
    reader = SearchIndex.open(tmp_path / "index", create=False)
    assert reader.search("inovasi", allowed_innovation_ids=None)["total"] == 1
    first = reader._local.searcher
    assert reader.search("pertama", allowed_innovation_ids=None)["total"] == 1
    assert reader._local.searcher is first  # unchanged index: no reopen
    writer.update([evidence(2, 1, "inovasi kedua")])
    assert reader.search("inovasi", allowed_innovation_ids=None)["total"] == 2
    assert reader._local.searcher is not first
    writer.rebuild([evidence(3, 1, "inovasi ketiga")])  # a swap to a new generation
    result = reader.search("inovasi", allowed_innovation_ids={1})
    assert [h["doc_id"] for h in result["hits"]] == ["e3p1"]
    reader.close()
    writer.close()


def test_close_releases_the_cached_searchers(tmp_path: Path) -> None:
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild([evidence(1, 1, "inovasi")])
    index.search("inovasi", allowed_innovation_ids=None)
    searcher = index._local.searcher
    index.close()
    assert searcher.is_closed
    assert index.search("inovasi", allowed_innovation_ids=None)["total"] == 1  # reopens
    index.close()


def test_concurrent_searches_while_the_writer_commits(
    big: tuple[SearchIndex, list[dict]],
) -> None:
    index, docs = big
    expected = expected_total(docs, "pengawasan", allowed=set(range(1, 21)))
    errors: list[BaseException] = []
    totals: list[int] = []

    def reader() -> None:
        try:
            for _ in range(15):
                result = index.search("pengawasan", allowed_innovation_ids=set(range(1, 21)))
                totals.append(result["total"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n in range(5):  # innovation 30: outside what the readers may see
        index.update([evidence(9000 + n, 30, "pengawasan tambahan")])
    for thread in threads:
        thread.join()
    assert not errors
    assert set(totals) == {expected}
    index.close()


def test_parallel_rebuild_matches_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = corpus(400, seed=11)
    serial = SearchIndex.open(tmp_path / "serial")
    assert serial.rebuild(docs) == 400
    monkeypatch.setattr(search_module, "REBUILD_PROCS", 2)
    monkeypatch.setattr(search_module, "PARALLEL_REBUILD_MIN_DOCS", 100)
    parallel = SearchIndex.open(tmp_path / "parallel")
    progress: list[int] = []
    assert parallel.rebuild(iter(docs), progress=progress.append) == 400
    assert progress[-1] == 400
    assert parallel.doc_count() == 400
    assert parallel.doc_ids() == serial.doc_ids()
    for query in ("penetapan", "pelayanan publik", '"inovasi daerah"', "pengawas*", "inovsi"):
        for allowed in (None, {1, 2, 3}):
            a = serial.search(query, allowed_innovation_ids=allowed, limit=200)
            b = parallel.search(query, allowed_innovation_ids=allowed, limit=200)
            assert (a["total"], a["suggestion"], a["matched"]) == (
                b["total"],
                b["suggestion"],
                b["matched"],
            )
            # Equal scores may be ordered differently (document numbers differ).
            assert sorted(h["score"] for h in a["hits"]) == sorted(h["score"] for h in b["hits"])
    serial.close()
    parallel.close()


def test_a_query_survives_a_merge_by_the_writer_process(tmp_path: Path) -> None:
    # The worker (its own process) merged segments while a web process was in the middle of
    # a query; Whoosh opened the old segment's stored-fields column lazily, found the file
    # deleted and the search answered 500. The searcher now opens its columns up front.
    writer = SearchIndex.open(tmp_path / "index")
    writer.rebuild([evidence(1, 1, "inovasi pertama")])
    for n in range(2, 5):
        writer.update([evidence(n, 1, f"inovasi nomor {n}")])
    reader = SearchIndex.open(tmp_path / "index", create=False)
    searcher = next(reader._searcher())  # the query's searcher, opened before the merge
    assert len(searcher.reader().leaf_readers()) > 1
    before = set((tmp_path / "index").rglob("*.seg"))
    merging = writer._ix.writer()
    merging.commit(optimize=True)  # one segment; the old segments' files are deleted
    assert not before & set((tmp_path / "index").rglob("*.seg"))
    pages = [searcher.stored_fields(n)["doc_id"] for n in range(searcher.doc_count_all())]
    assert sorted(pages) == ["e1p1", "e2p1", "e3p1", "e4p1"]
    # The next query opens the merged index and finds the same pages.
    assert reader.search("inovasi", allowed_innovation_ids=None)["total"] == 4
    reader.close()
    writer.close()
