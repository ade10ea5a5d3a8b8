"""Baselines for the search benchmark: SQLite FTS5 and Tantivy fed *our* tokens.

Both get what our backends index (`indexer.fields.prepare` then `indexer.analysis.analyze`):
stems, unstemmed words (with positions, for phrases), names, the document's own number and the
numbers it cites, each in a field of its own, split on spaces only, so stemming, decree numbers
and stop words behave as in Whoosh and PostgreSQL. Queries are the same parsed query
(`indexer.query.parse_query`) translated field by field, with the same boosts, permissions in
the query, the exact total and our own snippet for each of the top 20. Tantivy (``pip install
tantivy``) is used here only.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indexer.analysis import analyze
from indexer.fields import prepare
from indexer.identifiers import MIN_PREFIX_LENGTH
from indexer.plan import CITED_NUMBER_BOOST, NAME_BOOST, OWN_NUMBER_BOOST
from indexer.query import Identifier, ParsedQuery, Phrase, Prefix, Word, parse_query
from indexer.snippets import Highlighter, highlighter_for, make_snippet

FIELDS = ("text", "exact", "name", "number", "ident")


def token_fields(doc: dict) -> dict[str, Any]:
    """The five token fields of a document, space-separated, plus what a hit shows."""
    prepared = prepare(doc)  # type: ignore[arg-type]
    tokens = list(analyze(prepared.text))
    return {
        "text": " ".join(s for t in tokens for s in t.stems),
        "exact": " ".join(t.word for t in tokens),
        "name": " ".join(s for t in analyze(prepared.names) for s in t.stems),
        "number": prepared.own_number or "",
        "ident": " ".join(prepared.cited_numbers),
        "doc_id": prepared.doc_id,
        "innovation_id": prepared.innovation_id,
        "body": prepared.text,
    }


def highlighter(parsed: ParsedQuery) -> Highlighter:
    """The highlighter our backends use (shared per query, as theirs is)."""
    return highlighter_for(tuple(parsed.words()), tuple(parsed.prefixes()))


# -- SQLite FTS5 ------------------------------------------------------------------------------


def _fts_term(term: Any) -> str | None:
    def q(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    if isinstance(term, Word):
        return " OR ".join(f"{f} : {q(s)}" for f in ("text", "name") for s in term.stems) or None
    if isinstance(term, Phrase):
        return f'exact : "{" ".join(term.words)}"' if term.words else None
    if isinstance(term, Prefix):
        return f"exact : {q(term.prefix)} *"
    if isinstance(term, Identifier):
        parts = [f"number : {q(term.key)}", f"ident : {q(term.key)}"]
        if len(term.key) >= MIN_PREFIX_LENGTH:
            parts += [f"number : {q(term.key)} *", f"ident : {q(term.key)} *"]
        if term.words:
            parts.append(f'exact : "{" ".join(term.words)}"')
        return " OR ".join(parts)
    return None


def fts_match(parsed: ParsedQuery) -> str | None:
    def clause(alternatives: Any) -> str | None:
        parts = [p for p in (_fts_term(t) for t in alternatives) if p]
        return "(" + " OR ".join(f"({p})" for p in parts) + ")" if parts else None

    positive = [c for c in (clause(c.alternatives) for c in parsed.positive) if c]
    if not positive:
        return None
    match = " AND ".join(positive)
    negative = [c for c in (clause(c.alternatives) for c in parsed.negative) if c]
    return f"({match}) NOT ({' OR '.join(negative)})" if negative else match


def build_fts5(docs: list[dict], path: Path) -> tuple[sqlite3.Connection, float]:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE pages USING fts5(text, exact, name, number, ident,"
        " doc_id UNINDEXED, innovation_id UNINDEXED, body UNINDEXED,"
        " tokenize = 'unicode61 remove_diacritics 0')"
    )
    start = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                tuple(f[k] for k in (*FIELDS, "doc_id", "innovation_id", "body"))
                for f in map(token_fields, docs)
            ),
        )
        db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    return db, time.perf_counter() - start


def fts5_search(db: sqlite3.Connection, query: str, allowed: set[int] | None) -> tuple[int, list]:
    parsed = parse_query(query)
    match = fts_match(parsed)
    if match is None:
        return 0, []
    where = ""
    if allowed is not None:
        where = f" AND innovation_id IN ({','.join(str(int(i)) for i in sorted(allowed))})"
    weights = f"1.0, 1.0, {NAME_BOOST}, {OWN_NUMBER_BOOST}, {CITED_NUMBER_BOOST}"
    try:
        total = db.execute(
            f"SELECT count(*) FROM pages WHERE pages MATCH ?{where}", (match,)
        ).fetchone()[0]
        rows = db.execute(
            f"SELECT doc_id, body FROM pages WHERE pages MATCH ?{where}"
            f" ORDER BY bm25(pages, {weights}) LIMIT 20",
            (match,),
        ).fetchall()
    except sqlite3.OperationalError:  # e.g. a query FTS5 cannot parse
        return 0, []
    marks = highlighter(parsed)
    return total, [(doc_id, make_snippet(body, marks)) for doc_id, body in rows]


# -- Tantivy ----------------------------------------------------------------------------------


def build_tantivy(docs: list[dict], path: Path) -> tuple[Any, float]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    for name in FIELDS:
        option = "position" if name == "exact" else "freq"
        builder.add_text_field(name, tokenizer_name="whitespace", index_option=option)
    builder.add_unsigned_field("innovation_id", indexed=True, fast=True)
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=True, index_option="basic", tokenizer_name="raw")
    schema = builder.build()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    start = time.perf_counter()
    writer = index.writer(heap_size=256_000_000)
    for fields in map(token_fields, docs):
        innovation_id = fields.pop("innovation_id")
        doc = tantivy.Document(**fields)
        doc.add_unsigned("innovation_id", innovation_id)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.perf_counter() - start


def _tantivy_query(index: Any, parsed: ParsedQuery, allowed: set[int] | None) -> Any:
    from tantivy import Occur, Query

    schema = index.schema

    def term(field: str, value: str, boost: float = 1.0) -> Any:
        query = Query.term_query(schema, field, value)
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def any_of(queries: list[Any]) -> Any:
        if len(queries) == 1:
            return queries[0]
        return Query.boolean_query([(Occur.Should, q) for q in queries])

    def phrase(words: tuple[str, ...]) -> Any:
        if len(words) == 1:
            return term("exact", words[0])
        return Query.phrase_query(schema, "exact", list(words))

    def prefix(field: str, value: str, boost: float = 1.0) -> Any:
        query = Query.regex_query(schema, field, re.escape(value) + ".*")
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def one(t: Any) -> Any | None:
        if isinstance(t, Word):
            return any_of(
                [term("text", s) for s in t.stems] + [term("name", s, NAME_BOOST) for s in t.stems]
            )
        if isinstance(t, Phrase):
            return phrase(t.words) if t.words else None
        if isinstance(t, Prefix):
            return prefix("exact", t.prefix)
        if isinstance(t, Identifier):
            parts = [
                term("number", t.key, OWN_NUMBER_BOOST),
                term("ident", t.key, CITED_NUMBER_BOOST),
            ]
            if len(t.key) >= MIN_PREFIX_LENGTH:
                parts += [prefix("number", t.key, OWN_NUMBER_BOOST / 2), prefix("ident", t.key)]
            if t.words:
                parts.append(phrase(t.words))
            return any_of(parts)
        return None

    def clause(alternatives: Any) -> Any | None:
        parts = [q for q in map(one, alternatives) if q is not None]
        return any_of(parts) if parts else None

    must = [q for q in (clause(c.alternatives) for c in parsed.positive) if q is not None]
    if not must:
        return None
    subs = [(Occur.Must, q) for q in must]
    subs += [
        (Occur.MustNot, q)
        for q in (clause(c.alternatives) for c in parsed.negative)
        if q is not None
    ]
    if allowed is not None:
        ids = Query.term_set_query(schema, "innovation_id", sorted(allowed))
        subs.append((Occur.Must, Query.const_score_query(ids, 0.0)))
    return Query.boolean_query(subs)


def tantivy_search(index: Any, query: str, allowed: set[int] | None) -> tuple[int, list]:
    parsed = parse_query(query)
    built = _tantivy_query(index, parsed, allowed)
    if built is None:
        return 0, []
    searcher = index.searcher()
    result = searcher.search(built, limit=20, count=True)
    marks = highlighter(parsed)
    hits = []
    for _, address in result.hits:
        doc = searcher.doc(address)
        hits.append((doc["doc_id"][0], make_snippet(doc["body"][0], marks)))
    return int(result.count or 0), hits


def engine_runner(kind: str, handle: Any) -> Callable[[str, set[int] | None], tuple[int, list]]:
    return (
        (lambda q, a: fts5_search(handle, q, a))
        if kind == "fts5"
        else (lambda q, a: tantivy_search(handle, q, a))
    )
