"""`SearchIndex`: the Whoosh implementation of `indexer.search_backend.SearchBackend`.

Single writer: exactly one process (the archive's background worker) calls `add`, `update`,
`delete` and `rebuild`; any number of processes and threads call `search`. Each thread keeps
one open searcher and reuses it until the index changes (a commit, seen through Whoosh's TOC
generation, or a rebuild swap, seen through the generation pointer), so a change is still
visible to the next query while an unchanged index is not reopened for every query. Calls
block (pure Python, holds the GIL): run them in a thread from async code.

Worker::

    index = SearchIndex.open(data_dir / "index")         # creates it when missing
    if index.needs_rebuild:                                # new, unreadable, or old version
        index.rebuild(all_documents_from_db(), progress=bar.update)
    for job in outbox:                                     # idempotent, replay-safe
        index.update(job.pages) or index.delete(evidence_ids=[job.evidence_id])

Web process::

    index = SearchIndex.open(data_dir / "index", create=False)
    index.search(q, allowed_innovation_ids=ids_or_None, only_published=anonymous, ...)
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np

with warnings.catch_warnings():
    # Old Whoosh code trips SyntaxWarning/DeprecationWarning on new Pythons; keep logs clean.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index
    from whoosh.index import LockError
    from whoosh.searching import Searcher

from indexer import generations, phrases
from indexer.array_writer import ArraySegmentWriter
from indexer.codec import ArrayCodec, ParallelWriter, pin_columns, stored_fields
from indexer.evaluate import LengthsCache, count, rank
from indexer.fields import prepare
from indexer.malloc import keep_freed_memory
from indexer.plan import Leaf, Node, build_plan
from indexer.query import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    QueryTooLong,
    Word,
    display,
    parse_query,
)
from indexer.restriction import RestrictionCache, RestrictionKey, restriction_key
from indexer.schema import INDEX_VERSION, build_schema
from indexer.search_backend import (
    MAX_LIMIT,
    MAX_OFFSET,
    Document,
    EvidencePage,
    IndexBusy,
    SearchHit,
    SearchResult,
    no_results,
)
from indexer.snippets import Highlighter, highlighter_for, make_snippet
from indexer.spelling import WordLists, similar_words

__all__ = ["MAX_QUERY_LENGTH", "IndexBusy", "QueryTooLong", "SearchIndex"]

WRITER_TIMEOUT_S = 30.0
WRITER_MEMORY_MB = 128
REBUILD_MEMORY_MB = 256
# A large rebuild runs its analysis and posting writing in this many processes (one segment
# each, written by `ArraySegmentWriter`, which writes its buffered postings to a run on disk
# past `PARALLEL_MEMORY_MB`); small ones stay in-process.
REBUILD_PROCS = min(2, os.cpu_count() or 1)
PARALLEL_REBUILD_MIN_DOCS = 5_000
PARALLEL_MEMORY_MB = 128
# Segments stay separate files instead of one compound file: a reader opens a compound file
# through a memory map that Whoosh then *copies* whole (terms, postings) into memory, so every
# open reader held a private copy of most of the index (~0.8 GB at 100,000 pages).
COMPOUND = False
PROGRESS_EVERY = 200
# Spelling: at most this many candidate words are checked against the caller's documents,
# for at most this many unknown query words (each lookup walks the vocabulary).
MAX_SUGGESTION_CHECKS = 12
MAX_SUGGESTED_WORDS = 5


def _to_fields(doc: Document) -> dict[str, Any]:
    """Whoosh fields of one document; NIK/NIP are masked before anything is stored."""
    prepared = prepare(doc)
    fields: dict[str, Any] = {
        "doc_id": prepared.doc_id,
        "type": prepared.type,
        "innovation_id": str(prepared.innovation_id),
        "innovation_name": prepared.innovation_name,
        "text": prepared.text,
        "exact": prepared.text,
        "pairs": prepared.text,
        "name": prepared.names,
        "ident": " ".join(prepared.cited_numbers),
        "published": "1" if prepared.published else "0",
    }
    if prepared.evidence_id is not None:
        fields["evidence_id"] = str(prepared.evidence_id)
        fields["page"] = prepared.page
        fields["filename"] = prepared.filename
        fields["number_text"] = prepared.number_text
    if prepared.own_number:
        fields["number"] = prepared.own_number
    fields.update(prepared.filters)
    return fields


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _close_all(searchers: dict[int, Searcher]) -> None:
    """Close and forget the searchers of ``searchers`` (emptied in place)."""
    items = list(searchers.values())
    searchers.clear()
    for searcher in items:
        with contextlib.suppress(Exception):  # already closed, or its files are gone
            searcher.close()


def _chain(head: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    yield from head
    yield from rest


class SearchIndex:
    """Whoosh full-text index of evidence pages and innovation profiles at one folder."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        keep_freed_memory()  # a search's temporary arrays would page-fault (indexer.malloc)
        self.root = Path(root)
        self._create = create
        self._write_lock = threading.RLock()
        # Guards following a rebuild swap (`_ix`/`_folder`) and the searcher registry.
        self._open_lock = threading.RLock()
        self._ix: Any = None
        self._folder: Path | None = None
        # One reusable searcher per thread (Whoosh searchers are not shared between threads).
        self._local = threading.local()
        self._searchers: dict[int, Searcher] = {}
        self._restrictions = RestrictionCache()
        self._lengths = LengthsCache()
        self._words = WordLists()
        self.needs_rebuild = False
        # An index dropped without `close` still closes its searchers' files.
        weakref.finalize(self, _close_all, self._searchers)
        self._open_current()

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> SearchIndex:
        """Open the index at ``path``; create an empty one if missing (only the writer should).

        Readers (web processes) pass ``create=False``: until the writer has made the index they
        find nothing, then pick it up on their next search.
        """
        return cls(Path(path), create=create)

    # -- opening and versions -------------------------------------------------------------

    def _open_current(self) -> None:
        if self._create:
            # The writer sweeps what a killed rebuild left beside the live index.
            generations.remove_abandoned(self.root)
        folder = generations.current(self.root)
        if folder is None and not self._create:
            self._ix, self._folder, self.needs_rebuild = None, None, True
            return
        if folder is None:
            # A fresh index is empty: the database may hold documents, so ask for a rebuild.
            folder = generations.new_generation(self.root)
            whoosh_index.create_in(str(folder), build_schema())
            generations.write_version(folder, INDEX_VERSION)
            generations.activate(self.root, folder)
            self.needs_rebuild = True
        else:
            self.needs_rebuild = generations.read_version(folder) != INDEX_VERSION
        self._folder = folder
        try:
            self._ix = whoosh_index.open_dir(str(folder))
        except Exception:
            # Unreadable or foreign index: searches return nothing until `rebuild`.
            self._ix = None
            self.needs_rebuild = True

    def _refresh(self) -> None:
        """Follow a rebuild swapped in by another process (or another instance)."""
        if generations.current(self.root) != self._folder:
            with self._open_lock:
                if generations.current(self.root) != self._folder:
                    self._open_current()
                    self._restrictions.clear()
                    self._lengths.clear()
                    self._words.clear()

    @property
    def version(self) -> dict[str, Any] | None:
        """The schema/analyzer version recorded by the live index."""
        return generations.read_version(self._folder) if self._folder else None

    def close(self) -> None:
        """Release the index and the cached searchers (files are reopened on the next call)."""
        with self._open_lock:
            self._close_searchers()
            if self._ix is not None:
                self._ix.close()
            self._ix = None
            self._folder = None
            self._restrictions.clear()
            self._lengths.clear()
            self._words.clear()

    def _close_searchers(self) -> None:
        """Close every thread's cached searcher; each thread opens a new one when it next asks."""
        with self._open_lock:
            _close_all(self._searchers)

    def doc_count(self) -> int:
        """Number of indexed documents (pages and profiles)."""
        self._refresh()
        return self._ix.doc_count() if self._ix is not None else 0

    # -- writing ----------------------------------------------------------------------------

    def _writer(self, **kwargs: Any) -> Any:
        try:
            return self._ix.writer(timeout=WRITER_TIMEOUT_S, codec=ArrayCodec(), **kwargs)
        except LockError as exc:
            raise IndexBusy("another process holds the search index writer") from exc

    def doc_ids(self) -> set[str]:
        """Every document id in the live index (for consistency checks)."""
        self._refresh()
        if self._ix is None:
            return set()
        with self._ix.searcher() as searcher:
            return {fields["doc_id"] for fields in searcher.all_stored_fields()}

    def update(self, docs: Iterable[Document]) -> int:
        """Add or replace documents; an evidence's pages in the batch replace all its pages."""
        docs = list(docs)
        if not docs:
            return 0
        with self._write_lock:
            self._refresh()
            if self._ix is None:
                raise IndexBusy("the search index is unreadable; rebuild it")
            writer = self._writer(limitmb=WRITER_MEMORY_MB, compound=COMPOUND)
            try:
                evidence_ids = {
                    cast(EvidencePage, d)["evidence_id"]
                    for d in docs
                    if d.get("type") != "innovation"
                }
                for evidence_id in evidence_ids:
                    writer.delete_by_term("evidence_id", str(evidence_id))
                for doc in docs:
                    writer.update_document(**_to_fields(doc))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        return len(docs)

    add = update

    def delete(
        self,
        doc_ids: Iterable[str] = (),
        *,
        evidence_ids: Iterable[int] = (),
        innovation_ids: Iterable[int] = (),
    ) -> None:
        """Remove documents by id, whole evidences (all pages), or whole innovations."""
        terms = [("doc_id", str(d)) for d in doc_ids]
        terms += [("evidence_id", str(e)) for e in evidence_ids]
        terms += [("innovation_id", str(i)) for i in innovation_ids]
        if not terms:
            return
        with self._write_lock:
            self._refresh()
            if self._ix is None:
                return
            writer = self._writer(compound=COMPOUND)
            try:
                for field, value in terms:
                    writer.delete_by_term(field, value)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise

    def rebuild(
        self,
        docs: Iterable[Document],
        progress: Callable[[int], Any] | None = None,
        *,
        procs: int | None = None,
    ) -> int:
        """Build a complete new index from ``docs`` in a new folder, then swap it in.

        Up to `PARALLEL_REBUILD_MIN_DOCS` documents are buffered: a smaller rebuild is written
        in-process into one segment; a larger one by ``procs`` (default `REBUILD_PROCS`) forked
        worker processes, one segment each (not merged afterwards: merging costs as much as the
        parallel part saves). Segments are written by `ArraySegmentWriter` (postings as
        arrays); later updates and merges by Whoosh's own writer. A long-running,
        many-threaded caller (the server) passes ``procs=1``: forking such a process is not
        worth the risk.
        """
        procs = REBUILD_PROCS if procs is None else max(1, procs)
        with self._write_lock:
            folder = generations.new_generation(self.root)
            try:
                ix = whoosh_index.create_in(str(folder), build_schema())
                iterator = iter(docs)
                head: list[Document] = []
                for doc in iterator:
                    head.append(doc)
                    if len(head) >= PARALLEL_REBUILD_MIN_DOCS:
                        break
                parallel = procs > 1 and len(head) >= PARALLEL_REBUILD_MIN_DOCS
                if parallel:
                    writer = ParallelWriter(
                        ix,
                        procs,
                        ArraySegmentWriter,
                        limitmb=PARALLEL_MEMORY_MB,
                        compound=COMPOUND,
                        codec=ArrayCodec(),
                    )
                else:
                    writer = ArraySegmentWriter(
                        ix, limitmb=REBUILD_MEMORY_MB, compound=COMPOUND, codec=ArrayCodec()
                    )
                count = 0
                try:
                    for doc in _chain(head, iterator):
                        writer.add_document(**_to_fields(doc))
                        count += 1
                        if progress is not None and count % PROGRESS_EVERY == 0:
                            progress(count)
                    writer.commit(optimize=not parallel)
                except BaseException:
                    writer.cancel()
                    raise
                written = ix.doc_count_all()
                if written != count:
                    # A worker process failed: Whoosh would silently drop its segment.
                    raise RuntimeError(f"rebuild wrote {written} of {count} documents")
                generations.write_version(folder, INDEX_VERSION)
                ix.close()
            except BaseException:
                generations.remove_folder(folder)
                raise
            with self._open_lock:
                self._close_searchers()
                if self._ix is not None:
                    self._ix.close()
                generations.activate(self.root, folder)
                self._open_current()
                self._restrictions.clear()
                self._lengths.clear()
                self._words.clear()
            if progress is not None:
                progress(count)
            return count

    # -- reading ----------------------------------------------------------------------------

    def _searcher(self) -> Iterator[Searcher]:
        """This thread's searcher, reopened only when the index changed.

        A commit gives Whoosh a new TOC generation (`Searcher.up_to_date`); a rebuild swap gives
        a new `_ix`. Retries if a rebuild or merge removed files under us.
        """
        for attempt in range(3):
            self._refresh()
            ix = self._ix
            if ix is None:
                return
            try:
                searcher = self._current_searcher(ix)
            except (FileNotFoundError, OSError):
                self._drop_searcher()
                if attempt == 2:
                    raise
                time.sleep(0.05)
                self._folder = None
                continue
            yield searcher
            return

    def _current_searcher(self, ix: Any) -> Searcher:
        local = self._local
        searcher: Searcher | None = getattr(local, "searcher", None)
        key = threading.get_ident()
        stale = searcher is not None and (
            local.ix is not ix or self._searchers.get(key) is not searcher
        )
        if stale:
            self._drop_searcher()  # the index was swapped or closed since
            searcher = None
        if searcher is not None:
            if searcher.up_to_date():
                return searcher
            # Not `Searcher.refresh()`: its reader reuse keeps a segment's old deletions and
            # re-adds merged-away segments (Whoosh 2.7), so open a whole new searcher.
            self._drop_searcher()
        searcher = ix.searcher()
        try:
            pin_columns(searcher)
        except BaseException:
            searcher.close()
            raise
        local.searcher, local.ix = searcher, ix
        with self._open_lock:
            self._searchers[key] = searcher
            # Threads that ended leave their searcher behind: close those now.
            alive = {thread.ident for thread in threading.enumerate()}
            ended = {k: s for k, s in self._searchers.items() if k not in alive}
            for k in ended:
                del self._searchers[k]
        _close_all(ended)
        return searcher

    def _drop_searcher(self) -> None:
        local = self._local
        searcher = getattr(local, "searcher", None)
        local.searcher = local.ix = None
        with self._open_lock:
            if self._searchers.get(threading.get_ident()) is searcher:
                del self._searchers[threading.get_ident()]
        if searcher is not None:
            with contextlib.suppress(Exception):  # already closed (e.g. by `close`)
                searcher.close()

    def search(
        self,
        query: str,
        *,
        allowed_innovation_ids: set[int] | None,
        only_published: bool = False,
        year: int | None = None,
        unit: str | None = None,
        indicator: str | None = None,
        kind: str | None = None,
        doc_type: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResult:
        """Search what the caller may see; raises only `QueryTooLong`.

        ``doc_type`` keeps only ``"evidence"`` pages or ``"innovation"`` profiles.
        """
        parsed = parse_query(query)
        empty = no_results()
        if allowed_innovation_ids is not None and not allowed_innovation_ids:
            return empty
        limit = max(0, min(int(limit), MAX_LIMIT))
        offset = max(0, min(int(offset), MAX_OFFSET))
        filters = {"year": year, "unit": unit, "indicator": indicator, "kind": kind,
                   "type": doc_type}  # fmt: skip
        key = restriction_key(allowed_innovation_ids, only_published, filters)
        plan = build_plan(parsed, require_all=True)
        if plan is None:
            return empty
        for searcher in self._searcher():
            return self._run(searcher, parsed, plan, key, limit, offset)
        return empty

    def _allowed(self, key: RestrictionKey | None) -> Callable[[Any], Any]:
        """Per segment reader: the pages the caller may see, or None for all of them."""
        if key is None:
            return lambda reader: None
        return lambda reader: self._restrictions.ids(reader, key)

    def _run(
        self,
        searcher: Searcher,
        parsed: ParsedQuery,
        plan: Node,
        key: RestrictionKey | None,
        limit: int,
        offset: int,
    ) -> SearchResult:
        allowed = self._allowed(key)
        matched = "all"
        keep = _phrase_filter(searcher, parsed)
        ranked = rank(searcher, plan, allowed, self._lengths, offset + limit, keep)
        suggestion = None
        if ranked.total == 0:
            suggestion = self._suggest(searcher, parsed, allowed)
            if len(parsed.positive) > 1:
                fallback = build_plan(parsed, require_all=False)
                if fallback is not None:
                    ranked = rank(searcher, fallback, allowed, self._lengths, offset + limit)
                    matched = "any"
        highlighter = highlighter_for(tuple(parsed.words()), tuple(parsed.prefixes()))
        hits = [
            self._hit(searcher, docnum, score, highlighter)
            for docnum, score in ranked.top[offset : offset + limit]
        ]
        return {"total": ranked.total, "estimated": ranked.estimated, "suggestion": suggestion,
                "matched": matched, "hits": hits}  # fmt: skip

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float, highlighter: Highlighter) -> SearchHit:
        fields = stored_fields(searcher, docnum)
        return {
            "type": fields.get("type", "evidence"),
            "doc_id": fields["doc_id"],
            "evidence_id": _int_or_none(fields.get("evidence_id")),
            "innovation_id": int(fields["innovation_id"]),
            "innovation_name": fields.get("innovation_name"),
            "filename": fields.get("filename"),
            "indicator": fields.get("indicator"),
            "kind": fields.get("kind"),
            "unit": fields.get("unit"),
            "year": _int_or_none(fields.get("year")),
            "page": _int_or_none(fields.get("page")),
            "score": round(score, 4),
            "snippet": make_snippet(fields.get("text") or "", highlighter),
        }

    def _suggest(
        self, searcher: Searcher, parsed: ParsedQuery, allowed: Callable[[Any], Any]
    ) -> str | None:
        """A corrected query built only from words the caller's own documents contain."""
        changed = False
        words: list[str] = []
        budget = MAX_SUGGESTED_WORDS

        def visible(word: str) -> int:
            return count(searcher, Leaf("exact", word), allowed, self._lengths)

        for clause in parsed.positive:
            term = clause.alternatives[0]
            if not isinstance(term, Word):
                words.extend(display(term))
                continue
            if visible(term.word) or not term.word.isalpha() or len(term.word) < 4 or budget <= 0:
                words.append(term.word)
                continue
            budget -= 1
            replacement = None
            for maxdist in (1, 2) if len(term.word) >= 7 else (1,):
                # Rank candidates by how many of the caller's documents hold them, never by
                # index-wide counts, which would leak what others' documents contain.
                candidates = similar_words(searcher, self._words, "exact", term.word, maxdist)
                best = 0
                for candidate in candidates[:MAX_SUGGESTION_CHECKS]:
                    seen = visible(candidate)
                    if seen > best:
                        replacement, best = candidate, seen
                if replacement:
                    break
            words.append(replacement or term.word)
            changed = changed or replacement is not None
        return " ".join(words) if changed else None


def _phrase_filter(
    searcher: Searcher, parsed: ParsedQuery
) -> Callable[[np.ndarray], np.ndarray] | None:
    """For a query with a quoted phrase of 3+ words: keep the pages that hold it in order."""
    clauses = phrases.checked_clauses(parsed)
    if not clauses:
        return None

    def keep(docnums: np.ndarray) -> np.ndarray:
        kept = np.zeros(len(docnums), dtype=bool)
        for i, docnum in enumerate(docnums.tolist()):
            text = stored_fields(searcher, docnum).get("text") or ""
            kept[i] = all(
                any(phrases.contains_phrase(text, words) for words in clause) for clause in clauses
            )
        return kept

    return keep
