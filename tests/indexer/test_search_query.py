"""The query parser: forgiving syntax, identifiers, and the one error it raises."""

from __future__ import annotations

import pytest

from indexer.query import (
    MAX_CLAUSES,
    MAX_PREFIXES,
    MAX_QUERY_LENGTH,
    Identifier,
    Phrase,
    Prefix,
    QueryTooLong,
    Word,
    parse_query,
)


def terms(query: str) -> list[list[object]]:
    return [list(c.alternatives) for c in parse_query(query).clauses]


def test_words_are_anded_and_stop_words_dropped() -> None:
    clauses = parse_query("penetapan dan maklumat").positive
    assert [c.alternatives[0].word for c in clauses] == ["penetapan", "maklumat"]


def test_phrase_keeps_literal_words() -> None:
    assert terms('"Penetapan Maklumat"') == [[Phrase(("penetapan", "maklumat"))]]


def test_unbalanced_quote_is_read_as_words() -> None:
    assert [type(t[0]) for t in terms('"penetapan maklumat')] == [Word, Word]


def test_prefix_needs_three_letters() -> None:
    assert terms("inov*") == [[Prefix("inov")]]
    assert terms("*") == [] and terms("in*")[0][0] == Word("in", ("in",))


def test_negation_and_or() -> None:
    parsed = parse_query("inovasi -laporan NOT foto kecamatan OR puskesmas")
    assert [c.alternatives[0].word for c in parsed.negative] == ["laporan", "foto"]
    assert [len(c.alternatives) for c in parsed.positive] == [1, 2]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("188.4/69/Balitbangda-Blg/2020", "188469balitbangdablg2020"),
        ("NOMOR 41 TAHUN 2021", "41tahun2021"),
        ("Nomor: 41 tahun 2021", "41tahun2021"),
        ("148/PMK.01/2012", "148pmk012012"),
        ("188.4/69", "188469"),
        ("188469", "188469"),
    ],
)
def test_identifiers(query: str, key: str) -> None:
    found = [t for c in terms(query) for t in c if isinstance(t, Identifier)]
    assert [t.key for t in found] == [key]


def test_control_characters_are_spaces() -> None:
    assert [t[0].word for t in terms("pene\x00tapan\x1b")] == ["pene", "tapan"]


def test_length_limit() -> None:
    parse_query("x" * MAX_QUERY_LENGTH)
    with pytest.raises(QueryTooLong):
        parse_query("x" * (MAX_QUERY_LENGTH + 1))


def test_repeated_clauses_collapse_and_count_is_capped() -> None:
    assert len(parse_query("per* " * 50).clauses) == 1
    assert len(parse_query(" ".join(f"kata{i}" for i in range(60))).clauses) == MAX_CLAUSES


def test_only_a_few_prefixes_expand() -> None:
    kinds = [type(c.alternatives[0]) for c in parse_query("abc* abd* abe* abf* abg*").clauses]
    assert kinds == [Prefix] * MAX_PREFIXES + [Word] * (5 - MAX_PREFIXES)
