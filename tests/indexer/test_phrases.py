"""The exact-phrase check of stored text (`indexer.phrases`), without an index."""

import pytest

from indexer.phrases import checked_clauses, contains_phrase
from indexer.query import parse_query

PHRASE = ("pelayanan", "informasi", "publik")


@pytest.mark.parametrize(
    "text",
    [
        "Standar Pelayanan Informasi Publik.",
        "pelayanan\ninformasi   publik",
        "PELAYANAN dan INFORMASI yang PUBLIK",  # stop words are skipped, as in the index
        "pelayanan-informasi/publik",
        "Pélayanan informasi públik",  # accents fold away
    ],
)
def test_the_words_together_in_order_are_found(text: str) -> None:
    assert contains_phrase(text, PHRASE)


@pytest.mark.parametrize(
    "text",
    [
        "pelayanan informasi dibuka; informasi publik diumumkan",  # both pairs, apart
        "publik informasi pelayanan",
        "pelayanan informasi publikasi",  # a longer word is another word
        "kepelayanan informasi publik",
        "pelayanan informasi desa publik",  # a word that is not a stop word between
    ],
)
def test_anything_else_is_not(text: str) -> None:
    assert not contains_phrase(text, PHRASE)


def test_numbers_are_words_of_their_own() -> None:
    assert contains_phrase("Perda Nomor 5 Tahun 2020", ("nomor", "5", "tahun"))
    assert not contains_phrase("Perda Nomor 55 Tahun 2020", ("nomor", "5", "tahun"))


def test_only_clauses_of_long_phrases_are_checked() -> None:
    assert checked_clauses(parse_query('"pelayanan informasi publik" desa')) == [[PHRASE]]
    # A pair is exact in the index; a phrase OR a word can be met by the word alone.
    assert checked_clauses(parse_query('"informasi publik"')) == []
    assert checked_clauses(parse_query('"pelayanan informasi publik" OR desa')) == []
