"""Indonesian date parsing that survives OCR damage ("JuIi", "Agustu5", "2O24")."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache

from checklist.textutil import load_patterns

# Characters OCR confuses with letters inside a month name, and with digits inside a number.
_LETTER_FIX = str.maketrans({"0": "o", "1": "l", "5": "s", "!": "i", "|": "l", "€": "e"})
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "i": "1", "|": "1"})

_DAY = r"(?<![\w])([0-3]?[0-9OoIl]|[OoIl][0-9])"
_MONTH = r"([A-Za-z][A-Za-z0-9!|€]{2,11})\.?"
_YEAR = r"([12OoIl][0-9OoIl]{3})(?![\w])"
# Day, month word (OCR-damaged words included), four-digit year.
TEXT_DATE = re.compile(_DAY + r"[ \t]*[-/ .]?[ \t]*" + _MONTH + r"[ \t]*[-,/ .]?[ \t]*" + _YEAR)
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")


@cache
def _months() -> dict[str, int]:
    """Month names and abbreviations -> month number (patterns/months.yaml)."""
    return {str(k).lower(): int(v) for k, v in load_patterns("months.yaml")["months"].items()}


def month_number(token: str) -> int | None:
    """Month number of a (possibly OCR-damaged) month name, or None."""
    # An upper-case I between lower-case letters is almost always an OCR'd l ("JuIi").
    word = re.sub(r"(?<=[a-z])I", "l", token.strip(". ")).translate(_LETTER_FIX).lower()
    months = _months()
    if word in months:
        return months[word]
    if len(word) < 5:
        return None
    close = difflib.get_close_matches(word, [m for m in months if len(m) >= 5], n=3, cutoff=0.75)
    found = {months[m] for m in close}
    # Two different months equally close ("juii": juni or juli?) is no answer.
    return found.pop() if len(found) == 1 else None


def _number(token: str) -> int | None:
    """Integer from a digit token with OCR letter confusions, requiring mostly real digits."""
    fixed = token.translate(_DIGIT_FIX)
    if not fixed.isdigit() or sum(c.isdigit() for c in token) * 2 < len(token):
        return None
    return int(fixed)


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """ISO string for a valid calendar date, else None."""
    if year is None or month is None or day is None or not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """First date in text as ISO YYYY-MM-DD; None when there is none or it lacks a year."""
    if not text or not isinstance(text, str):
        return None
    candidates: list[tuple[int, str]] = []
    for m in TEXT_DATE.finditer(text):
        iso = _iso(_number(m.group(3)), month_number(m.group(2)), _number(m.group(1)))
        if iso:
            candidates.append((m.start(), iso))
            break
    iso_match = ISO_DATE.search(text)
    if iso_match:
        iso = _iso(int(iso_match.group(1)), int(iso_match.group(2)), int(iso_match.group(3)))
        if iso:
            candidates.append((iso_match.start(), iso))
    numeric = NUMERIC_DATE.search(text)
    if numeric:
        iso = _iso(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        if iso:
            candidates.append((numeric.start(), iso))
    return min(candidates)[1] if candidates else None
