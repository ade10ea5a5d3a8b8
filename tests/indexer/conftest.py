"""Shared fixtures for the indexer tests: the sample corpus, OCR availability, file builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SAMPLE_PDFS = Path(__file__).resolve().parents[1] / "data" / "sample-pdfs"


def in_ci() -> bool:
    """CI must not skip what developers may skip."""
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI, where every dependency is expected."""
    if in_ci():
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture
def needs_ocr() -> None:
    """Skip (or fail in CI) when Tesseract with Indonesian is not installed."""
    from indexer.extract import ocr

    if not ocr.available():
        skip_or_fail(ocr.unavailable_reason())


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend Tesseract is missing."""
    from indexer.extract import ocr

    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
