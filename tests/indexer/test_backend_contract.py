"""The search backend contract: what every `SearchBackend` must do, run against each of them.

Whoosh always; PostgreSQL full-text search in the suite's PostgreSQL run. Adding a backend
means adding it to `tests.indexer.backends` and passing this file unchanged.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.search_backend import MAX_QUERY_LENGTH, QueryTooLong
from tests.indexer.backends import Facade, backend_params, open_backend


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


@pytest.fixture(scope="module", params=backend_params())
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Facade]:
    ix = open_backend(request.param, tmp_path_factory.mktemp("search"))
    ix.update(DOCS)
    yield ix
    ix.close()


@pytest.fixture(params=backend_params())
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Facade]:
    ix = open_backend(request.param, tmp_path)
    yield ix
    ix.close()


def ids(result: dict) -> list[str]:
    return [h["doc_id"] for h in result["hits"]]


def search(ix: Facade, q: str, **kwargs: Any) -> dict:
    kwargs.setdefault("allowed_innovation_ids", None)
    return ix.search(q, **kwargs)


# -- shape and matching ----------------------------------------------------------------------


def test_result_has_the_contract_shape(index: Facade) -> None:
    result = search(index, "penetapan")
    assert set(result) >= {"total", "suggestion", "hits"}
    hit = result["hits"][0]
    contract = {"type", "evidence_id", "innovation_id", "filename", "indicator", "kind"}
    assert set(hit) >= contract | {"unit", "page", "score", "snippet"}
    assert hit["type"] == "evidence" and hit["evidence_id"] == 1 and hit["page"] == 1
    assert isinstance(hit["score"], float)


def test_stemmed_forms_find_each_other(index: Facade) -> None:
    assert "e1p1" in ids(search(index, "ditetapkan"))
    assert "e1p2" in ids(search(index, "dikelola"))
    assert "e2p1" in ids(search(index, "diawasi"))
    assert "e3p1" in ids(search(index, "penerapan"))


def test_innovation_profiles_are_searchable(index: Facade) -> None:
    hits = search(index, "menjaring")["hits"]
    assert hits[0]["type"] == "innovation" and hits[0]["evidence_id"] is None
    assert hits[0]["innovation_id"] == 10


def test_quoted_phrase_matches_literal_words_in_order(index: Facade) -> None:
    assert ids(search(index, '"penetapan inovasi daerah"')) == ["e1p1"]
    assert search(index, '"inovasi penetapan"')["total"] == 0
    # Literal: the phrase does not widen to other forms of the words.
    assert search(index, '"ditetapkan inovasi"')["total"] == 0


def test_prefix_search(index: Facade) -> None:
    assert {"e1p1", "e1p2", "e3p1", "i10"} <= set(ids(search(index, "inov*")))


def test_negation_excludes(index: Facade) -> None:
    found = set(ids(search(index, "inovasi -kecamatan")))
    assert "e3p1" not in found and "e1p1" in found


def test_or_offers_alternatives(index: Facade) -> None:
    found = set(ids(search(index, "kecamatan OR puskesmas")))
    assert {"e3p1", "e2p1"} <= found


def test_all_words_required_then_any_as_fallback(index: Facade) -> None:
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
def test_decree_number_is_found(index: Facade, query: str) -> None:
    assert ids(search(index, query))[0] == "e1p1"


@pytest.mark.parametrize("query", ["NOMOR 41 TAHUN 2021", "41 tahun 2021", "41tahun2021"])
def test_regulation_number_with_year_is_found(index: Facade, query: str) -> None:
    assert ids(search(index, query))[0] == "e2p1"


def test_filters(index: Facade) -> None:
    assert set(ids(search(index, "inovasi", indicator="monev"))) == {"e3p1"}
    assert set(ids(search(index, "inovasi", year=2023))) == {"e3p1"}
    assert set(ids(search(index, "pelayanan", unit="dinkes"))) == {"e2p1"}
    assert set(ids(search(index, "pelayanan", kind="laporan"))) == {"e3p1"}


def test_paging(index: Facade) -> None:
    everything = search(index, "inovasi")
    page = search(index, "inovasi", limit=2, offset=1)
    assert page["total"] == everything["total"]
    assert ids(page) == ids(everything)[1:3]


# -- permissions -----------------------------------------------------------------------------


def test_restricted_caller_sees_only_allowed_innovations(index: Facade) -> None:
    result = search(index, "inovasi", allowed_innovation_ids={30})
    assert ids(result) == ["e3p1"] and result["total"] == 1
    assert all(h["innovation_id"] == 30 for h in result["hits"])


def test_restricted_total_counts_only_visible_documents(index: Facade) -> None:
    assert search(index, "pelayanan", allowed_innovation_ids={10})["total"] == 0
    visible = search(index, "pelayanan", allowed_innovation_ids={20})
    assert visible["total"] == 2 and set(ids(visible)) == {"e2p1", "i20"}


def test_empty_permission_set_sees_nothing(index: Facade) -> None:
    assert search(index, "inovasi", allowed_innovation_ids=set()) == {
        "total": 0,
        "estimated": False,
        "suggestion": None,
        "matched": "all",
        "hits": [],
    }


def test_anonymous_sees_only_published(index: Facade) -> None:
    result = search(index, "puskesmas OR inovasi", only_published=True)
    assert set(ids(result)) == {"e2p1", "i20"}


def test_suggestion_comes_only_from_visible_documents(index: Facade) -> None:
    # "rahasiakata" exists only in innovation 20's document.
    assert search(index, "rahasiakta")["suggestion"] == "rahasiakata"
    hidden = search(index, "rahasiakta", allowed_innovation_ids={10, 30})
    assert hidden["suggestion"] is None and hidden["total"] == 0
    hidden = search(index, "rahasiakta", only_published=False, allowed_innovation_ids={10})
    assert hidden["suggestion"] is None


def test_suggestion_for_a_typo(index: Facade) -> None:
    assert search(index, "inovsi daerah")["suggestion"] == "inovasi daerah"
    assert search(index, "inovasi")["suggestion"] is None


# -- snippets --------------------------------------------------------------------------------


def test_snippet_marks_matches_and_masks_personal_numbers(index: Facade) -> None:
    snippet = search(index, "hadir penetapan")["hits"][0]["snippet"]
    assert "<mark>PENETAPAN</mark>" in snippet and "<mark>hadir</mark>" in snippet
    for number in ("6308011234560001", "19650217", "199003 1 008", "196502171990031009"):
        assert number not in snippet
    assert "****************" in snippet


def test_personal_numbers_are_not_searchable(index: Facade) -> None:
    assert search(index, "6308011234560001")["total"] == 0
    assert search(index, '"19650217 199003 1 008"')["total"] == 0


def test_snippet_escapes_html(index: Facade) -> None:
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
def test_bad_queries_never_raise(index: Facade, query: str) -> None:
    started = time.monotonic()
    result = search(index, query)
    assert time.monotonic() - started < 5
    assert isinstance(result["total"], int) and isinstance(result["hits"], list)


def test_bad_queries_still_search_their_words(index: Facade) -> None:
    for query in ('"unbalanced quote penetapan', "(penetapan", "penetapan^2", "*penetapan*"):
        assert "e1p1" in ids(search(index, query)), query


def test_too_long_query_raises_a_value_error(index: Facade) -> None:
    with pytest.raises(QueryTooLong):
        search(index, "a" * (MAX_QUERY_LENGTH + 1))
    assert issubclass(QueryTooLong, ValueError)


# -- writing, deletion, rebuild --------------------------------------------------------------


def test_a_new_index_is_missing_until_rebuilt(empty: Facade) -> None:
    assert empty.state() == "missing"
    assert empty.rebuild(DOCS) == len(DOCS)
    assert empty.state() == "ok"
    assert empty.doc_ids() == {d["doc_id"] for d in DOCS}


def test_deleting_an_evidence_removes_all_its_pages_at_once(empty: Facade) -> None:
    empty.update(DOCS)
    assert {"e1p1", "e1p2"} <= set(ids(search(empty, "inovasi")))
    empty.delete(evidence_ids=[1])
    found = set(ids(search(empty, "inovasi")))
    assert not found & {"e1p1", "e1p2"} and "e3p1" in found


def test_delete_by_doc_id_and_by_innovation(empty: Facade) -> None:
    empty.update(DOCS)
    empty.delete(["e1p2"])
    assert "e1p2" not in ids(search(empty, "pengelolaan"))
    assert "e1p1" in ids(search(empty, "penetapan"))
    empty.delete(innovation_ids=[10])
    assert not {h["innovation_id"] for h in search(empty, "inovasi")["hits"]} & {10}


def test_update_replaces_all_pages_of_an_evidence(empty: Facade) -> None:
    empty.update(DOCS)
    empty.update([evidence(1, 10, "versi baru hanya satu halaman penetapan")])
    assert search(empty, "pengelolaan")["total"] == 0  # page 2 of the old version is gone
    assert ids(search(empty, "versi baru")) == ["e1p1"]
    # Profiles change too (a renamed innovation), and a second write is idempotent.
    empty.update([profile(10, "Nama baru yang lain")])
    empty.update([profile(10, "Nama baru yang lain")])
    assert ids(search(empty, "nama baru")) == ["i10"] and "i10" not in ids(
        search(empty, "menjaring")
    )


def test_rebuild_replaces_everything(empty: Facade) -> None:
    empty.update(DOCS)
    assert empty.rebuild(DOCS[2:]) == 4
    assert search(empty, "penetapan")["total"] == 0  # evidence 1 was not in the rebuild
    assert ids(search(empty, "pengawasan")) == ["e2p1"]
    assert empty.doc_ids() == {d["doc_id"] for d in DOCS[2:]}


def test_a_rebuild_in_many_batches_holds_every_page(empty: Facade) -> None:
    # PostgreSQL analyses batches after the first in worker processes, in parallel.
    assert empty.rebuild(DOCS, batch=1) == len(DOCS)
    assert empty.doc_ids() == {d["doc_id"] for d in DOCS}
    assert ids(search(empty, "pengawasan")) == ["e2p1"]
    assert set(ids(search(empty, "penetapan"))) >= {"e1p1"}
    assert not multiprocessing.active_children()  # the analysing processes are gone


@pytest.mark.parametrize("good_batches", [1, 4])
def test_a_failed_rebuild_keeps_the_old_index(empty: Facade, good_batches: int) -> None:
    empty.update(DOCS)

    async def broken() -> Any:
        for doc in DOCS[:good_batches]:
            yield [doc]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        empty.runner.run(empty.backend.rebuild(broken()))
    assert "e1p1" in ids(search(empty, "penetapan"))
    assert empty.doc_ids() == {d["doc_id"] for d in DOCS}
    assert not multiprocessing.active_children()


# -- exact phrases and personal numbers ------------------------------------------------------


def test_a_long_phrase_finds_only_pages_where_its_words_stand_together(empty: Facade) -> None:
    empty.update([
        evidence(1, 1, "Standar pelayanan informasi publik di desa."),
        # Every adjacent pair of the phrase, but never the three words together.
        evidence(2, 1, "Pelayanan informasi dibuka. Informasi publik diumumkan kemudian."),
        # Stop words between the words are skipped, as the index skips them.
        evidence(3, 2, "PELAYANAN dan INFORMASI yang PUBLIK"),
        evidence(4, 2, "Pelayanan\ninformasi  publik, tahun 2024."),
        evidence(5, 3, "publik informasi pelayanan"),
    ])  # fmt: skip
    found = search(empty, '"pelayanan informasi publik"')
    assert sorted(ids(found)) == ["e1p1", "e3p1", "e4p1"]
    assert found["total"] == 3  # the total counts only true phrase pages
    # Combined with a word, and with another phrase as an alternative.
    assert ids(search(empty, '"pelayanan informasi publik" desa')) == ["e1p1"]
    either = search(empty, '"pelayanan informasi publik" OR "informasi publik diumumkan"')
    assert sorted(ids(either)) == ["e1p1", "e2p1", "e3p1", "e4p1"]
    # Within what the caller may see, and paged.
    assert ids(search(empty, '"pelayanan informasi publik"', allowed_innovation_ids={1})) == [
        "e1p1"
    ]
    paged = search(empty, '"pelayanan informasi publik"', limit=1, offset=2)
    assert paged["total"] == 3 and len(paged["hits"]) == 1


def test_a_personal_number_is_neither_shown_nor_found_by_its_parts(empty: Facade) -> None:
    empty.update(
        [evidence(1, 1, "Daftar hadir: Siti Aminah NIK 637101 234567 8904, Desa Lok Batu.")]
    )
    assert search(empty, "Aminah")["total"] == 1
    assert "8904" not in search(empty, "Aminah")["hits"][0]["snippet"]
    for fragment in ("8904", "234567", "637101", "6371012345678904"):
        assert search(empty, fragment)["total"] == 0, fragment
