"""Personal identity numbers (NIK, NIP): found, and masked before text is stored or shown.

The one place that knows what they look like. Snippets and the index (``indexer``), the
document facts (``checklist.facts`` counts them), the text preview of a document, the export
package and the public catalogue (``archive``) all go through it, so a number masked in one
place is masked in every other.

UU 27/2022 on personal data protection: attendance and beneficiary lists carry NIK (16 digits,
written solid or in four groups of four) and NIP (18 digits, usually written
``19650217 199003 1 008``: birth date, appointment month, sex, serial). Groups may be separated
by a space, a dot or a dash, with or without a label ("NIK:", "NIP.") before them. A number
that merely looks like one is masked too: hiding an invoice number costs nothing, showing a
NIK breaks the law.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MASK_CHAR = "*"
_SEP = r"[ .\-]?"
# NIP: birth date (8), appointment year and month (6), sex (1), serial (3).
_NIP = re.compile(rf"(?<![\d])\d{{8}}{_SEP}\d{{6}}{_SEP}\d{_SEP}\d{{3}}(?![\d])")
# NIK: 16 digits, solid or in groups of four.
_NIK = re.compile(r"(?<![\d])(?:\d{16}|\d{4}([ .\-])\d{4}\1\d{4}\1\d{4})(?![\d])")


class PersonalNumber(NamedTuple):
    kind: str  # "NIP" or "NIK"
    start: int
    end: int


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Every NIP and NIK in ``text``, in reading order; a NIP wins where the two overlap."""
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
