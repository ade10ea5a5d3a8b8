"""Profile import: a draft innovation filled from a profile document read in the sandbox."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from pydantic import ValidationError

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Forbidden, UnsupportedType
from archive.models import Role, Unit, User
from archive.schemas.innovations import InnovationCreate
from archive.scoping import can_create_in_unit
from archive.services.innovations import create_innovation
from archive.settings import Settings
from archive.storage import BlobStore, Upload, sniff
from archive.storage.ooxml import DOCX
from archive.storage.sniff import PDF, TEXT
from archive.timeutil import jsonable
from checklist.profile_import import NATIONAL_FIELDS, parse_profile
from checklist.textutil import load_patterns
from indexer.sandbox import Crash, Supervisor
from indexer.sandbox import Job as SandboxJob

ACCEPTED = (PDF, DOCX, TEXT)  # Markdown sniffs as text
FORM_FIELDS = {"unit", "year"}
# A profile is a few pages; more text than this is not one, and only its start is read.
MAX_TEXT = 1_000_000
_NUMBER = (
    r"(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+)(?:[.,](\d{1,2}))?"
    r"(?:\s*(ribu|juta|jt|miliar|milyar|m)\b)?"
)
_RUPIAH = re.compile(r"\brp\.?\s*" + _NUMBER, re.IGNORECASE)
_AMOUNT = re.compile(_NUMBER, re.IGNORECASE)
_SCALE = {"ribu": 10**3, "juta": 10**6, "jt": 10**6, "miliar": 10**9, "milyar": 10**9, "m": 10**9}


@dataclass(frozen=True)
class ImportForm:
    """The checked form fields of an import."""

    unit: Unit
    year: int


@dataclass(frozen=True)
class ProfileFile:
    """The uploaded profile, as held in the scratch store while it is read."""

    path: Path
    filename: str | None
    media_type: str
    sha256: str
    size: int

    @classmethod
    def of(cls, store: BlobStore, upload: Upload) -> ProfileFile:
        """The file `receive_upload` committed to `store`."""
        assert upload.blob is not None and upload.media_type is not None
        blob = upload.blob
        path = store.path(blob.sha256)
        return cls(path, upload.filename, upload.media_type, blob.sha256, blob.size)


@dataclass(frozen=True)
class ImportResult:
    """The draft created, the fields filled in and what the reader found."""

    id: int
    fields: dict[str, Any]
    findings: list[dict[str, str]]


def require_importer(user: User) -> None:
    """Only an admin (for their unit) or staff may import; checked before the body is read."""
    if user.role not in {Role.ADMIN, Role.STAFF}:
        raise Forbidden("Hanya admin unit atau staf yang dapat mengimpor profil inovasi.")


def check_type(head: bytes, filename: str | None, path: Path) -> str:
    """The sniffed media type when it is DOCX, PDF or text; 415 otherwise."""
    media_type = sniff(head, filename, path)
    if media_type not in ACCEPTED:
        raise UnsupportedType(
            "Profil inovasi harus berupa dokumen DOCX, PDF, TXT atau MD; "
            f"berkas ini bertipe {media_type}."
        )
    return media_type


async def check_form(user: User, fields: dict[str, str], *, has_file: bool) -> ImportForm:
    """Validate unit, year, permission and the file's presence before anything is kept."""
    if "file" in fields:  # sent as text, not as a file part
        raise BadInput("file: kirim dokumen profil sebagai berkas, bukan sebagai teks.")
    unknown = set(fields) - FORM_FIELDS
    if unknown:
        raise BadInput(f"Kolom tidak dikenal: {', '.join(sorted(unknown))}.")
    raw_year = fields.get("year", "").strip()
    if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
        raise BadInput("year: tahun harus angka antara 2000 dan 2100.")
    code = fields.get("unit", "").strip()
    unit = await Unit.get_or_none(code=code) if code else None
    if unit is None:
        raise BadInput(f"unit: unit '{code[:32]}' tidak dikenal.")
    if not can_create_in_unit(user, unit.id):
        raise Forbidden("Anda hanya dapat mendaftarkan inovasi untuk unit Anda sendiri.")
    if not has_file:
        raise BadInput("file: kirim dokumen profil inovasi (DOCX, PDF, TXT atau MD).")
    return ImportForm(unit, int(raw_year))


