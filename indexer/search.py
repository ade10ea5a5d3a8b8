"""`SearchIndex`: the Whoosh implementation of `indexer.search_backend.SearchBackend`.

Single writer: exactly one process (the archive's background worker) calls `add`, `update`,
`delete` and `rebuild`; any number of processes and threads call `search`, which opens a fresh
searcher each time, so a commit or a rebuild swap is visible to the next query. Calls block
(pure Python, holds the GIL): run them in a thread from async code.

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

import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    # Old Whoosh code trips SyntaxWarning/DeprecationWarning on new Pythons; keep logs clean.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index
    from whoosh import query as wq
    from whoosh.index import LockError
    from whoosh.searching import Searcher

from indexer import generations
from indexer.analysis import normalize_text
from indexer.identifiers import MIN_PREFIX_LENGTH, extract_identifiers, own_number
from indexer.identifiers import compact as compact_number
from indexer.query import (
    MAX_QUERY_LENGTH,
    Clause,
    Identifier,
    ParsedQuery,
    Phrase,
    Prefix,
    QueryTooLong,
    Term,
    Word,
    parse_query,
)
from indexer.redact import mask_personal_numbers
from indexer.schema import INDEX_VERSION, build_schema
from indexer.search_backend import Document, IndexBusy, SearchHit, SearchResult
from indexer.snippets import Highlighter, make_snippet

__all__ = ["MAX_QUERY_LENGTH", "IndexBusy", "QueryTooLong", "SearchIndex"]

# Relative weights: the document's own number beats a citation of it, names beat body text.
NAME_BOOST = 2.0
OWN_NUMBER_BOOST = 12.0
CITED_NUMBER_BOOST = 3.0
WRITER_TIMEOUT_S = 30.0
WRITER_MEMORY_MB = 128
REBUILD_MEMORY_MB = 256
MAX_LIMIT = 200
# Deep pages cost a heap of offset+limit hits; nobody reads past this.
MAX_OFFSET = 10_000
PROGRESS_EVERY = 200
# Spelling: at most this many candidate words are checked against the caller's documents,
# for at most this many unknown query words (each lookup walks the vocabulary).
MAX_SUGGESTION_CHECKS = 12
MAX_SUGGESTED_WORDS = 5


def _to_fields(doc: Document) -> dict[str, Any]:
    """Whoosh fields of one document; NIK/NIP are masked before anything is stored."""
    text = mask_personal_numbers(normalize_text(doc.get("text") or ""))
    is_evidence = doc.get("type", "evidence") == "evidence"
    number = doc.get("number") if is_evidence else None
    own = compact_number(number) if number else None
    if is_evidence and not own and doc.get("page", 1) == 1:
        own = own_number(text)  # no detected number: trust the heading of page 1
    names = " ".join(str(doc.get(k) or "") for k in ("filename", "innovation_name"))
    fields: dict[str, Any] = {
        "doc_id": str(doc["doc_id"]),
        "type": "evidence" if is_evidence else "innovation",
        "innovation_id": str(doc["innovation_id"]),
        "innovation_name": doc.get("innovation_name"),
        "text": text,
        "exact": text,
        "name": names,
        "ident": " ".join(extract_identifiers(text)),
        "published": "1" if doc.get("published") else "0",
    }
    if is_evidence:
        fields["evidence_id"] = str(doc["evidence_id"])
        fields["page"] = doc.get("page")
        fields["filename"] = doc.get("filename")
        fields["number_text"] = number
    if own:
        fields["number"] = own
    for key in ("indicator", "unit", "year", "kind", "status"):
        if doc.get(key) not in (None, ""):
            fields[key] = str(doc[key])
    return fields


def _term_query(term: Term) -> wq.Query | None:
    """The Whoosh query of one term; None when nothing is left to search."""
    if isinstance(term, Word):
        subs: list[wq.Query] = [wq.Term("text", s) for s in term.stems]
        subs += [wq.Term("name", s, boost=NAME_BOOST) for s in term.stems]
        return wq.Or(subs)
    if isinstance(term, Phrase):
        if len(term.words) == 1:
            return wq.Term("exact", term.words[0])
        return wq.Phrase("exact", list(term.words))
    if isinstance(term, Prefix):
        return wq.Prefix("exact", term.prefix)
    if isinstance(term, Identifier):
        subs = [
            wq.Term("number", term.key, boost=OWN_NUMBER_BOOST),
            wq.Term("ident", term.key, boost=CITED_NUMBER_BOOST),
        ]
        if len(term.key) >= MIN_PREFIX_LENGTH:
            subs += [
                wq.Prefix("number", term.key, boost=OWN_NUMBER_BOOST / 2),
                wq.Prefix("ident", term.key),
            ]
        if len(term.words) > 1:
            subs.append(wq.Phrase("exact", list(term.words)))
        elif term.words:
            subs.append(wq.Term("exact", term.words[0]))
        return wq.Or(subs)
    return None


def _clause_query(clause: Clause) -> wq.Query | None:
    subs = [q for q in (_term_query(t) for t in clause.alternatives) if q is not None]
    if not subs:
        return None
    return subs[0] if len(subs) == 1 else wq.Or(subs)


def _main_query(parsed: ParsedQuery, *, require_all: bool) -> wq.Query | None:
    """Positive clauses ANDed (or ORed for the fallback), minus the negated ones."""
    positive = [q for q in (_clause_query(c) for c in parsed.positive) if q is not None]
    if not positive:
        return None
    main: wq.Query = wq.And(positive) if require_all else wq.Or(positive)
    negative = [q for q in (_clause_query(c) for c in parsed.negative) if q is not None]
    if negative:
        main = wq.AndNot(main, wq.Or(negative))
    return main


def _filter_query(
    allowed_innovation_ids: set[int] | None,
    only_published: bool,
    filters: dict[str, Any],
) -> wq.Query | None:
    """Permission and facet restrictions, as one query ANDed into every search."""
    parts: list[wq.Query] = []
    if allowed_innovation_ids is not None:
        ids = sorted(allowed_innovation_ids)
        parts.append(wq.Or([wq.Term("innovation_id", str(i)) for i in ids]))
    if only_published:
        parts.append(wq.Term("published", "1"))
    for key, value in filters.items():
        if value not in (None, ""):
            parts.append(wq.Term(key, str(value)))
    if not parts:
        return None
    # Zero score: restrictions must not change the ranking, only what may be seen.
    return wq.ConstantScoreQuery(wq.And(parts), score=0.0)


def _restricted(main: wq.Query, restriction: wq.Query | None) -> wq.Query:
    # The restriction goes *inside* the query, so every count (total, suggestion checks) honours
    # it; Whoosh's separate `filter=` is not applied when it re-counts a block-skipping search.
    return main if restriction is None else wq.And([main, restriction])


def _collect(searcher: Searcher, query: wq.Query, limit: int) -> Any:
    """Top ``limit`` hits; ``len()`` of the result is the exact total.

    Keep Whoosh's default optimisation on: with it the total is recounted over the whole
    (restricted) query. Without it Whoosh counts while collecting, after pruning matchers that
    cannot reach the top ``limit``, and reports too few (58 instead of 873 in a test).
    """
    return searcher.search(query, limit=max(1, limit))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SearchIndex:
    """Whoosh full-text index of evidence pages and innovation profiles at one folder."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        self.root = Path(root)
        self._create = create
        self._write_lock = threading.RLock()
        self._ix: Any = None
        self._folder: Path | None = None
        self.needs_rebuild = False
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
            self._open_current()

    @property
    def version(self) -> dict[str, Any] | None:
        """The schema/analyzer version recorded by the live index."""
        return generations.read_version(self._folder) if self._folder else None

    def close(self) -> None:
        """Release the index (files are reopened on the next call)."""
        if self._ix is not None:
            self._ix.close()
        self._ix = None
        self._folder = None

    def doc_count(self) -> int:
        """Number of indexed documents (pages and profiles)."""
        self._refresh()
        return self._ix.doc_count() if self._ix is not None else 0

    # -- writing ----------------------------------------------------------------------------

    def _writer(self, **kwargs: Any) -> Any:
        try:
            return self._ix.writer(timeout=WRITER_TIMEOUT_S, **kwargs)
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
            writer = self._writer(limitmb=WRITER_MEMORY_MB)
            try:
                evidence_ids = {d["evidence_id"] for d in docs if d.get("type") != "innovation"}
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
            writer = self._writer()
            try:
                for field, value in terms:
                    writer.delete_by_term(field, value)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise

    def rebuild(
        self, docs: Iterable[Document], progress: Callable[[int], Any] | None = None
    ) -> int:
        """Build a complete new index from ``docs`` in a new folder, then swap it in."""
        with self._write_lock:
            folder = generations.new_generation(self.root)
            try:
                ix = whoosh_index.create_in(str(folder), build_schema())
                writer = ix.writer(limitmb=REBUILD_MEMORY_MB)
                count = 0
                try:
                    for doc in docs:
                        writer.add_document(**_to_fields(doc))
                        count += 1
                        if progress is not None and count % PROGRESS_EVERY == 0:
                            progress(count)
                    writer.commit(optimize=True)
                except BaseException:
                    writer.cancel()
                    raise
                generations.write_version(folder, INDEX_VERSION)
                ix.close()
            except BaseException:
                generations.remove_folder(folder)
                raise
            if self._ix is not None:
                self._ix.close()
            generations.activate(self.root, folder)
            self._open_current()
            if progress is not None:
                progress(count)
            return count

    # -- reading ----------------------------------------------------------------------------

    def _searcher(self) -> Iterator[Searcher]:
        """A fresh searcher; retries once if a rebuild removed the folder under us."""
        for attempt in range(3):
            self._refresh()
            if self._ix is None:
                return
            try:
                searcher = self._ix.searcher()
            except (FileNotFoundError, OSError):
                if attempt == 2:
                    raise
                time.sleep(0.05)
                self._folder = None
                continue
            try:
                yield searcher
            finally:
                searcher.close()
            return

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
        empty: SearchResult = {"total": 0, "suggestion": None, "matched": "all", "hits": []}
        if allowed_innovation_ids is not None and not allowed_innovation_ids:
            return empty
        limit = max(0, min(int(limit), MAX_LIMIT))
        offset = max(0, min(int(offset), MAX_OFFSET))
        filters = {"year": year, "unit": unit, "indicator": indicator, "kind": kind,
                   "type": doc_type}  # fmt: skip
        restriction = _filter_query(allowed_innovation_ids, only_published, filters)
        main = _main_query(parsed, require_all=True)
        if main is None:
            return empty
        for searcher in self._searcher():
            return self._run(searcher, parsed, main, restriction, limit, offset)
        return empty

    def _run(
        self,
        searcher: Searcher,
        parsed: ParsedQuery,
        main: wq.Query,
        restriction: wq.Query | None,
        limit: int,
        offset: int,
    ) -> SearchResult:
        matched = "all"
        results = _collect(searcher, _restricted(main, restriction), offset + limit)
        total = len(results)
        suggestion = None
        if total == 0:
            suggestion = self._suggest(searcher, parsed, restriction)
            if len(parsed.positive) > 1:
                fallback = _main_query(parsed, require_all=False)
                if fallback is not None:
                    results = _collect(searcher, _restricted(fallback, restriction), offset + limit)
                    total = len(results)
                    matched = "any"
        highlighter = Highlighter(
            parsed.words(),
            [t.prefix for c in parsed.positive for t in c.alternatives if isinstance(t, Prefix)],
        )
        hits = [self._hit(hit, highlighter) for hit in list(results)[offset : offset + limit]]
        return {"total": total, "suggestion": suggestion, "matched": matched, "hits": hits}

    @staticmethod
    def _hit(hit: Any, highlighter: Highlighter) -> SearchHit:
        fields = hit.fields()
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
            "score": round(float(hit.score or 0.0), 4),
            "snippet": make_snippet(fields.get("text") or "", highlighter),
        }

    def _suggest(
        self, searcher: Searcher, parsed: ParsedQuery, restriction: wq.Query | None
    ) -> str | None:
        """A corrected query built only from words the caller's own documents contain."""
        reader = searcher.reader()
        changed = False
        words: list[str] = []
        budget = MAX_SUGGESTED_WORDS
        for clause in parsed.positive:
            term = clause.alternatives[0]
            if not isinstance(term, Word):
                words.extend(_display(term))
                continue
            visible = _collect(searcher, _restricted(wq.Term("exact", term.word), restriction), 1)
            if len(visible) > 0 or not term.word.isalpha() or len(term.word) < 4 or budget <= 0:
                words.append(term.word)
                continue
            budget -= 1
            replacement = None
            for maxdist in (1, 2) if len(term.word) >= 7 else (1,):
                # Rank candidates by how many of the caller's documents hold them, never by
                # index-wide counts, which would leak what others' documents contain.
                candidates = sorted(reader.terms_within("exact", term.word, maxdist, prefix=1))
                best = 0
                for candidate in candidates[:MAX_SUGGESTION_CHECKS]:
                    probe = _restricted(wq.Term("exact", candidate), restriction)
                    seen = len(_collect(searcher, probe, 1))
                    if seen > best:
                        replacement, best = candidate, seen
                if replacement:
                    break
            words.append(replacement or term.word)
            changed = changed or replacement is not None
        return " ".join(words) if changed else None


def _display(term: Term) -> list[str]:
    if isinstance(term, Phrase):
        return ['"' + " ".join(term.words) + '"']
    if isinstance(term, Prefix):
        return [term.prefix + "*"]
    if isinstance(term, Identifier):
        return [" ".join(term.words) or term.key]
    return [term.word]
