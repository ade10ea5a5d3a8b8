"""Small text helpers shared by the document readers."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

PAGE_BREAK = "\f"


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """A YAML file of checklist/patterns, read through importlib.resources (works from a wheel)."""
    raw = resources.files("checklist.patterns").joinpath(name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def join_pages(text: str | list[str] | None) -> str:
    """One string from a text or a list of page texts, pages separated by a form feed."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return PAGE_BREAK.join(p if isinstance(p, str) else "" for p in text)


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, ends stripped."""
    return re.sub(r"\s+", " ", text).strip()


def ocr_upper(text: str) -> str:
    """Undo frequent OCR confusions inside upper-case words ("MENTER!" -> "MENTERI")."""
    text = re.sub(r"(?<=[A-Z])[!|]", "I", text)
    # A lower-case l standing for I inside an upper-case word ("DlNAS", "lNOVASl").
    text = re.sub(r"(?<=[A-Z])l(?=[A-Z])|\bl(?=[A-Z]{2})|(?<=[A-Z]{2})l\b", "I", text)
    text = re.sub(r"(?<=[A-Z])1(?=[A-Z])", "I", text)
    return re.sub(r"(?<=[A-Z])0(?=[A-Z])", "O", text)


def fold(text: str) -> str:
    """Lower-case alphanumeric words joined by single spaces, for loose comparison."""
    # A hyphen at a line end splits a word ("SEPE-\nDA"); join it before dropping punctuation.
    text = re.sub(r"(\w)-[ \t]*\r?\n[ \t]*(\w)", r"\1\2", text)
    return " ".join(re.findall(r"[0-9a-z]+", text.lower()))


def nice_name(upper: str) -> str:
    """Title-case an upper-case office or region name the way labels.csv writes it."""
    vocab = load_patterns("offices.yaml")
    lower = set(vocab["lower_words"])
    acronyms = set(vocab["acronyms"])
    words = []
    for i, word in enumerate(squash(upper).split(" ")):
        bare = word.strip(",.()")
        if bare.upper() in acronyms or (bare.isupper() and not re.search(r"[AEIOU]", bare)):
            words.append(word.upper())
        elif i and bare.lower() in lower:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)