@contextmanager
def scratch_store(settings: Settings) -> Iterator[BlobStore]:
    """A private store for one upload, removed afterwards: the profile is read, not kept."""
    parent = settings.data_dir / "imports"
    parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="import-", dir=parent))
    try:
        yield BlobStore(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


async def import_profile(
    user: User,
    form: ImportForm,
    profile: ProfileFile,
    settings: Settings,
    supervisor: Supervisor | None,
    actor: Actor,
) -> ImportResult:
    """Read the document in the sandbox, parse its sections and create a draft from them."""
    data, fields, findings = await read_profile(form, profile, settings, supervisor)
    innovation = await create_innovation(user, data, actor)
    after = {
        "filename": profile.filename,
        "sha256": profile.sha256,
        "size": profile.size,
        "media_type": profile.media_type,
        "findings": [f["code"] for f in findings],
    }
    await audit.record(actor, "import", "innovation", innovation.id, after=after)
    return ImportResult(innovation.id, fields, findings)


async def read_profile(
    form: ImportForm, profile: ProfileFile, settings: Settings, supervisor: Supervisor | None
) -> tuple[InnovationCreate, dict[str, Any], list[dict[str, str]]]:
    """What a profile document says, as a draft not yet saved: (data, fields, findings)."""
    text = await read_text(profile, settings, supervisor)
    findings: list[dict[str, str]] = []
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
        message = "Dokumen terlalu panjang; hanya bagian awalnya yang dibaca."
        findings.append(_finding("TRUNCATED", "profile", message))
    parsed = await anyio.to_thread.run_sync(parse_profile, text)
    data, fields = draft_from(parsed, form, profile.filename, findings)
    return data, fields, findings


async def read_text(profile: ProfileFile, settings: Settings, supervisor: Supervisor | None) -> str:
    """The document's text, extracted in a sandboxed child (the worker's, or one of our own)."""
    job = SandboxJob(
        id=f"import-{profile.sha256[:12]}",
        path=str(profile.path),
        media_type=profile.media_type,
        timeout_s=settings.extract_timeout_s,
    )
    if supervisor is not None:
        outcome = await supervisor.extract(job)
    else:
        own = Supervisor(
            workers=1, timeout_s=settings.extract_timeout_s, memory_mb=settings.extract_memory_mb
        )
        try:
            outcome = await own.extract(job)
        finally:
            await anyio.to_thread.run_sync(own.close)
    if isinstance(outcome, Crash):
        raise BadInput(
            "Dokumen profil tidak dapat dibaca (rusak atau terlalu berat); "
            "simpan ulang sebagai DOCX atau PDF lalu coba lagi."
        )
    if outcome.status == "encrypted":
        raise BadInput("Dokumen profil terkunci kata sandi; buka kuncinya lalu unggah lagi.")
    if outcome.status != "done":
        raise BadInput("Tidak ada teks yang dapat dibaca dari dokumen profil.")
    return "\n".join(outcome.pages)


def draft_from(
    parsed: dict[str, Any], form: ImportForm, filename: str | None, findings: list[dict[str, str]]
) -> tuple[InnovationCreate, dict[str, Any]]:
    """The draft to create and the fields shown; what does not validate becomes a finding."""
    findings += parsed["findings"]
    raw = parsed["fields"]
    base = {"year": form.year, "unit": form.unit.code, "name": "-"}
    values: dict[str, Any] = {}
    for key in NATIONAL_FIELDS:
        value = raw.get(key)
        if key == "budget" and isinstance(value, str):
            value = _budget(value, findings)
        if value is None:
            continue
        try:
            InnovationCreate.model_validate({**base, key: value})
        except ValidationError:
            message = (
                f"Isi bagian '{_label(key)}' tidak sesuai format profil dan tidak diimpor; "
                "isi secara manual."
            )
            findings.append(_finding("INVALID_VALUE", key, message))
            continue
        values[key] = value
    if "name" not in values:
        values["name"] = _name_from(filename)
        message = (
            f"Nama inovasi tidak ditemukan; sementara memakai '{values['name']}'. "
            "Ubah sebelum diajukan."
        )
        findings.append(_finding("NAME_FROM_FILE", "name", message))
    proposal = {k: v for k, v in raw.items() if k not in NATIONAL_FIELDS and isinstance(v, str)}
    if proposal:
        values["proposal"] = proposal
    try:
        data = InnovationCreate.model_validate({**base, **values})
    except ValidationError:  # the one cross-field rule: implementation not before the trial
        values.pop("implementation_date")
        message = "Waktu penerapan di dokumen sebelum waktu uji coba; tanggal itu tidak diimpor."
        findings.append(_finding("DATE_ORDER", "implementation_date", message))
        data = InnovationCreate.model_validate({**base, **values})
    shown = {key: jsonable(getattr(data, key)) for key in NATIONAL_FIELDS}
    shown["proposal"] = data.proposal or {}
    return data, shown


def _budget(text: str, findings: list[dict[str, str]]) -> int | None:
    """Rupiah from 'Rp 150.000.000,-' or 'Rp 1,5 miliar'; a finding when none is read."""
    match = _RUPIAH.search(text) or _AMOUNT.search(text)
    if match is None:
        message = "Isi bagian 'Anggaran' tidak dapat dibaca sebagai jumlah rupiah; isi manual."
        findings.append(_finding("INVALID_VALUE", "budget", message))
        return None
    whole = int(re.sub(r"[.,]", "", match.group(1)))
    scale = _SCALE.get((match.group(3) or "").lower(), 1)
    fraction = int((match.group(2) or "0").ljust(2, "0")) if scale > 1 else 0
    return whole * scale + fraction * scale // 100


def _name_from(filename: str | None) -> str:
    """A provisional name from the file name, without extension and separators."""
    stem = Path(filename).stem if filename else ""
    name = re.sub(r"[\s_\-]+", " ", re.sub(r"[\x00-\x1f]", "", stem)).strip()[:300]
    return name or "Inovasi tanpa nama"


def _label(field: str) -> str:
    """The field's Indonesian label, as the profile reader names it."""
    return load_patterns("profile.yaml")["labels"].get(field, field)


def _finding(code: str, field: str, message: str) -> dict[str, str]:
    return {"code": code, "field": field, "message": message}
