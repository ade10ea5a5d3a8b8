"""A parsed query as a plan over index fields: terms, prefixes, phrases, unions, intersections.

The plan is plain data and says *what* matches and how it is weighted; `indexer.evaluate` runs
it over the index. Fields (see `indexer.schema`): ``text`` stemmed words, ``name`` file and
innovation names, ``exact`` unstemmed words, ``pairs`` adjacent unstemmed word pairs (a quoted
phrase is all of its pairs), ``number`` a document's own number, ``ident`` numbers it cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from indexer.identifiers import MIN_PREFIX_LENGTH
from indexer.query import Clause, Identifier, ParsedQuery, Phrase, Prefix, Term, Word

# Relative weights: the document's own number beats a citation of it, names beat body text.
NAME_BOOST = 2.0
OWN_NUMBER_BOOST = 12.0
CITED_NUMBER_BOOST = 3.0


@dataclass(frozen=True)
class Leaf:
    """One term of one field, scored by BM25F times ``boost``."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class PrefixLeaf:
    """Every term of ``field`` starting with ``prefix``; a page scores its best such term."""

    field: str
    prefix: str
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    """Pages matching any child; scores add up."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    """Pages matching every child; scores add up."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    """Pages of ``positive`` that match none of ``negative``; scored by ``positive``."""

    positive: Node
    negative: Node


Node = Leaf | PrefixLeaf | AnyOf | AllOf | Without


def pair_text(first: str, second: str) -> str:
    """The ``pairs`` term of two adjacent words (the tokenizer uses the same spelling)."""
    return f"{first} {second}"


def _phrase(words: tuple[str, ...]) -> Node | None:
    """One word: the word itself. More: every adjacent pair of them, literally.

    A page holding "a b" and "b c" apart but never "a b c" matches "a b c" too: positions
    are not indexed (see `indexer.schema`); `indexer.phrases` drops such pages afterwards.
    """
    if not words:
        return None
    if len(words) == 1:
        return Leaf("exact", words[0])
    pairs = [Leaf("pairs", pair_text(a, b)) for a, b in pairwise(words)]
    return pairs[0] if len(pairs) == 1 else AllOf(tuple(dict.fromkeys(pairs)))


def _any(children: list[Node]) -> Node | None:
    if not children:
        return None
    return children[0] if len(children) == 1 else AnyOf(tuple(children))


def term_plan(term: Term) -> Node | None:
    """The plan of one query term; None when nothing is left to search."""
    if isinstance(term, Word):
        subs: list[Node] = [Leaf("text", s) for s in term.stems]
        subs += [Leaf("name", s, NAME_BOOST) for s in term.stems]
        return _any(subs)
    if isinstance(term, Phrase):
        return _phrase(term.words)
    if isinstance(term, Prefix):
        return PrefixLeaf("exact", term.prefix)
    if isinstance(term, Identifier):
        subs = [
            Leaf("number", term.key, OWN_NUMBER_BOOST),
            Leaf("ident", term.key, CITED_NUMBER_BOOST),
        ]
        if len(term.key) >= MIN_PREFIX_LENGTH:
            subs += [
                PrefixLeaf("number", term.key, OWN_NUMBER_BOOST / 2),
                PrefixLeaf("ident", term.key),
            ]
        words = _phrase(term.words)
        if words is not None:
            subs.append(words)
        return _any(subs)
    return None


def clause_plan(clause: Clause) -> Node | None:
    """Any of the clause's alternatives."""
    return _any([n for n in (term_plan(t) for t in clause.alternatives) if n is not None])


def build_plan(parsed: ParsedQuery, *, require_all: bool) -> Node | None:
    """Positive clauses ANDed (or ORed for the fallback), minus the negated ones."""
    positive = [n for n in (clause_plan(c) for c in parsed.positive) if n is not None]
    if not positive:
        return None
    main: Node = (
        positive[0]
        if len(positive) == 1
        else (AllOf(tuple(positive)) if require_all else AnyOf(tuple(positive)))
    )
    negative = _any([n for n in (clause_plan(c) for c in parsed.negative) if n is not None])
    return main if negative is None else Without(main, negative)
