"""The Whoosh schema of the search index and the adapter that feeds it Indonesian tokens."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

with warnings.catch_warnings():
    # Old Whoosh code trips SyntaxWarning/DeprecationWarning on new Pythons; keep logs clean.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.analysis import Token as WhooshToken
    from whoosh.analysis import Tokenizer
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import ANALYZER_VERSION, Token, analyze
from indexer.plan import pair_text
from indexer.redact import REDACTION_VERSION

# Bump whenever fields change; together with ANALYZER_VERSION it decides `needs_rebuild`.
# 3: posting blocks in narrow types, not zlib-compressed (indexer.codec).
SCHEMA_VERSION = 3
INDEX_VERSION = {
    "backend": "whoosh",
    "schema": SCHEMA_VERSION,
    "analyzer": ANALYZER_VERSION,
    "redaction": REDACTION_VERSION,
}


class IndonesianTokenizer(Tokenizer):
    """Whoosh tokenizer over `indexer.analysis.analyze`; alternative stems share a position."""

    def __init__(self, stem: bool = True) -> None:
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, IndonesianTokenizer)
            and other.stem == self.stem
        )

    def __hash__(self) -> int:
        return hash((type(self), self.stem))

    def term_counts(self, value: str) -> Counter[str]:
        """How many times each term stands in ``value`` (what Whoosh's Frequency format counts
        from `__call__`'s tokens)."""
        return Counter(text for text, _, _ in self.terms(_analyzed(value)))

    def terms(self, tokens: list[Token]) -> Iterator[tuple[str, Token, Token]]:
        """``(term, first token, last token)``: one per stem (or word) of each token."""
        for item in tokens:
            for stem in item.stems if self.stem else (item.word,):
                yield stem, item, item

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Any]:
        """Yield one reused Whoosh token per term (Whoosh's own convention)."""
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, first, last in self.terms(_analyzed(value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = first.word if first is last else text
            if positions:
                token.pos = start_pos + first.pos
            if chars:
                token.startchar = start_char + first.start
                token.endchar = start_char + last.end
            yield token


class PairTokenizer(IndonesianTokenizer):
    """Adjacent unstemmed words as one token each (``"peraturan bupati"``), at the first's position.

    A quoted phrase is then a lookup of one term per adjacent pair of its words, instead of a
    position check over the long posting lists of each word (what Elasticsearch's
    ``index_phrases`` does for the same reason).
    """

    def __init__(self) -> None:
        super().__init__(stem=False)

    def terms(self, tokens: list[Token]) -> Iterator[tuple[str, Token, Token]]:
        for first, second in pairwise(tokens):
            yield pair_text(first.word, second.word), first, second


# The page text is indexed three times (stemmed `text`, unstemmed `exact`, word `pairs`), with
# the same string object: keep the tokens of the last value so it is analysed once. One slot,
# replaced in a single assignment, so concurrent callers at worst analyse again.
# Short values (the `name` field, analysed between `exact` and `pairs`) do not take the slot.
_last_analysis: tuple[str, list[Token]] = ("", [])
_CACHE_MIN_CHARS = 200


def _analyzed(value: str) -> list[Token]:
    global _last_analysis
    last_value, tokens = _last_analysis
    if value is last_value:
        return tokens
    tokens = list(analyze(value))
    if len(value) >= _CACHE_MIN_CHARS:
        _last_analysis = (value, tokens)
    return tokens


def build_schema() -> Schema:
    """Fields: filters and stored display data, stemmed text, exact words, numbers."""
    return Schema(
        doc_id=ID(stored=True, unique=True),
        type=ID(stored=True),
        evidence_id=ID(stored=True),
        innovation_id=ID(stored=True),
        page=STORED(),
        filename=STORED(),
        innovation_name=STORED(),
        number_text=STORED(),
        indicator=ID(stored=True),
        unit=ID(stored=True),
        year=ID(stored=True),
        kind=ID(stored=True),
        status=ID(stored=True),
        published=ID(),
        # Stemmed page text, stored (with NIK/NIP masked) for snippets. No positions: phrases
        # use `pairs`, and position data would triple what every word lookup decodes.
        text=TEXT(analyzer=IndonesianTokenizer(stem=True), stored=True, phrase=False),
        # The same words unstemmed: one-word quotes, prefixes and spelling suggestions.
        exact=TEXT(analyzer=IndonesianTokenizer(stem=False), phrase=False),
        # Adjacent unstemmed words: quoted phrases. No positions either: they doubled the
        # rebuild time; a phrase of 3+ words is found by its pairs, then checked in the text.
        pairs=TEXT(analyzer=PairTokenizer(), phrase=False),
        # File name and innovation name, stemmed; small field, weighted up at query time.
        name=TEXT(analyzer=IndonesianTokenizer(stem=True), phrase=False),
        # Compact number the document itself carries, and every number it cites.
        number=KEYWORD(lowercase=True, scorable=True),
        ident=KEYWORD(lowercase=True, scorable=True),
    )
