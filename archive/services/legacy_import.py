"""Past years' innovations from a spreadsheet (XLSX or CSV) and a folder tree of their files.

One row per innovation. The header row names the fields of ``POST /api/innovations`` (``unit``,
``year``, ``name``, ``stage``, ...) plus ``folder``, or other headers mapped to those by a YAML
file (``Nama Inovasi: name``). A row's files lie under ``<files>/<folder>/<indicator code>/``
(``folder`` defaults to the row's name).

Everything about a row is checked before anything is written (its fields, its unit, every
file's type and size, the indicator codes of its year's rule pack); then the row is written in
one transaction, so it is imported whole or not at all. A row whose unit, year and name are
already in the archive is skipped, so a second run adds nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from tortoise.transactions import in_transaction

from archive.audit import Actor
from archive.errors import BadInput, DomainError
from archive.models import Innovation, Unit
from archive.schemas.innovations import InnovationCreate
from archive.schemas.messages import field_messages
from archive.services import checklists
from archive.services.evidence import EvidenceForm, add_evidence
from archive.services.innovations import record_innovation
from archive.services.rules import rulepack_for_year
from archive.settings import Settings
from archive.storage import BlobStore, safe_filename, sniff
from archive.storage.sniff import HEAD_BYTES

ACTOR = Actor("cli:import-legacy")
FIELDS = set(InnovationCreate.model_fields)
# Files an office's computers leave in folders, which nobody meant to import.
_JUNK = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass
class RowPlan:
    """One row, checked: what would be written."""

    row: int
    data: InnovationCreate
    unit: Unit
    files: list[tuple[str, Path, str]] = field(default_factory=list)  # indicator, path, type


@dataclass
class ImportReport:
    imported: list[tuple[int, str, int]] = field(default_factory=list)  # row, name, files
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class RowError(Exception):
    """A row that cannot be imported, with the reason in Indonesian."""


def load_mapping(path: Path | None) -> dict[str, str]:
    """Header (as written in the sheet) -> field name; fields map to themselves."""
    mapping = {name: name for name in [*FIELDS, "folder"]}
    if path is None:
        return {_key(k): v for k, v in mapping.items()}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadInput(f"Berkas pemetaan {path.name} tidak dapat dibaca: {exc}") from None
    if not isinstance(loaded, dict):
        raise BadInput(f"Berkas pemetaan {path.name} harus berisi 'Judul kolom: nama_isian'.")
    for header, target in loaded.items():
        if target not in FIELDS and target != "folder":
            known = ", ".join(sorted([*FIELDS, "folder"]))
            raise BadInput(f"Pemetaan '{header}: {target}': isian tidak dikenal. Pilih: {known}.")
        mapping[str(header)] = str(target)
    return {_key(k): v for k, v in mapping.items()}


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the rows (numbered as a spreadsheet program does: the header is 1)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = list(_xlsx_rows(path))
    elif suffix == ".csv":
        rows = list(_csv_rows(path))
    else:
        raise BadInput(f"{path.name}: hanya XLSX atau CSV yang dapat diimpor.")
    if not rows:
        raise BadInput(f"{path.name} kosong: baris pertama harus berisi judul kolom.")
    header = ["" if cell is None else str(cell).strip() for cell in rows[0]]
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(_text(c) for c in row)]
    return header, body


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise BadInput(f"{path.name} bukan berkas XLSX yang dapat dibaca ({exc}).") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # what Excel on an Indonesian Windows saves
    try:
        # Indonesian Excel separates with semicolons (the comma is the decimal mark).
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _key(header: str) -> str:
    return re.sub(r"\s+", " ", header).strip().casefold()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


async def plan_rows(
    settings: Settings, sheet: Path, files_dir: Path | None, mapping: dict[str, str]
) -> tuple[list[RowPlan], ImportReport]:
    """Check every row; the report holds the broken and the already imported ones."""
    header, rows = read_rows(sheet)
    columns = [mapping.get(_key(h)) for h in header]
    if "name" not in columns or "unit" not in columns or "year" not in columns:
        found = ", ".join(h for h in header if h) or "tidak ada"
        raise BadInput(
            "Baris judul harus memuat kolom unit, year dan name (atau judul yang dipetakan ke "
            f"sana dengan --mapping). Judul yang ada: {found}."
        )
    report = ImportReport()
    plans: list[RowPlan] = []
    seen: set[tuple[int, int, str]] = set()
    for number, row in rows:
        values = {col: row[i] for i, col in enumerate(columns) if col and i < len(row)}
        try:
            plan = await _plan_row(settings, number, values, files_dir)
        except RowError as exc:
            report.errors.append((number, str(exc)))
            continue
        key = (plan.unit.id, plan.data.year, _key(plan.data.name))
        if key in seen or await _exists(*key):
            report.skipped.append((number, f"'{plan.data.name}' sudah ada di arsip"))
            continue
        seen.add(key)
        plans.append(plan)
    return plans, report


async def _plan_row(
    settings: Settings, number: int, values: dict[str, Any], files_dir: Path | None
) -> RowPlan:
    folder = _text(values.pop("folder", None))
    fields = {name: _value(name, raw) for name, raw in values.items()}
    fields = {name: value for name, value in fields.items() if value not in (None, "")}
    unit = await _unit(_text(fields.get("unit")))
    fields["unit"] = unit.code
    try:
        data = InnovationCreate(**fields)
    except ValidationError as exc:
        messages = field_messages(exc)
        raise RowError("; ".join(f"{name}: {text}" for name, text in messages.items())) from None
    plan = RowPlan(number, data, unit)
    if files_dir is not None:
        plan.files = await _row_files(settings, files_dir, folder or data.name, data.year)
    return plan


def _value(name: str, raw: Any) -> Any:
    """A cell as the API would take it: dates, numbers and choices written as people do."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if name.endswith("_date"):
        return _date(raw)
    if name == "year":
        return _integer(raw, "year")
    if name == "budget":
        return _integer(raw, "budget")
    if name in ("latitude", "longitude"):
        text = str(raw).strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise RowError(f"{name}: '{text}' bukan angka.") from None
    if name in ("stage", "type"):
        return re.sub(r"[\s_-]+", " ", str(raw)).strip().casefold().replace("ujicoba", "uji coba")
    return str(raw).strip() if not isinstance(raw, str) else raw.strip()


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"tanggal '{text}' tidak dikenali; tulis TTTT-BB-HH atau HH/BB/TTTT.")


