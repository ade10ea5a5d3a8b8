"""DOCX extraction: document order, tables, headers and footers; bombs and entities refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from indexer.extract import DOCX, extract_file, limits

from .zipbuild import BILLION_LAUGHS, many_entries, minimal_docx, zip_bomb


@pytest.fixture(scope="module")
def decree_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "PEMERINTAH KABUPATEN BALANGAN"
    section.footer.paragraphs[0].text = "Dokumen ini sah tanpa tanda tangan basah"
    document.core_properties.title = "SK Tim Inovasi"
    document.add_heading("KEPUTUSAN BUPATI BALANGAN", level=1)
    document.add_paragraph("NOMOR 188.45/123/2024")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "No"
    table.cell(0, 1).text = "Nama"
    table.cell(0, 2).text = "Jabatan"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Siti Aminah"
    table.cell(1, 2).text = "Ketua"
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "Sekretariat Bappedalitbang"
    document.add_paragraph("Ditetapkan di Paringin")
    path = tmp_path_factory.mktemp("docx") / "decree.docx"
    document.save(str(path))
    return path


def test_docx_in_document_order(decree_docx: Path) -> None:
    result = extract_file(str(decree_docx), DOCX)
    assert result.status == "done", result.reason
    assert result.page_count == 1
    text = result.pages[0]
    order = [
        "PEMERINTAH KABUPATEN BALANGAN",
        "KEPUTUSAN BUPATI BALANGAN",
        "NOMOR 188.45/123/2024",
        "No | Nama | Jabatan",
        "1 | Siti Aminah | Ketua",
        "Ditetapkan di Paringin",
        "Dokumen ini sah tanpa tanda tangan basah",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert result.meta["title"] == "SK Tim Inovasi"
    assert result.chars == len(text)


def test_merged_cells_appear_once(decree_docx: Path) -> None:
    text = extract_file(str(decree_docx), DOCX).pages[0]
    assert text.count("Sekretariat Bappedalitbang") == 1


def test_empty_docx_is_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    result = extract_file(str(path), DOCX)
    assert result.status == "no_text"
    assert result.reason


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", "word/document.xml")


def test_zip_bomb_refused_before_parsing(docx_bomb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Refused from the central directory: no member is ever opened, so nothing is inflated.
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = extract_file(str(docx_bomb), DOCX)
    assert result.status == "failed"
    assert "ZIP bomb" in (result.reason or "")
    assert opened == []
    # The spy sees what extraction opens: a valid document is read through it.
    plain = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Halo</w:t></w:r></w:p></w:body></w:document>"
    )
    extract_file(str(minimal_docx(docx_bomb.parent / "ok.docx", plain)), DOCX)
    assert "word/document.xml" in opened


def test_high_ratio_entry_refused(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "ratio.docx", "word/document.xml", megabytes=8)
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert "compression ratio" in (result.reason or "")


def test_too_many_entries_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "ZIP_MAX_ENTRIES", 50)
    path = many_entries(tmp_path / "many.docx", 60)
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert "entries" in (result.reason or "")


def test_billion_laughs_refused(tmp_path: Path) -> None:
    path = minimal_docx(tmp_path / "laughs.docx", BILLION_LAUGHS)
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert "DTD" in (result.reason or "")


def test_external_entity_refused(tmp_path: Path) -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    result = extract_file(str(minimal_docx(tmp_path / "xxe.docx", xxe)), DOCX)
    assert result.status == "failed"
    assert "root:" not in "".join(result.pages)


def test_utf16_part_with_dtd_refused(tmp_path: Path) -> None:
    xml = BILLION_LAUGHS.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode()
    path = minimal_docx(tmp_path / "utf16.docx", xml.encode("utf-16"))
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert "DTD" in (result.reason or "")


def test_not_a_zip_fails(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"%PDF-1.4 not a docx at all")
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert "ZIP" in (result.reason or "")


def test_zip_without_document_fails(tmp_path: Path) -> None:
    path = tmp_path / "odd.docx"
    many_entries(path, 3)
    result = extract_file(str(path), DOCX)
    assert result.status == "failed"
    assert result.reason


TEXT_BOX = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
<w:body>
<w:p><w:r><mc:AlternateContent>
 <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
  <w:p><w:r><w:t>DINAS KESEHATAN</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>
 </mc:Choice>
 <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
  <w:p><w:r><w:t>DINAS KESEHATAN</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>
 </mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>Isi surat</w:t></w:r></w:p>
</w:body></w:document>"""


def test_text_box_read_once(tmp_path: Path) -> None:
    # Letterheads live in text boxes; Word stores each twice (DrawingML and VML fallback).
    result = extract_file(str(minimal_docx(tmp_path / "box.docx", TEXT_BOX)), DOCX)
    assert result.status == "done", result.reason
    assert result.pages[0].count("DINAS KESEHATAN") == 1
    assert result.pages[0].index("DINAS KESEHATAN") < result.pages[0].index("Isi surat")
