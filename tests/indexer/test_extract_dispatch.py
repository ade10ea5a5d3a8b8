"""The dispatcher: media types, the result shape, caps, and no exception escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import PDF, ExtractionResult, extract_file, limits
from indexer.extract import dispatch as dispatch_module

KEYS = {"status", "pages", "page_count", "chars", "ocr", "reason", "meta"}


def test_video_is_not_applicable(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    result = extract_file(str(path), "video/mp4")
    assert result.status == "not_applicable"
    assert set(result.to_dict()) == KEYS


def test_unknown_type_is_not_applicable(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00")
    result = extract_file(str(path), "application/octet-stream")
    assert result.status == "not_applicable"
    assert "application/octet-stream" in (result.reason or "")


def test_missing_file_fails(tmp_path: Path) -> None:
    result = extract_file(str(tmp_path / "gone.pdf"), PDF)
    assert result.status == "failed"
    assert result.reason == "file not found"


def test_unexpected_exception_becomes_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: str) -> ExtractionResult:
        raise KeyError("surprise")

    monkeypatch.setattr(dispatch_module, "extract_text", explode)
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    result = extract_file(str(path), "text/plain")
    assert result.status == "failed"
    assert "KeyError" in (result.reason or "")


def test_memory_error_is_not_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The sandbox must see it to report "out of memory" rather than a parse failure.
    def exhaust(path: str) -> ExtractionResult:
        raise MemoryError

    monkeypatch.setattr(dispatch_module, "extract_text", exhaust)
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(MemoryError):
        extract_file(str(path), "text/plain")


def test_text_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TOTAL_CHARS", 10)
    path = tmp_path / "long.txt"
    path.write_text("abcdefgh\fijklmnop", encoding="utf-8")
    result = extract_file(str(path), "text/plain")
    assert result.pages == ["abcdefgh", "ij"]
    assert result.chars == 10
    assert result.meta["truncated"] is True


def test_result_round_trips_as_plain_data(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("halo", encoding="utf-8")
    data = extract_file(str(path), "text/plain").to_dict()
    assert data["status"] == "done"
    assert data["pages"] == ["halo"]
    assert data["chars"] == 4
    assert data["ocr"] is False
    assert data["reason"] is None
    assert isinstance(data["meta"]["seconds"], float)
