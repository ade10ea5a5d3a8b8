"""`ArraySegmentWriter` writes the segment Whoosh's own writer writes, term by term.

A rebuild's segments come from `ArraySegmentWriter`; updates and merges still go through
Whoosh's `SegmentWriter`. Both must leave the same terms, postings, block statistics, stored
fields and lengths, or scores would shift after the first rebuild.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer import array_writer
from indexer.array_writer import ArraySegmentWriter
from indexer.codec import ArrayCodec, block_postings
from indexer.schema import build_schema
from indexer.search import _to_fields

from .test_search_relevance import documents, load_labels

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index
    from whoosh.fields import NUMERIC, TEXT, Schema

# Small blocks, so common words span many blocks and the block statistics are compared too.
BLOCK = 128


@pytest.fixture(scope="module")
def pages() -> list[dict[str, Any]]:
    """The 65 real documents cut into pages, with their numbers; some pages without text."""
    docs = documents(load_labels(), with_number=True)
    for doc in docs[::50]:
        doc["text"] = ""
    return [_to_fields(doc) for doc in docs]


def _build(folder: Path, pages: list[dict[str, Any]], writer_of: Any) -> Iterator[Any]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = writer_of(ix)
    for fields in pages:
        writer.add_document(**fields)
    writer.commit()
    with ix.reader() as reader:
        yield reader
    ix.close()


def _whoosh(ix: Any) -> Any:
    return ix.writer(codec=ArrayCodec(blocklimit=BLOCK), compound=False)


def _arrays(limitmb: int) -> Any:
    def make(ix: Any) -> Any:
        return ArraySegmentWriter(
            ix, codec=ArrayCodec(blocklimit=BLOCK), compound=False, limitmb=limitmb
        )

    return make


def _stats(info: Any) -> tuple[Any, ...]:
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


def _blocks(matcher: Any) -> list[tuple[Any, ...]]:
    """Each block's page numbers, weights, frequencies and statistics."""
    out = []
    while matcher.is_active():
        ids, weights, freqs = [], [], []
        stats = (
            matcher.block_min_length(),
            matcher.block_max_length(),
            matcher.block_max_weight(),
        )
        last = matcher.block_max_id()
        while matcher.is_active() and matcher.id() <= last:
            ids.append(matcher.id())
            weights.append(matcher.weight())
            freqs.append(matcher.value_as("frequency"))
            matcher.next()
        out.append((stats, ids, weights, freqs))
    return out


def _postings(reader: Any, field: str, text: bytes) -> tuple[list[int], list[float]]:
    found = block_postings(reader.postings(field, text), reader.doc_frequency(field, text))
    assert found is not None
    return found[0].tolist(), found[1].tolist()


def assert_same_segment(expected: Any, actual: Any) -> None:
    assert actual.doc_count_all() == expected.doc_count_all()
    terms = list(expected.all_terms())
    assert list(actual.all_terms()) == terms
    for field, text in terms:
        info = expected.term_info(field, text)
        assert _stats(actual.term_info(field, text)) == _stats(info)
        assert _postings(actual, field, text) == _postings(expected, field, text)
        if info.doc_frequency() > BLOCK:  # several blocks: walk them through Whoosh's matcher
            assert _blocks(actual.postings(field, text)) == _blocks(expected.postings(field, text))
    scorable = list(expected.schema.scorable_names())
    for field in scorable:
        assert actual.field_length(field) == expected.field_length(field)
        assert actual.max_field_length(field) == expected.max_field_length(field)
    for docnum in range(expected.doc_count_all()):
        assert actual.stored_fields(docnum) == expected.stored_fields(docnum)
        for field in scorable:
            assert actual.doc_field_length(docnum, field) == expected.doc_field_length(
                docnum, field
            )


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory, pages: list[dict[str, Any]]) -> Any:
    """The segment Whoosh's own writer makes of the pages."""
    yield from _build(tmp_path_factory.mktemp("whoosh") / "index", pages, _whoosh)


@pytest.mark.parametrize("limitmb", [128, 1], ids=["in memory", "many runs"])
def test_the_segment_equals_whooshs_own(
    tmp_path: Path,
    pages: list[dict[str, Any]],
    expected: Any,
    limitmb: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(list(expected.all_terms())) > 10_000  # real text, not a toy vocabulary
    # Runs read back in small chunks, so words and posting lists straddle chunk boundaries.
    monkeypatch.setattr(array_writer, "_CHUNK_POSTINGS", 7)
    monkeypatch.setattr(array_writer, "_CHUNK_TERMS", 5)
    for actual in _build(tmp_path / "arrays", pages, _arrays(limitmb)):
        assert_same_segment(expected, actual)


def test_runs_are_written_when_the_buffer_is_full_and_removed_after(
    tmp_path: Path, pages: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ArraySegmentWriter(ix, codec=ArrayCodec(), compound=False, limitmb=1)
    for fields in pages[:300]:
        writer.add_document(**fields)
    runs = [p for p in folder.iterdir() if p.name.startswith(".runs-")]
    assert len(runs) == 1 and len(list(runs[0].iterdir())) >= 2
    writer.commit()
    assert not [p for p in folder.iterdir() if p.name.startswith(".runs-")]

    writer = ArraySegmentWriter(ix, codec=ArrayCodec(), compound=False, limitmb=1)
    for fields in pages[:300]:
        writer.add_document(**fields)
    writer.cancel()
    assert not [p for p in folder.iterdir() if p.name.startswith(".runs-")]
    assert ix.doc_count_all() == 300


def test_what_the_writer_cannot_write_is_refused(tmp_path: Path) -> None:
    positions = Schema(body=TEXT(phrase=True))
    ix = whoosh_index.create_in(str(tmp_path), positions)
    with pytest.raises(TypeError, match="body"):
        ArraySegmentWriter(ix)
    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT(phrase=False), n=NUMERIC()))
    writer = ArraySegmentWriter(ix)
    with pytest.raises(ValueError, match="boost"):
        writer.add_document(body="satu", _boost=2.0)
    with pytest.raises(NotImplementedError):
        writer.add_reader(ix.reader())
    writer.cancel()
