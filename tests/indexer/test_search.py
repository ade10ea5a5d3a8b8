"""SearchIndex behaviour: permissions, deletion, rebuild swap, versions, snippets, bad queries."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from indexer import generations, schema
from indexer.search import IndexBusy, QueryTooLong, SearchIndex
from indexer.search_backend import MAX_QUERY_LENGTH


def evidence(evidence_id: int, innovation_id: int, text: str, page: int = 1, **extra: Any) -> dict:
    doc = {
        "doc_id": f"e{evidence_id}p{page}",
        "type": "evidence",
        "evidence_id": evidence_id,
        "innovation_id": innovation_id,
        "page": page,
        "text": text,
        "filename": f"bukti-{evidence_id}.pdf",
        "indicator": "regulasi",
        "unit": "bappeda",
        "year": 2024,
        "innovation_name": f"Inovasi {innovation_id}",
        "kind": "keputusan-kepala-daerah",
        "number": None,
        "status": "draft",
        "published": False,
    }
    doc.update(extra)
    return doc


def profile(innovation_id: int, text: str, **extra: Any) -> dict:
    doc = {
        "doc_id": f"i{innovation_id}",
        "type": "innovation",
        "innovation_id": innovation_id,
        "text": text,
        "innovation_name": f"Inovasi {innovation_id}",
        "unit": "bappeda",
        "year": 2024,
        "status": "draft",
        "published": False,
    }
    doc.update(extra)
    return doc


DOCS = [
    evidence(
        1,
        10,
        "KEPUTUSAN BUPATI BALANGAN NOMOR 188.4/69/Balitbangda-Blg/2020 TENTANG PENETAPAN "
        "INOVASI DAERAH. Daftar hadir: Ahmad NIK 6308011234560001, "
        "Budi NIP. 19650217 199003 1 008, Citra NIP 196502171990031009.",
        number="188.4/69/Balitbangda-Blg/2020",
    ),
    evidence(1, 10, "Lampiran: tim pengelolaan inovasi kabupaten.", page=2),
    evidence(
        2,
        20,
        "PERATURAN BUPATI NOMOR 41 TAHUN 2021 tentang pengawasan pelayanan kesehatan "
        "puskesmas rahasiakata",
        unit="dinkes",
        kind="peraturan-kepala-daerah",
        number="41 TAHUN 2021",
        published=True,
        status="published",
    ),
    evidence(
        3,
        30,
        "Laporan monitoring dan evaluasi <script>alert(1)</script> pelayanan & penerapan "
        "inovasi yang diterapkan di kecamatan",
        indicator="monev",
        kind="laporan",
        year=2023,
    ),
    profile(10, "Sepeda Baru menjaring inovasi daerah Balangan."),
    profile(20, "Layanan kesehatan keliling puskesmas.", published=True, status="published"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    ix = SearchIndex.open(tmp_path_factory.mktemp("search") / "index")
    ix.update(DOCS)
    return ix


def ids(result: dict) -> list[str]:
    return [h["doc_id"] for h in result["hits"]]


def search(ix: SearchIndex, q: str, **kwargs: Any) -> dict:
    kwargs.setdefault("allowed_innovation_ids", None)
    return ix.search(q, **kwargs)


# -- shape and matching ----------------------------------------------------------------------


def test_result_has_the_contract_shape(index: SearchIndex) -> None:
    result = search(index, "penetapan")
    assert set(result) >= {"total", "suggestion", "hits"}
    hit = result["hits"][0]
    contract = {"type", "evidence_id", "innovation_id", "filename", "indicator", "kind"}
    assert set(hit) >= contract | {"unit", "page", "score", "snippet"}
    assert hit["type"] == "evidence" and hit["evidence_id"] == 1 and hit["page"] == 1
    assert isinstance(hit["score"], float)


def test_stemmed_forms_find_each_other(index: SearchIndex) -> None:
    assert "e1p1" in ids(search(index, "ditetapkan"))
    assert "e1p2" in ids(search(index, "dikelola"))
    assert "e2p1" in ids(search(index, "diawasi"))
    assert "e3p1" in ids(search(index, "penerapan"))


def test_innovation_profiles_are_searchable(index: SearchIndex) -> None:
    hits = search(index, "menjaring")["hits"]
    assert hits[0]["type"] == "innovation" and hits[0]["evidence_id"] is None
    assert hits[0]["innovation_id"] == 10


def test_quoted_phrase_matches_literal_words_in_order(index: SearchIndex) -> None:
    assert ids(search(index, '"penetapan inovasi daerah"')) == ["e1p1"]
    assert search(index, '"inovasi penetapan"')["total"] == 0
    # Literal: the phrase does not widen to other forms of the words.
    assert search(index, '"ditetapkan inovasi"')["total"] == 0


def test_prefix_search(index: SearchIndex) -> None:
    assert {"e1p1", "e1p2", "e3p1", "i10"} <= set(ids(search(index, "inov*")))


def test_negation_excludes(index: SearchIndex) -> None:
    found = set(ids(search(index, "inovasi -kecamatan")))
    assert "e3p1" not in found and "e1p1" in found


def test_or_offers_alternatives(index: SearchIndex) -> None:
    found = set(ids(search(index, "kecamatan OR puskesmas")))
    assert {"e3p1", "e2p1"} <= found


def test_all_words_required_then_any_as_fallback(index: SearchIndex) -> None:
    strict = search(index, "pengawasan puskesmas")
    assert strict["matched"] == "all" and ids(strict) == ["e2p1"]
    loose = search(index, "pengawasan zzzyyyxxx")
    assert loose["matched"] == "any" and "e2p1" in ids(loose)


@pytest.mark.parametrize(
    "query",
    [
        "188.4/69/Balitbangda-Blg/2020",  # whole
        "188.4/69/BALITBANGDA-BLG/2020",  # any case
        "188469balitbangdablg2020",  # without separators
        "188.4/69",  # prefix
        "188469",  # prefix without separators
        "Nomor 188.4/69/Balitbangda-Blg/2020",
    ],
)
def test_decree_number_is_found(index: SearchIndex, query: str) -> None:
    assert ids(search(index, query))[0] == "e1p1"


@pytest.mark.parametrize("query", ["NOMOR 41 TAHUN 2021", "41 tahun 2021", "41tahun2021"])
def test_regulation_number_with_year_is_found(index: SearchIndex, query: str) -> None:
    assert ids(search(index, query))[0] == "e2p1"


def test_filters(index: SearchIndex) -> None:
    assert set(ids(search(index, "inovasi", indicator="monev"))) == {"e3p1"}
    assert set(ids(search(index, "inovasi", year=2023))) == {"e3p1"}
    assert set(ids(search(index, "pelayanan", unit="dinkes"))) == {"e2p1"}
    assert set(ids(search(index, "pelayanan", kind="laporan"))) == {"e3p1"}


def test_paging(index: SearchIndex) -> None:
    everything = search(index, "inovasi")
    page = search(index, "inovasi", limit=2, offset=1)
    assert page["total"] == everything["total"]
    assert ids(page) == ids(everything)[1:3]


# -- permissions -----------------------------------------------------------------------------


def test_restricted_caller_sees_only_allowed_innovations(index: SearchIndex) -> None:
    result = search(index, "inovasi", allowed_innovation_ids={30})
    assert ids(result) == ["e3p1"] and result["total"] == 1
    assert all(h["innovation_id"] == 30 for h in result["hits"])


def test_restricted_total_counts_only_visible_documents(index: SearchIndex) -> None:
    assert search(index, "pelayanan", allowed_innovation_ids={10})["total"] == 0
    visible = search(index, "pelayanan", allowed_innovation_ids={20})
    assert visible["total"] == 2 and set(ids(visible)) == {"e2p1", "i20"}


def test_empty_permission_set_sees_nothing(index: SearchIndex) -> None:
    assert search(index, "inovasi", allowed_innovation_ids=set()) == {
        "total": 0,
        "suggestion": None,
        "matched": "all",
        "hits": [],
    }


def test_anonymous_sees_only_published(index: SearchIndex) -> None:
    result = search(index, "puskesmas OR inovasi", only_published=True)
    assert set(ids(result)) == {"e2p1", "i20"}


def test_suggestion_comes_only_from_visible_documents(index: SearchIndex) -> None:
    # "rahasiakata" exists only in innovation 20's document.
    assert search(index, "rahasiakta")["suggestion"] == "rahasiakata"
    hidden = search(index, "rahasiakta", allowed_innovation_ids={10, 30})
    assert hidden["suggestion"] is None and hidden["total"] == 0
    hidden = search(index, "rahasiakta", only_published=False, allowed_innovation_ids={10})
    assert hidden["suggestion"] is None


def test_suggestion_for_a_typo(index: SearchIndex) -> None:
    assert search(index, "inovsi daerah")["suggestion"] == "inovasi daerah"
    assert search(index, "inovasi")["suggestion"] is None


# -- snippets --------------------------------------------------------------------------------


def test_snippet_marks_matches_and_masks_personal_numbers(index: SearchIndex) -> None:
    snippet = search(index, "hadir penetapan")["hits"][0]["snippet"]
    assert "<mark>PENETAPAN</mark>" in snippet and "<mark>hadir</mark>" in snippet
    for number in ("6308011234560001", "19650217", "199003 1 008", "196502171990031009"):
        assert number not in snippet
    assert "****************" in snippet


def test_personal_numbers_are_not_searchable(index: SearchIndex) -> None:
    assert search(index, "6308011234560001")["total"] == 0
    assert search(index, '"19650217 199003 1 008"')["total"] == 0


def test_snippet_escapes_html(index: SearchIndex) -> None:
    snippet = search(index, "monitoring")["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "&amp;" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


# -- bad queries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "*",
        "**",
        "?",
        '"',
        '"unbalanced quote penetapan',
        'penetapan"',
        "(penetapan",
        "AND OR NOT",
        "penetapan AND",
        "OR penetapan",
        "NOT",
        "- -- ---",
        "title:penetapan",
        "penetapan^2",
        "pene~",
        "[a TO z]",
        "{}[]()<>",
        "\x00\x01\x1b[31m penetapan",
        "\u200b\u202e penetapan",
        "penetapan\ninovasi\tdaerah",
        "' OR 1=1 --",
        "*penetapan*",
        "p*",
        "188.4/*",
        "/////",
        "....",
        "1/2/3/4/5/6/7/8/9/0/1/2/3/4/5/6",
        "a" * MAX_QUERY_LENGTH,
        "",
        "   ",
    ],
)
def test_bad_queries_never_raise(index: SearchIndex, query: str) -> None:
    started = time.monotonic()
    result = search(index, query)
    assert time.monotonic() - started < 5
    assert isinstance(result["total"], int) and isinstance(result["hits"], list)


def test_bad_queries_still_search_their_words(index: SearchIndex) -> None:
    for query in ('"unbalanced quote penetapan', "(penetapan", "penetapan^2", "*penetapan*"):
        assert "e1p1" in ids(search(index, query)), query


def test_too_long_query_raises_a_value_error(index: SearchIndex) -> None:
    with pytest.raises(QueryTooLong):
        search(index, "a" * (MAX_QUERY_LENGTH + 1))
    assert issubclass(QueryTooLong, ValueError)


# -- writing, deletion, rebuild, versions ----------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> SearchIndex:
    ix = SearchIndex.open(tmp_path / "index")
    ix.update(DOCS)
    return ix


def test_new_index_asks_for_rebuild_and_reopen_does_not(tmp_path: Path) -> None:
    assert SearchIndex.open(tmp_path / "ix").needs_rebuild is True
    assert SearchIndex.open(tmp_path / "ix").needs_rebuild is False


def test_deleting_an_evidence_removes_all_its_pages_at_once(fresh: SearchIndex) -> None:
    reader = SearchIndex.open(fresh.root)  # e.g. the web process
    assert {"e1p1", "e1p2"} <= set(ids(search(reader, "inovasi")))
    fresh.delete(evidence_ids=[1])
    found = set(ids(search(reader, "inovasi")))
    assert not found & {"e1p1", "e1p2"} and "e3p1" in found


def test_delete_by_doc_id_and_by_innovation(fresh: SearchIndex) -> None:
    fresh.delete(["e1p2"])
    assert "e1p2" not in ids(search(fresh, "pengelolaan"))
    assert "e1p1" in ids(search(fresh, "penetapan"))
    fresh.delete(innovation_ids=[10])
    assert not {h["innovation_id"] for h in search(fresh, "inovasi")["hits"]} & {10}


def test_update_replaces_all_pages_of_an_evidence(fresh: SearchIndex) -> None:
    fresh.update([evidence(1, 10, "versi baru hanya satu halaman penetapan")])
    assert search(fresh, "pengelolaan")["total"] == 0  # page 2 of the old version is gone
    assert ids(search(fresh, "versi baru")) == ["e1p1"]


def test_rebuild_swaps_in_a_new_folder(fresh: SearchIndex) -> None:
    reader = SearchIndex.open(fresh.root)
    old_folder = generations.current(fresh.root)
    seen: list[int] = []
    count = fresh.rebuild(iter(DOCS[2:]), progress=seen.append)
    assert count == 4 and seen[-1] == 4
    new_folder = generations.current(fresh.root)
    assert new_folder != old_folder and not old_folder.exists()
    assert search(reader, "penetapan")["total"] == 0  # evidence 1 was not in the rebuild
    assert ids(search(reader, "pengawasan")) == ["e2p1"]
    assert fresh.needs_rebuild is False


def test_failed_rebuild_keeps_the_old_index(fresh: SearchIndex) -> None:
    def broken():
        yield DOCS[0]
        raise RuntimeError("database went away")

    before = generations.current(fresh.root)
    with pytest.raises(RuntimeError):
        fresh.rebuild(broken())
    assert generations.current(fresh.root) == before
    assert "e1p1" in ids(search(fresh, "penetapan"))
    assert [p.name for p in fresh.root.iterdir() if p.name.startswith("g-")] == [before.name]


def test_version_change_reports_needs_rebuild(
    fresh: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh.root
    fresh.close()
    assert SearchIndex.open(path).needs_rebuild is False
    monkeypatch.setattr("indexer.search.INDEX_VERSION", {**schema.INDEX_VERSION, "analyzer": 999})
    stale = SearchIndex.open(path)
    assert stale.needs_rebuild is True
    assert "e1p1" in ids(search(stale, "penetapan"))  # still usable until rebuilt
    stale.rebuild(DOCS)
    assert stale.needs_rebuild is False and stale.version["analyzer"] == 999


# Whoosh leaves the unreadable TOC file open when opening fails; that is its leak, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_corrupt_index_reports_needs_rebuild(tmp_path: Path) -> None:
    ix = SearchIndex.open(tmp_path / "ix")
    folder = generations.current(ix.root)
    ix.close()
    for item in folder.iterdir():
        if item.suffix == ".toc":
            item.write_bytes(b"garbage")
    (folder / generations.VERSION_FILE).write_text(json.dumps(schema.INDEX_VERSION))
    broken = SearchIndex.open(tmp_path / "ix")
    assert broken.needs_rebuild is True
    assert search(broken, "penetapan")["total"] == 0
    broken.rebuild(DOCS)
    assert "e1p1" in ids(search(broken, "penetapan"))


def test_a_second_writer_waits_for_the_lock(fresh: SearchIndex) -> None:
    # One writer process per index; a second one queues behind the lock instead of corrupting.
    other = SearchIndex.open(fresh.root)
    writer = fresh._ix.writer()
    started, done = threading.Event(), threading.Event()

    def write() -> None:
        started.set()
        other.update([evidence(9, 90, "dokumen tambahan")])
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert started.wait(10), "the second writer never ran"
    time.sleep(0.3)
    assert thread.is_alive() and not done.is_set()  # it waits behind the lock
    writer.cancel()
    thread.join(10)
    assert done.is_set() and ids(search(fresh, "tambahan")) == ["e9p1"]


def test_writer_lock_timeout_raises_index_busy(
    fresh: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indexer.search.WRITER_TIMEOUT_S", 0.2)
    writer = fresh._ix.writer()
    try:
        with pytest.raises(IndexBusy):
            SearchIndex.open(fresh.root).update([evidence(9, 90, "x")])
    finally:
        writer.cancel()


def test_reader_does_not_create_and_picks_up_the_writers_index(tmp_path: Path) -> None:
    reader = SearchIndex.open(tmp_path / "ix", create=False)
    assert reader.needs_rebuild is True and not (tmp_path / "ix").exists()
    assert search(reader, "penetapan")["total"] == 0
    writer = SearchIndex.open(tmp_path / "ix")
    writer.rebuild(DOCS)
    assert "e1p1" in ids(search(reader, "penetapan"))


def test_a_long_phrase_finds_only_pages_where_its_words_stand_together(tmp_path: Path) -> None:
    ix = SearchIndex.open(tmp_path / "index")
    ix.update([
        evidence(1, 1, "Standar pelayanan informasi publik di desa."),
        # Every adjacent pair of the phrase, but never the three words together.
        evidence(2, 1, "Pelayanan informasi dibuka. Informasi publik diumumkan kemudian."),
        # Stop words between the words are skipped, as the index skips them.
        evidence(3, 2, "PELAYANAN dan INFORMASI yang PUBLIK"),
        evidence(4, 2, "Pelayanan\ninformasi  publik, tahun 2024."),
        evidence(5, 3, "publik informasi pelayanan"),
    ])  # fmt: skip
    found = search(ix, '"pelayanan informasi publik"')
    assert sorted(ids(found)) == ["e1p1", "e3p1", "e4p1"]
    assert found["total"] == 3  # the total counts only true phrase pages
    # Combined with a word, and with another phrase as an alternative.
    assert ids(search(ix, '"pelayanan informasi publik" desa')) == ["e1p1"]
    either = search(ix, '"pelayanan informasi publik" OR "informasi publik diumumkan"')
    assert sorted(ids(either)) == ["e1p1", "e2p1", "e3p1", "e4p1"]
    # Within what the caller may see, and paged.
    assert ids(search(ix, '"pelayanan informasi publik"', allowed_innovation_ids={1})) == ["e1p1"]
    paged = search(ix, '"pelayanan informasi publik"', limit=1, offset=2)
    assert paged["total"] == 3 and len(paged["hits"]) == 1
    ix.close()


def test_past_the_checking_budget_the_phrase_total_is_estimated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer import evaluate

    ix = SearchIndex.open(tmp_path / "index")
    true = [evidence(n, 1, "pelayanan informasi publik " * (n % 3 + 1)) for n in range(1, 11)]
    false = [evidence(n, 1, "pelayanan informasi. informasi publik.") for n in range(11, 21)]
    ix.update(true + false)
    exact = search(ix, '"pelayanan informasi publik"', limit=3)
    assert exact["total"] == 10
    monkeypatch.setattr(evaluate, "MAX_CHECKED", 4)
    monkeypatch.setattr(evaluate, "CHECK_BATCH", 2)
    estimated = search(ix, '"pelayanan informasi publik"', limit=3)
    # The hits shown are still only true phrase pages; the total is an estimate near 10.
    assert ids(estimated) == ids(exact)
    assert 5 <= estimated["total"] <= 20
    ix.close()


def test_a_personal_number_is_neither_shown_nor_found_by_its_parts(tmp_path: Path) -> None:
    ix = SearchIndex.open(tmp_path / "index")
    ix.update([evidence(1, 1, "Daftar hadir: Siti Aminah NIK 637101 234567 8904, Desa Lok Batu.")])
    assert search(ix, "Aminah")["total"] == 1
    assert "8904" not in search(ix, "Aminah")["hits"][0]["snippet"]
    for fragment in ("8904", "234567", "637101", "6371012345678904"):
        assert search(ix, fragment)["total"] == 0, fragment
    ix.close()
