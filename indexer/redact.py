"""Masking of personal identity numbers (NIK, NIP) before text is stored or shown.

UU 27/2022 on personal data protection: attendance and beneficiary lists carry NIK (16 digits)
and NIP (18 digits, usually written ``19650217 199003 1 008``). They must never reach a snippet,
so the index stores text with them masked and never indexes their digits.
"""

from __future__ import annotations

import re

MASK_CHAR = "*"

# NIP: birth date (8), appointment month (6), sex (1), serial (3), optionally spaced or dotted.
_NIP = r"\d{8}[ .]?\d{6}[ .]?\d[ .]?\d{3}"
# NIK: 16 digits, written solid or in groups of four.
_NIK = r"\d{16}|\d{4}[ .]\d{4}[ .]\d{4}[ .]\d{4}"
_PERSONAL_NUMBER = re.compile(rf"(?<![\d])(?:{_NIP}|{_NIK})(?![\d])")


def mask_personal_numbers(text: str) -> str:
    """Replace the digits of every NIK/NIP with ``*``, keeping length (offsets stay valid)."""
    return _PERSONAL_NUMBER.sub(lambda m: re.sub(r"\d", MASK_CHAR, m.group()), text)
