"""HTML snippets: the densest window of matching words, escaped, matches in ``<mark>``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from indexer.analysis import MAX_TOKEN_LENGTH, STOPWORDS, TOKEN_RE, fold, stem_candidates
from indexer.redact import mask_personal_numbers

SNIPPET_CHARS = 240
# Long pages are only scanned this far: a snippet must stay cheap for 20 hits per request.
SCAN_CHARS = 60_000
_SPACES = re.compile(r"\s+")
# Characters around the excerpt that are masked with it (longer than any NIK/NIP spelling).
_MASK_MARGIN = 32


class Highlighter:
    """Decides which words of a text match a query: same stem, same word, or a prefix."""

    def __init__(self, words: Iterable[str], prefixes: Iterable[str] = ()) -> None:
        self.words = {w for w in words if w not in STOPWORDS}
        self.stems = {s for w in self.words for s in stem_candidates(w)}
        self.prefixes = tuple(p for p in prefixes if p)
        # Pages repeat words: each is decided once, and the marked ones are kept as a set too.
        # Both only grow (threads share a highlighter), and stop growing at `MEMO_WORDS`.
        self._seen: dict[str, bool] = {}
        self._marked: set[str] = set()

    def marked_among(self, words: set[str]) -> set[str]:
        """The folded ``words`` to mark (set operations: a page has hundreds of words)."""
        # New words first, then the known ones: a word another thread decides in between
        # is in `_marked` (added before `_seen`) by the time it is looked up there.
        marked = {w for w in words.difference(self._seen) if self.matches(w)}
        return marked | (words & self._marked)

    def matches(self, word: str) -> bool:
        """True when the folded ``word`` should be marked."""
        known = self._seen.get(word)
        if known is None:
            known = self._decide(word)
            if len(self._seen) < MEMO_WORDS:
                if known:
                    self._marked.add(word)
                self._seen[word] = known
        return known

    def _decide(self, word: str) -> bool:
        if word in STOPWORDS:
            return False
        if word in self.words or (self.prefixes and word.startswith(self.prefixes)):
            return True
        return any(s in self.stems for s in stem_candidates(word))


# A highlighter remembers at most this many words (a page has a few hundred distinct ones);
# `highlighter_for` keeps the last `SHARED_HIGHLIGHTERS` queries' highlighters.
MEMO_WORDS = 10_000
SHARED_HIGHLIGHTERS = 32


@lru_cache(maxsize=SHARED_HIGHLIGHTERS)
def highlighter_for(words: tuple[str, ...], prefixes: tuple[str, ...] = ()) -> Highlighter:
    """One `Highlighter` per query, shared: a repeated search finds its words decided."""
    return Highlighter(words, prefixes)


def _match_spans(text: str, highlighter: Highlighter) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` to mark (same words as `iter_words`).

    The page's distinct words are found by splitting it in C and decided in Python one each
    (folded, so "Kafé" is decided as "kafe"); then only the marked ones are looked for, with
    ``str.find``: three times faster than a regular expression over the page. A page whose
    lower case changes its length (a rare letter such as "İ") walks its words one by one,
    since the spans must index the original text.
    """
    lower = text.lower()
    if len(lower) != len(text):
        return _match_spans_walk(text, highlighter)
    plain, other = _words(lower)
    marked = highlighter.marked_among(plain)
    marked.update(w for w in other if highlighter.matches(fold(w)))
    words = [w for w in marked if len(w) <= MAX_TOKEN_LENGTH]
    return _spans(lower, words, lower.isascii()) if words else []


# What is not an ASCII letter (or digit) becomes a space, so splitting gives the runs.
_NOT_LETTERS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})
_NOT_DIGITS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isdigit()})


def _words(lower: str) -> tuple[set[str], set[str]]:
    """The distinct tokens of ``lower`` (as TOKEN_RE cuts them): ASCII ones, and the others."""
    if lower.isascii():
        letters = set(lower.translate(_NOT_LETTERS).split())
        return letters | set(lower.translate(_NOT_DIGITS).split()), set()
    plain: set[str] = set()
    other: set[str] = set()
    # Not str.translate: on non-ASCII text it looks every character up in Python.
    for chunk in set(lower.split()):
        if chunk.isascii() and (chunk.isalpha() or chunk.isdigit()):
            plain.add(chunk)
            continue
        for word in TOKEN_RE.findall(chunk):  # punctuation, a non-ASCII letter, or both kinds
            (plain if word.isascii() else other).add(word)
    return plain, other


def _is_letter(char: str) -> bool:
    """A character of TOKEN_RE's letter runs: a letter or number that is not a decimal digit."""
    return char.isalnum() and not char.isdecimal()


def _spans(lower: str, words: list[str], ascii_only: bool) -> list[tuple[int, int]]:
    """Where each of ``words`` stands as a whole token in ``lower``."""
    spans = []
    end = len(lower)
    letter = str.isalpha if ascii_only else _is_letter
    for word in words:
        # A letter run ends at a non-letter, a digit run at a non-digit (TOKEN_RE's cuts).
        inside = str.isdecimal if word[0].isdecimal() else letter
        size = len(word)
        at = lower.find(word)
        while at != -1:
            after = at + size
            if (at == 0 or not inside(lower[at - 1])) and (
                after == end or not inside(lower[after])
            ):
                spans.append((at, after))
            at = lower.find(word, at + 1)
    spans.sort()
    return spans


def _match_spans_walk(text: str, highlighter: Highlighter) -> list[tuple[int, int]]:
    """`_match_spans` one word at a time (any text)."""
    spans = []
    for match in TOKEN_RE.finditer(text):
        start, end = match.span()
        if end - start <= MAX_TOKEN_LENGTH and highlighter.matches(fold(match.group())):
            spans.append((start, end))
    return spans


def _piece(text: str) -> str:
    return html.escape(_SPACES.sub(" ", text), quote=False)


def make_snippet(text: str, highlighter: Highlighter, *, size: int = SNIPPET_CHARS) -> str:
    """An HTML-safe excerpt of ``text`` around its best cluster of matches."""
    text = text[:SCAN_CHARS]
    spans = _match_spans(text, highlighter)
    if not spans:
        start, end = 0, min(len(text), size)
    else:
        # Window starting at each match; keep the one covering the most matches.
        best, best_count, j = 0, 0, 0
        for i, (s, _) in enumerate(spans):
            j = max(j, i)
            while j + 1 < len(spans) and spans[j + 1][1] <= s + size:
                j += 1
            if j - i + 1 > best_count:
                best, best_count = i, j - i + 1
        anchor = spans[best][0]
        start = max(0, anchor - size // 6)
        space = text.rfind(" ", 0, start)
        start = space + 1 if start and space != -1 and start - space < 20 else start
        end = min(len(text), start + size)
        space = text.find(" ", end)
        end = space if space != -1 and space - end < 20 else end
    # NIK/NIP are masked where the excerpt is cut (a margin keeps a number cut at the edge
    # whole for the pattern); the mask keeps lengths, so the spans stay valid.
    left, right = max(0, start - _MASK_MARGIN), end + _MASK_MARGIN
    text = text[:left] + mask_personal_numbers(text[left:right]) + text[right:]
    out = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(_piece(text[cursor:s]))
        out.append(f"<mark>{html.escape(text[s:e], quote=False)}</mark>")
        cursor = e
    out.append(_piece(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out).strip()
