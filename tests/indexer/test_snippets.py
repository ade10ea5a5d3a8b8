"""Snippets: the fast scan marks exactly the words the word-by-word walk marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.snippets import Highlighter, _match_spans, _match_spans_walk, make_snippet

from ..conftest import DATA

CORPUS = DATA / "id-docs"

HIGHLIGHTS = [
    (["penetapan"], []),  # a word family: ditetapkan, menetapkan, ...
    (["pelayanan", "publik"], []),
    (["2014", "23"], []),  # digit runs: whole numbers only, "2014" not inside "20145"
    (["informasi"], ["pemerintah"]),  # a prefix
    (["tidakada"], []),
]


def _pages(limit: int = 20) -> list[str]:
    files = sorted(CORPUS.glob("*.txt"))[:limit]
    return [f.read_text(encoding="utf-8")[:6000] for f in files]


@pytest.mark.parametrize(("words", "prefixes"), HIGHLIGHTS)
def test_fast_scan_marks_what_the_walk_marks(words: list[str], prefixes: list[str]) -> None:
    pages = _pages(limit=65)
    assert sum(not p.isascii() for p in pages) >= 5  # pages with dashes, quotes, accents
    marked = 0
    for page in pages:
        fast = _match_spans(page, Highlighter(words, prefixes))
        assert fast == _match_spans_walk(page, Highlighter(words, prefixes))
        marked += len(fast)
    assert (marked > 0) == (words != ["tidakada"])


def test_tricky_boundaries_match_the_walk() -> None:
    text = "Ditetapkan_di x2014y 2014-20145 publik.Publik PUBLIKASI (penetapan)"
    highlighter = Highlighter(["penetapan", "2014", "publik"])
    spans = _match_spans(text, highlighter)
    assert spans == _match_spans_walk(text, Highlighter(["penetapan", "2014", "publik"]))
    assert [text[s:e] for s, e in spans] == [
        "Ditetapkan", "2014", "2014", "publik", "Publik", "penetapan",
    ]  # fmt: skip


def test_non_ascii_text_marks_whole_words_accents_folded() -> None:
    text = "Pelayanan publik di Kecamatan Juai — kafé pelayanan, Kafe “Désa” pelayanané"
    highlighter = Highlighter(["pelayanan", "kafe", "desa"])
    spans = _match_spans(text, highlighter)
    assert spans == _match_spans_walk(text, Highlighter(["pelayanan", "kafe", "desa"]))
    assert [text[s:e] for s, e in spans] == ["Pelayanan", "kafé", "pelayanan", "Kafe", "Désa"]
    # A letter whose lower case is longer ("İ" becomes two characters) is walked.
    text = "İzin pelayanan"
    assert [text[s:e] for s, e in _match_spans(text, Highlighter(["pelayanan"]))] == ["pelayanan"]


def test_personal_numbers_in_the_excerpt_are_masked_even_in_raw_text(tmp_path: Path) -> None:
    nik = "3201234567890123"
    nip = "19650217 199003 1 008"
    text = f"Daftar hadir sosialisasi inovasi: Budi NIK {nik}, Siti NIP {nip}. " * 3
    snippet = make_snippet(text, Highlighter(["sosialisasi"]))
    assert "<mark>sosialisasi</mark>" in snippet
    assert nik not in snippet and "19650217" not in snippet
    assert "****************" in snippet


def test_a_shared_highlighter_marks_a_word_however_it_was_first_decided() -> None:
    # One highlighter serves every search of a query: a word first decided on a page with
    # accents ("Kafé", folded to "kafe"), or by the word-by-word walk ("İ" pages), must still
    # be marked on a plain ASCII page afterwards.
    highlighter = Highlighter(["kafe", "desa"])
    assert _match_spans("Kafé di desa", highlighter)
    assert _match_spans("İzin kafe dan desa", highlighter)
    text = "Kafe desa"
    assert [text[s:e] for s, e in _match_spans(text, highlighter)] == ["Kafe", "desa"]


def test_a_shared_highlighter_stops_remembering_past_its_limit() -> None:
    from indexer import snippets

    highlighter = Highlighter(["desa"])
    words = [f"kata{n}" for n in range(snippets.MEMO_WORDS + 500)]
    _match_spans(" ".join(words) + " desa", highlighter)
    assert len(highlighter._seen) <= snippets.MEMO_WORDS
    text = "desa baru " + words[-1]
    assert [text[s:e] for s, e in _match_spans(text, highlighter)] == ["desa"]
