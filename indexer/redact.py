"""Personal identity numbers (NIK, NIP): found, and masked before text is stored or shown.

The one place that knows what they look like. Snippets and the index (``indexer``), the
document facts (``checklist.facts`` counts them), the text preview of a document, the export
package and the public catalogue (``archive``) all go through it, so a number masked in one
place is masked in every other.

UU 27/2022 on personal data protection: attendance and beneficiary lists carry NIK (16
digits, written solid, in four groups of four, or as its parts: ``637101 234567 8904``) and
NIP (18 digits, usually written ``19650217 199003 1 008``: birth date, appointment month,
sex, serial). Groups may be separated
by a space, a dot or a dash, with or without a label ("NIK:", "NIP.") before them. A number
that merely looks like one is masked too: hiding an invoice number costs nothing, showing a
NIK breaks the law.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MASK_CHAR = "*"
# Bump whenever what is masked changes: the index holds masked text, so it must be rebuilt
# (a number a new pattern masks would otherwise stay findable by its parts).
REDACTION_VERSION = 2
_SEP = r"[ .\-]?"
# NIP: birth date (8), appointment year and month (6), sex (1), serial (3).
_NIP = re.compile(rf"(?<![\d])\d{{8}}{_SEP}\d{{6}}{_SEP}\d{_SEP}\d{{3}}(?![\d])")
# NIK: 16 digits, solid, in groups of four, or split as its parts are (region 6 or 2-2-2,
# birth date 6, serial 4), one separator throughout.
_NIK = re.compile(
    r"(?<![\d])(?:\d{16}"
    r"|\d{4}([ .\-])\d{4}\1\d{4}\1\d{4}"
    r"|\d{6}([ .\-])\d{6}\2\d{4}"
    r"|\d{2}([ .\-])\d{2}\3\d{2}\3\d{6}\3\d{4})(?![\d])"
)


# The shortest number masked (a NIK) has 16 digits. Only ASCII text is counted this way:
# the patterns' \d also matches other scripts' digits.
_FEWEST_DIGITS = 16
_ASCII_DIGITS = "0123456789"


class PersonalNumber(NamedTuple):
    kind: str  # "NIP" or "NIK"
    start: int
    end: int


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Every NIP and NIK in ``text``, in reading order; a NIP wins where the two overlap."""
    if text.isascii() and sum(map(text.count, _ASCII_DIGITS)) < _FEWEST_DIGITS:
        return []  # most text: decided without running the patterns over every position
    found: list[PersonalNumber] = []
    for kind, pattern in (("NIP", _NIP), ("NIK", _NIK)):
        for match in pattern.finditer(text):
            if not any(p.start < match.end() and match.start() < p.end for p in found):
                found.append(PersonalNumber(kind, match.start(), match.end()))
    return sorted(found, key=lambda number: number.start)


def mask_personal_numbers(text: str) -> str:
    """Replace the digits of every NIK/NIP with ``*``, keeping length (offsets stay valid)."""
    chars = list(text)
    for number in find_personal_numbers(text):
        for i in range(number.start, number.end):
            if chars[i].isdigit():
                chars[i] = MASK_CHAR
    return "".join(chars)
