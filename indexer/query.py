"""The user's query string, parsed into a small backend-neutral tree.

The syntax is forgiving on purpose: words are ANDed; ``"quoted phrases"`` match the literal
words in order; ``word*`` is a prefix; ``-word`` or ``NOT word`` excludes; ``a OR b`` offers
alternatives; decree numbers (``188.4/69/Balitbangda-Blg/2020``, ``NOMOR 41 TAHUN 2021``,
``188.4/69``) are recognised as identifiers. Anything else, including broken syntax, is read
as literal words: parsing never fails except for `QueryTooLong`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indexer.analysis import STOPWORDS, analyze, fold, iter_words, normalize_text
from indexer.identifiers import MIN_PREFIX_LENGTH, compact, looks_like_identifier

MAX_QUERY_LENGTH = 500
# Shorter word prefixes ("p*", "pe*") expand to a large share of the vocabulary.
MIN_WORD_PREFIX = 3
# A query is cut to this many distinct clauses, and to this many prefix terms (later ones
# are read as literal words): both keep a 500-character query from running for seconds.
MAX_CLAUSES = 24
MAX_PREFIXES = 3


class QueryTooLong(ValueError):
    """The query exceeds `MAX_QUERY_LENGTH` characters; the API answers 400."""


@dataclass(frozen=True)
class Word:
    """A word matched through its stems (and literally)."""

    word: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    """Literal (unstemmed, folded) words that must appear in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """Words starting with ``prefix`` (folded, unstemmed)."""

    prefix: str


@dataclass(frozen=True)
class Identifier:
    """A decree or regulation number: compact key plus its words for a literal match."""

    key: str
    words: tuple[str, ...]


Term = Word | Phrase | Prefix | Identifier


@dataclass(frozen=True)
class Clause:
    """One required condition: any of ``alternatives``; excluded instead when ``negated``."""

    alternatives: tuple[Term, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    """All clauses of a query; the positive ones are ANDed, the negated ones excluded."""

    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        """Clauses that must match."""
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        """Clauses that must not match."""
        return [c for c in self.clauses if c.negated]

    def words(self) -> list[str]:
        """Every folded word of the positive clauses (for highlighting)."""
        out: list[str] = []
        for clause in self.positive:
            for term in clause.alternatives:
                if isinstance(term, Word):
                    out.append(term.word)
                elif isinstance(term, Phrase | Identifier):
                    out.extend(term.words)
        return out

    def prefixes(self) -> list[str]:
        """Every prefix of the positive clauses (for highlighting)."""
        return [t.prefix for c in self.positive for t in c.alternatives if isinstance(t, Prefix)]


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_PHRASE = re.compile(r'"([^"]*)"')
_YEAR = re.compile(r"^\d{4}$")
_NOMOR = frozenset({"nomor", "no", "no.", "nomor:", "no:", "nr"})
_EDGE_PUNCT = "()[]{}<>,;:!?'`~^+&|\\=\"“”"


def _clean(text: str) -> str:
    """Control and format characters become spaces; characters are composed."""
    text = normalize_text(text).translate(_QUOTES)
    return "".join(" " if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} else c for c in text)


def _split(text: str) -> list[tuple[str, str]]:
    """Items ``("phrase", text)`` and ``("chunk", text)`` in order; stray quotes are dropped."""
    items: list[tuple[str, str]] = []
    last = 0
    for match in _PHRASE.finditer(text):
        items += [("chunk", c) for c in text[last : match.start()].replace('"', " ").split()]
        items.append(("phrase", match.group(1)))
        last = match.end()
    items += [("chunk", c) for c in text[last:].replace('"', " ").split()]
    return items


def _number_with_year(chunks: list[str], i: int) -> int:
    """Length of a ``<number> TAHUN <year>`` run starting at ``chunks[i]``, else 0."""
    if (
        i + 2 < len(chunks)
        and any(c.isdigit() for c in chunks[i])
        and fold(chunks[i + 1]) == "tahun"
        and _YEAR.match(chunks[i + 2].strip(_EDGE_PUNCT))
    ):
        return 3
    return 0


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(w for _, _, w in iter_words(text) if w not in STOPWORDS)


