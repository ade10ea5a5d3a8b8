"""Plain text: charset detection and form-feed pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import extract_file

SAMPLE = "Keputusan Bupati — penetapan inovasi “SEPEDA” tahun 2024"


@pytest.mark.parametrize(
    ("encoded", "charset"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (SAMPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_charsets(tmp_path: Path, encoded: bytes, charset: str) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(encoded)
    result = extract_file(str(path), "text/plain")
    assert result.status == "done"
    assert result.pages == [SAMPLE]
    assert result.meta["charset"] == charset


def test_form_feeds_split_pages_and_newlines_normalised(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_bytes(b"satu\r\nbaris\fdua\rtiga")
    result = extract_file(str(path), "text/plain; charset=utf-8")
    assert result.pages == ["satu\nbaris", "dua\ntiga"]
    assert result.page_count == 2


def test_markdown_is_text(tmp_path: Path) -> None:
    path = tmp_path / "profil.md"
    path.write_text("# Profil inovasi\n\nRancang bangun ...", encoding="utf-8")
    assert extract_file(str(path), "text/markdown").status == "done"


def test_empty_text_is_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n ")
    result = extract_file(str(path), "text/plain")
    assert result.status == "no_text"
    assert result.reason == "the file is empty"
