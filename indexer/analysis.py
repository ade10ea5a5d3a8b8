"""Indonesian text analysis: tokens, folding, stop words and a Snowball stemmer that keeps
word families together.

Backend-neutral (no Whoosh here): the Whoosh schema wraps these functions, and a future
backend can reuse them for query analysis and snippets.

Snowball Indonesian strips the nasal prefixes ``meN-``/``peN-`` but cannot know which letter
the prefix swallowed: ``penetapan`` gives ``etap`` while ``ditetapkan`` gives ``tetap``;
``pengelolaan`` gives ``elola`` while ``dikelola`` gives ``kelola``. Measured over the 65
documents of the test corpus (369 word pairs of a ``meN-``/``peN-`` form and its ``di-`` form):

==========================================  =========  ============
method                                       pairs met  tokens/word
==========================================  =========  ============
Snowball alone                               50 %       1.00
Snowball + root lexicon built from corpus    93 %       1.00
  (same, lexicon from the other half)        82 %       1.00
Snowball + every candidate (chosen)          96 %       1.09
==========================================  =========  ============

So for an ambiguous form we emit *every* candidate stem at the same position (``etap``,
``tetap``, ``netap``), and at query time we search for any of them. No dictionary, so no
licence question (Sastrawi's root list is CC-BY-NC-SA) and no dependence on the corpus; the
price is a little over-matching (``penempatan`` also meets ``empat``). A final ``-i`` is also
dropped from every stem, because Snowball removes it from ``dinilai`` but not from
``penilaian`` or ``diawasi``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# Bump whenever tokens or stems change: indexes built with another version need a rebuild.
ANALYZER_VERSION = 1

# Words longer than this are extraction garbage (joined columns, base64), not search terms.
MAX_TOKEN_LENGTH = 40

_STOPWORD_TEXT = """
    ada adalah agar akan aku anda antara apa apabila atas atau bagaimana bagi bahwa
    baik banyak beberapa begitu belum berbagai bila bisa boleh dalam dan dapat dari
    daripada demikian dengan di dia dimana harus hingga ia ialah ini itu jadi jika
    juga kami kamu karena ke kepada kita lagi lain lebih maka masih melalui mereka
    namun nya oleh pada para pun saat saja sambil sangat saya se sebagai sebelum
    secara sedang sehingga sejak selain selama semua sendiri seperti serta sesudah
    setelah setiap sudah supaya tanpa telah tentang terhadap tersebut tetapi tiap
    untuk walaupun yaitu yakni yang
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# Words made of letters (no underscore); digits form their own tokens.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")

# meN-/peN- followed by a vowel: Snowball has dropped a letter it cannot restore.
_AMBIGUOUS_PREFIX = re.compile(r"^(?:pe|me)(ng|ny|n|m)[aeiou]")
_VOWELS = frozenset("aeiou")

_stemmer = Stemmer.Stemmer("indonesian")


class Token(NamedTuple):
    """One analysed word: position (stop words take none), character span, folded form, stems."""

    pos: int
    start: int
    end: int
    word: str
    stems: tuple[str, ...]


def fold(text: str) -> str:
    """Lower-case and strip accents (``Désa`` -> ``desa``)."""
    if text.isascii():
        return text.lower()  # the common case, and ten times cheaper
    decomposed = unicodedata.normalize("NFKD", text)
    # The accents are decided once per distinct character, not once per character: a page
    # of 3,000 with a few quotation marks and dashes took 170 µs, a phrase check 23 pages.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return (decomposed.translate(marks) if marks else decomposed).casefold()


def normalize_text(text: str) -> str:
    """Compose characters (NFC) so that character offsets stay stable for snippets."""
    return unicodedata.normalize("NFC", text)


def _drop_final_i(stem: str) -> str:
    return stem[:-1] if len(stem) > 4 and stem.endswith("i") else stem


@lru_cache(maxsize=200_000)
def stem_candidates(word: str) -> tuple[str, ...]:
    """Stems of a folded word; several when a nasal prefix hid the root's first letter."""
    if not word.isalpha():
        return (word,)
    base = _stemmer.stemWord(word)
    candidates = [base]
    match = _AMBIGUOUS_PREFIX.match(word)
    if match and base:
        nasal = match.group(1)
        if nasal == "n" and base[0] in _VOWELS:
            candidates += ["t" + base, "n" + base]  # menetapkan/tetap, menilai/nilai
        elif nasal == "ng" and base[0] in _VOWELS:
            candidates.append("k" + base)  # mengelola/kelola; mengukur/ukur stays
        elif nasal == "m" and base[0] == "p":
            candidates.append("m" + base[1:])  # pemanfaatan/manfaat; memakai/pakai stays
        elif nasal == "ny" and base[0] == "s":
            candidates.append("ny" + base[1:])  # menyatakan/nyata; menyusun/susun stays
    elif word.startswith("ke") and not word.endswith("an") and not base.startswith("ke"):
        # Bare roots such as kelola/kendali/kelompok lose a "ke-" that is not a prefix there.
        candidates.append("ke" + base)
    seen: dict[str, None] = {}
    for candidate in candidates:
        seen.setdefault(_drop_final_i(candidate), None)
    return tuple(seen)


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, folded word)`` for every word or number in ``text``."""
    # ASCII text (most pages) is lower-cased once; lower() keeps its offsets.
    ascii_lower = text.lower() if text.isascii() else None
    for match in TOKEN_RE.finditer(ascii_lower or text):
        start, end = match.span()
        if end - start > MAX_TOKEN_LENGTH:
            continue
        yield start, end, match.group() if ascii_lower is not None else fold(match.group())


def analyze(text: str, *, stem: bool = True) -> Iterator[Token]:
    """Tokens of ``text`` without stop words; positions skip stop words so phrases still meet."""
    pos = 0
    for start, end, word in iter_words(text):
        if word in STOPWORDS:
            continue
        stems = stem_candidates(word) if stem else (word,)
        yield Token(pos, start, end, word, stems)
        pos += 1


def query_stems(text: str) -> list[tuple[str, ...]]:
    """Stem alternatives of each non-stop word in a short query text."""
    return [token.stems for token in analyze(text)]