def _chunk_terms(chunk: str) -> list[Term]:
    """Terms of one bare chunk: an identifier, a prefix, or one Word per analysed token."""
    if chunk.endswith("*"):
        base = chunk.rstrip("*").strip(_EDGE_PUNCT + "*")
        if looks_like_identifier(base) or any(c.isdigit() for c in base):
            key = compact(base)
            if len(key) >= MIN_PREFIX_LENGTH:
                return [Identifier(key, _words_of(base))]
        words = [w for _, _, w in iter_words(base)]
        if len(words) == 1 and len(words[0]) >= MIN_WORD_PREFIX:
            return [Prefix(words[0])]
        chunk = base  # "a*b", "x*": fall back to the literal words
    stripped = chunk.strip(_EDGE_PUNCT + "*")
    if looks_like_identifier(stripped):
        return [Identifier(compact(stripped), _words_of(stripped))]
    return [Word(t.word, t.stems) for t in analyze(stripped)]


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; raises `QueryTooLong` past `MAX_QUERY_LENGTH` characters, nothing else."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"query longer than {MAX_QUERY_LENGTH} characters")
    parsed = ParsedQuery()
    negate_next = False
    join_next = False
    prefixes = 0

    def push(terms: list[Term], negated: bool) -> None:
        nonlocal join_next
        if not terms:
            return
        if join_next and parsed.clauses and not negated and not parsed.clauses[-1].negated:
            # "a OR b": the previous clause gains this one's first term as an alternative.
            previous = parsed.clauses.pop()
            parsed.clauses.append(Clause((*previous.alternatives, terms[0])))
            terms = terms[1:]
        join_next = False
        for term in terms:
            clause = Clause((term,), negated)
            if clause not in parsed.clauses and len(parsed.clauses) < MAX_CLAUSES:
                parsed.clauses.append(clause)

    items = _split(_clean(text))
    chunks = [value for kind, value in items]
    i = 0
    while i < len(items):
        kind, value = items[i]
        i += 1
        if kind == "phrase":
            words = _words_of(value)
            terms: list[Term] = [Phrase(words)] if words else []
            push(terms, negate_next)
            negate_next = False
            continue
        if value == "OR":
            join_next = True
            continue
        if value == "AND":
            continue
        if value == "NOT":
            negate_next = True
            continue
        negated = negate_next
        negate_next = False
        if value.startswith("-") and len(value) > 1 and not value[1].isdigit():
            negated, value = True, value.lstrip("-")
        nomor = fold(value).strip(_EDGE_PUNCT) in _NOMOR
        if nomor and i < len(items) and any(c.isdigit() for c in chunks[i]):
            continue  # "NOMOR 41 ...": the number itself carries the meaning
        run = (
            _number_with_year(chunks, i - 1)
            if all(k == "chunk" for k, _ in items[i - 1 : i + 2])
            else 0
        )
        if run:
            raw = " ".join(chunks[i - 1 : i - 1 + run])
            push([Identifier(compact(raw), _words_of(raw))], negated)
            i += run - 1
            continue
        terms = _chunk_terms(value)
        if any(
            isinstance(t, Prefix) and Clause((t,), negated) not in parsed.clauses for t in terms
        ):
            prefixes += 1
            if prefixes > MAX_PREFIXES:
                terms = [Word(t.word, t.stems) for t in analyze(value)]
        push(terms, negated)
    return parsed


def display(term: Term) -> list[str]:
    """How a term is written back into a suggested query."""
    if isinstance(term, Phrase):
        return ['"' + " ".join(term.words) + '"']
    if isinstance(term, Prefix):
        return [term.prefix + "*"]
    if isinstance(term, Identifier):
        return [" ".join(term.words) or term.key]
    return [term.word]
