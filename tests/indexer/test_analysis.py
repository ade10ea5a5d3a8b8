"""Indonesian analysis: folding, stop words, and word families that must share a stem."""

from __future__ import annotations

import pytest

from indexer.analysis import STOPWORDS, analyze, fold, query_stems, stem_candidates

# Each group: forms of one root that a search for any of them must find.
FAMILIES = [
    ("penetapan", "ditetapkan", "menetapkan", "tetap"),
    ("penerapan", "diterapkan", "menerapkan"),
    ("pengelolaan", "dikelola", "mengelola", "kelola"),
    ("pelaksanaan", "dilaksanakan", "melaksanakan", "laksana"),
    ("menyusun", "penyusunan", "disusun", "susun"),
    ("memberikan", "pemberian", "diberikan", "beri"),
    ("pengawasan", "diawasi", "mengawasi"),
    ("penilaian", "dinilai", "menilai", "nilai"),
    ("pemanfaatan", "dimanfaatkan", "memanfaatkan", "manfaat"),
    ("pengembangan", "dikembangkan", "mengembangkan"),
    ("peningkatan", "ditingkatkan", "meningkatkan", "tingkat"),
    ("pengukuran", "diukur", "mengukur"),
    ("pemakaian", "dipakai", "memakai"),
    ("penyampaian", "disampaikan", "menyampaikan"),
    ("pengiriman", "dikirim", "mengirim"),
    ("penulisan", "ditulis", "menulis"),
    ("pernyataan", "dinyatakan", "menyatakan"),
]


def stems_of(word: str) -> set[str]:
    return set(stem_candidates(fold(word)))


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f[0])
def test_every_form_of_a_family_meets_the_first(family: tuple[str, ...]) -> None:
    first = stems_of(family[0])
    for other in family[1:]:
        assert first & stems_of(other), (family[0], other, first, stems_of(other))


@pytest.mark.parametrize(
    ("word", "dropped"),
    [("penetapan", "t"), ("pengelolaan", "k"), ("pemanfaatan", "m"), ("menyatakan", "ny")],
)
def test_dropped_letter_is_offered_as_a_candidate(word: str, dropped: str) -> None:
    assert any(s.startswith(dropped) for s in stem_candidates(word))


def test_unrelated_words_stay_apart() -> None:
    pairs = [("inovasi", "informasi"), ("pelayanan", "pelaksanaan"), ("daerah", "dasar")]
    for a, b in pairs:
        assert not stems_of(a) & stems_of(b), (a, b)


def test_unambiguous_words_get_a_single_stem() -> None:
    assert stem_candidates("dilaksanakan") == ("laksana",)
    assert len(stem_candidates("peraturan")) == 1


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("DÉSA Café") == "desa cafe"
    assert fold("\u0065\u0301") == "e"
    # Punctuation outside ASCII stays, compatibility forms open up, only accents go.
    assert fold("“DÉSA” — Kafé ½ ﬁle Straße") == "“desa” — kafe 1⁄2 file strasse"


def test_stop_words_are_dropped_and_take_no_position() -> None:
    tokens = list(analyze("Penetapan yang dan maklumat"))
    assert [t.word for t in tokens] == ["penetapan", "maklumat"]
    assert [t.pos for t in tokens] == [0, 1]
    assert "yang" in STOPWORDS and "tahun" not in STOPWORDS


def test_tokens_keep_character_offsets() -> None:
    text = "Keputusan  Bupati Balangan"
    for token in analyze(text):
        assert fold(text[token.start : token.end]) == token.word


def test_numbers_are_tokens_and_long_garbage_is_not() -> None:
    words = [t.word for t in analyze("Nomor 41 Tahun 2021 " + "x" * 80)]
    assert words == ["nomor", "41", "tahun", "2021"]


def test_query_stems_drop_stop_words() -> None:
    assert len(query_stems("penetapan dan pengelolaan")) == 2
