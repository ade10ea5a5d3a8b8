"""Exact phrases: the check the index cannot make.

The index keeps word pairs, not positions (see `indexer.schema`), so a quoted phrase of three
or more words finds every page holding each of its adjacent pairs, anywhere. Measured on the
10,000-page benchmark corpus, 44% of the pages found for ``"pelayanan informasi publik"`` did
not hold the phrase. These functions check the candidates' stored text for the words standing
together, in order, as the analyser sees them: words are runs of letters or of digits
(`indexer.analysis.TOKEN_RE`), and stop words between them are skipped, as in the index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from indexer.analysis import STOPWORDS, fold
from indexer.query import ParsedQuery, Phrase

# A pair is checked exactly by the index itself; only longer phrases need the text.
MIN_CHECKED_WORDS = 3

# Between two words of a phrase: anything that is not a letter or digit, and whole stop words.
_STOP = "|".join(sorted(map(re.escape, STOPWORDS), key=len, reverse=True))
_GAP = rf"(?:[\W_]|(?<![^\W_])(?:{_STOP})(?![^\W_]))+"


def checked_clauses(parsed: ParsedQuery) -> list[list[tuple[str, ...]]]:
    """Each positive clause made only of phrases, at least one of them long: its phrases.

    A clause that mixes a phrase with words (``"a b c" OR d``) is left to the index: a page may
    satisfy it by the word alone, which no text check of the phrase can tell.
    """
    clauses = []
    for clause in parsed.positive:
        terms = clause.alternatives
        if not terms or not all(isinstance(t, Phrase) for t in terms):
            continue
        phrases = [t.words for t in terms if isinstance(t, Phrase)]
        if any(len(words) >= MIN_CHECKED_WORDS for words in phrases):
            clauses.append(phrases)
    return clauses


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase from its first word on (the caller has found that word's start)."""
    body = _GAP.join(re.escape(word) for word in words)
    return re.compile(rf"{body}(?![^\W_])")


def contains_phrase(text: str, words: Sequence[str]) -> bool:
    """Whether ``text`` holds ``words`` next to each other, in this order."""
    if len(words) < MIN_CHECKED_WORDS:
        return True  # the index's pairs already said so
    lowered = text.lower() if text.isascii() else fold(text)
    pattern = _pattern(tuple(words))
    # Find the first word with a plain substring search (fast), then try the rest there: a
    # regex that starts with a look-behind would be tried at every position of the page.
    first = words[0]
    start = lowered.find(first)
    while start != -1:
        if (start == 0 or not lowered[start - 1].isalnum()) and pattern.match(lowered, start):
            return True
        start = lowered.find(first, start + 1)
    return False