def _integer(raw: Any, name: str) -> int:
    if isinstance(raw, bool):
        raise RowError(f"{name}: harus berupa angka.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    # "Rp 1.500.000,00": dots group thousands, a comma starts the (zero) cents.
    text = re.sub(r"^rp\.?\s*", "", str(raw).strip(), flags=re.IGNORECASE)
    text = re.sub(r",0+$", "", text).replace(".", "").replace(" ", "")
    if not text.isdigit():
        raise RowError(f"{name}: '{str(raw).strip()}' bukan bilangan bulat.")
    return int(text)


async def _unit(text: str) -> Unit:
    if not text:
        raise RowError("unit: wajib diisi (kode atau nama perangkat daerah).")
    unit = await Unit.get_or_none(code=text.upper())
    if unit is None:
        for candidate in await Unit.all():
            if _key(candidate.name) == _key(text):
                return candidate
        raise RowError(f"unit: '{text}' tidak dikenal (tulis kodenya, mis. DINKES, atau namanya).")
    return unit


async def _exists(unit_id: int, year: int, name: str) -> bool:
    names = await Innovation.filter(unit_id=unit_id, year=year).values_list("name", flat=True)
    return any(_key(str(existing)) == name for existing in names)


async def _row_files(
    settings: Settings, files_dir: Path, folder: str, year: int
) -> list[tuple[str, Path, str]]:
    import anyio.to_thread

    root = files_dir.resolve()
    base = (root / folder).resolve()
    if not base.is_relative_to(root) or base == root:
        raise RowError(f"folder: '{folder}' berada di luar folder berkas.")
    if not base.is_dir():
        return []  # a row without files is still worth having
    codes = {indicator.code for indicator in (await rulepack_for_year(year)).indicators}
    found: list[tuple[str, Path, str]] = []
    for sub in sorted(base.iterdir()):
        if sub.name.casefold() in _JUNK or sub.name.startswith("."):
            continue
        if not sub.is_dir():
            raise RowError(
                f"berkas {folder}/{sub.name}: letakkan di subfolder kode indikator, "
                f"mis. {folder}/regulasi/{sub.name}."
            )
        if sub.name not in codes:
            raise RowError(
                f"folder {folder}/{sub.name}: kode indikator tidak dikenal untuk tahun {year}. "
                f"Gunakan salah satu dari: {', '.join(sorted(codes))}."
            )
        for path in sorted(sub.iterdir()):
            if not path.is_file() or path.name.casefold() in _JUNK or path.name.startswith("."):
                continue
            if path.stat().st_size > settings.max_upload_bytes:
                raise RowError(
                    f"berkas {folder}/{sub.name}/{path.name} lebih dari "
                    f"{settings.max_upload_mb} MB."
                )
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
            try:
                media_type = await anyio.to_thread.run_sync(sniff, head, path.name, path)
            except DomainError as exc:
                raise RowError(f"berkas {folder}/{sub.name}/{path.name}: {exc.detail}") from None
            found.append((sub.name, path, media_type))
    return found


async def import_rows(
    settings: Settings, plans: list[RowPlan], report: ImportReport, advance: Callable[[], None]
) -> None:
    """Write each checked row whole, in its own transaction; a failure leaves nothing of it."""
    store = BlobStore(settings.blob_dir)
    for plan in plans:
        try:
            await _write(store, settings, plan)
        except (DomainError, OSError) as exc:
            reason = exc.detail if isinstance(exc, DomainError) else str(exc)
            report.errors.append((plan.row, reason))
        else:
            report.imported.append((plan.row, plan.data.name, len(plan.files)))
        advance()
    report.errors.sort()


async def _write(store: BlobStore, settings: Settings, plan: RowPlan) -> None:
    import anyio.to_thread

    # The bytes first (content-addressed: a rolled-back row leaves at most unreferenced
    # copies that `sepeda fsck` lists), then every row of the database in one transaction.
    put = partial(store.put_file, max_bytes=settings.max_upload_bytes)
    refs = [await anyio.to_thread.run_sync(put, path) for _, path, _ in plan.files]
    async with in_transaction():
        innovation = await record_innovation(plan.data, plan.unit, None, ACTOR, "import")
        for (indicator, path, media_type), ref in zip(plan.files, refs, strict=True):
            form = EvidenceForm(indicator, None, None, None)
            name = safe_filename(path.name, media_type)
            await add_evidence(None, innovation, form, ref, name, media_type, ACTOR)
    await checklists.inputs_changed(innovation.id)
