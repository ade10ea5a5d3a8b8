"""Evidence: adding, replacing, reading and deleting supporting documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, Forbidden, NotFound
from archive.models import (
    Blob,
    Evidence,
    ExtractionStatus,
    IndicatorClaim,
    Innovation,
    Job,
    JobKind,
    Role,
    User,
)
from archive.schemas.evidence import EvidenceOut, EvidenceText, Extraction
from archive.scoping import READ_ALL, get_editable_innovation, get_visible_innovation
from archive.services import checklists, reviews, search_outbox
from archive.services.inputs import effective_facts
from archive.services.rules import rulepack_for_year
from archive.settings import Settings
from archive.storage import BlobRef
from archive.storage.sniff import HEAD_BYTES
from archive.timeutil import utcnow
from indexer.redact import mask_personal_numbers
from indexer.search_backend import MAX_INDEXED_PAGES

MAX_URL = 2000


@dataclass(frozen=True)
class EvidenceForm:
    """The checked form fields of an upload."""

    indicator: str
    level: int | None
    replaces: Evidence | None
    url: str | None


async def check_form(
    innovation: Innovation, fields: dict[str, str], *, has_file: bool
) -> EvidenceForm:
    """Validate the fields of an upload before anything is stored."""
    unknown = set(fields) - {"indicator", "level", "replaces", "url"}
    if unknown:
        raise BadInput(f"Kolom tidak dikenal: {', '.join(sorted(unknown))}.")
    indicator = fields.get("indicator", "").strip()
    pack = await rulepack_for_year(innovation.year)
    codes = [ind.code for ind in pack.indicators]
    if indicator not in codes:
        raise BadInput(
            f"indicator: kode indikator '{indicator[:64]}' tidak dikenal dalam paket aturan "
            f"{pack.id}. Gunakan salah satu dari: {', '.join(codes)}."
        )
    level = check_level(fields.get("level"))
    replaces = None
    if raw := fields.get("replaces", "").strip():
        replaces = await _replaced(innovation, indicator, raw)
    url = check_source(fields.get("url"), has_file=has_file)
    return EvidenceForm(indicator, level, replaces, url)


def check_level(raw: str | None) -> int | None:
    """A claimed level 0-3 from a form field, or None when the field is empty."""
    if raw is None or raw.strip() == "":
        return None
    if raw.strip() not in {"0", "1", "2", "3"}:
        raise BadInput("level: tingkat yang diklaim harus 0, 1, 2 atau 3.")
    return int(raw.strip())


async def _replaced(innovation: Innovation, indicator: str, raw: str) -> Evidence:
    if not raw.isdigit():
        raise BadInput("replaces: harus nomor bukti (id).")
    old = await Evidence.get_or_none(id=int(raw))
    if old is None or old.innovation_id != innovation.id:
        raise BadInput("replaces: bukti yang diganti bukan milik inovasi ini.")
    if old.indicator != indicator:
        raise BadInput(
            f"replaces: bukti {old.id} milik indikator '{old.indicator}', bukan '{indicator}'."
        )
    if old.deleted_at is not None or not old.is_current:
        raise Conflict(f"Bukti {old.id} sudah dihapus atau sudah diganti versi yang lebih baru.")
    return old


def check_source(raw_url: str | None, *, has_file: bool) -> str | None:
    """Exactly one of a file or a link; returns the checked link, if any."""
    url = check_url(raw_url)
    if has_file == (url is not None):
        raise BadInput("Kirim tepat satu: berkas (file) atau tautan (url).")
    return url


def check_url(raw: str | None) -> str | None:
    """A complete http(s) link, or None when the field is empty."""
    if raw is None or not raw.strip():
        return None
    url = raw.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise BadInput("url: tautan harus alamat http:// atau https:// yang lengkap.")
    if any(ord(ch) < 32 for ch in url):
        raise BadInput("url: tautan mengandung karakter kendali.")
    return url


async def uploadable_innovation(user: User, innovation_id: int) -> Innovation:
    """The innovation if this caller may add evidence to it (admin, invited innovator, staff)."""
    return await get_editable_innovation(user, innovation_id)


async def add_evidence(
    user: User | None,
    innovation: Innovation,
    form: EvidenceForm,
    blob: BlobRef | None,
    filename: str | None,
    media_type: str | None,
    actor: Actor,
) -> Evidence:
    """Record an uploaded file or a link as evidence, in one short transaction."""
    async with in_transaction():
        if blob is not None:
            # Write first: SQLite takes its write lock here.
            await record_blob(blob, media_type, queue=f"unit:{innovation.unit_id}")
        if form.replaces is not None:
            await Evidence.filter(id=form.replaces.id).update(is_current=False)
        evidence = await Evidence.create(
            innovation_id=innovation.id,
            indicator=form.indicator,
            blob_id=blob.sha256 if blob else None,
            url=form.url,
            filename=filename,
            media_type=media_type,
            size=blob.size if blob else None,
            version=form.replaces.version + 1 if form.replaces else 1,
            chain_id=form.replaces.chain_id if form.replaces else None,
            uploaded_by=user,
        )
        if evidence.chain_id is None:
            evidence.chain_id = evidence.id
            await Evidence.filter(id=evidence.id).update(chain_id=evidence.id)
        await search_outbox.enqueue(
            [search_outbox.evidence_ref(evidence.id)]
            + ([search_outbox.evidence_ref(form.replaces.id)] if form.replaces else [])
        )
        if form.level is not None:
            await _set_claim(innovation.id, form.indicator, form.level)
        await audit.record(
            actor,
            "replace" if form.replaces else "upload",
            "evidence",
            evidence.id,
            before={"evidence": form.replaces.id} if form.replaces else None,
            after=_audit_view(evidence),
        )
    await reviews.evidence_changed(innovation.id, form.indicator)
    await checklists.inputs_changed(innovation.id)
    return evidence


async def record_blob(blob: BlobRef, media_type: str | None, *, queue: str) -> None:
    """The blob's row, once per distinct content, and its text extraction queued once.

    ``queue`` says whose upload it is (``unit:<id>``...): the worker takes turns between them.
    """
    await Blob.bulk_create(
        [Blob(sha256=blob.sha256, size=blob.size, media_type=media_type)],
        ignore_conflicts=True,
    )
    await _enqueue_extraction(blob.sha256, queue)


async def _enqueue_extraction(sha256: str, queue: str) -> None:
    blob = await Blob.get(sha256=sha256)
    pending = await Job.exists(kind=JobKind.EXTRACT, ref=sha256, state="pending")
    if blob.extraction_status == ExtractionStatus.PENDING and not pending:
        await Job.create(kind=JobKind.EXTRACT, ref=sha256, queue=queue)


async def _set_claim(innovation_id: int, indicator: str, level: int) -> None:
    updated = await IndicatorClaim.filter(innovation_id=innovation_id, indicator=indicator).update(
        claimed_level=level
    )
    if not updated:
        await IndicatorClaim.create(
            innovation_id=innovation_id, indicator=indicator, claimed_level=level
        )


def _audit_view(evidence: Evidence) -> dict:
    return {
        "innovation": evidence.innovation_id,
        "indicator": evidence.indicator,
        "filename": evidence.filename,
        "url": evidence.url,
        "sha256": evidence.blob_id,
        "size": evidence.size,
        "version": evidence.version,
    }


async def get_visible_evidence(user: User | None, evidence_id: int) -> Evidence:
    """Evidence the caller may read; anonymous visitors read none (it may hold personal data)."""
    evidence = await Evidence.get_or_none(id=evidence_id)
    if evidence is None or user is None:
        raise NotFound("Bukti tidak ditemukan.")
    if evidence.innovation_id is None:  # the region's own (SPD) evidence: the office's
        if user.role not in READ_ALL:
            raise NotFound("Bukti tidak ditemukan.")
        return evidence
    await get_visible_innovation(user, evidence.innovation_id)  # 404 when not the caller's
    return evidence


async def list_current(user: User | None, innovation_id: int) -> list[Evidence]:
    innovation = await get_visible_innovation(user, innovation_id)
    if user is None:
        raise NotFound("Bukti tidak ditemukan.")
    return await Evidence.filter(
        innovation_id=innovation.id, is_current=True, deleted_at=None
    ).order_by("indicator", "id")


async def list_versions(user: User | None, evidence_id: int) -> list[Evidence]:
    evidence = await get_visible_evidence(user, evidence_id)
    # A first version's chain is its own id (older rows may not have chain_id filled in).
    chain = evidence.chain_id or evidence.id
    return await Evidence.filter(Q(chain_id=chain) | Q(id=chain)).order_by("version", "id")


async def delete_evidence(user: User, evidence_id: int, actor: Actor) -> None:
    """Soft delete: the row, its blob and its history stay; lists stop showing it."""
    evidence = await get_visible_evidence(user, evidence_id)
    if user.role not in {Role.ADMIN, Role.STAFF}:
        raise Forbidden("Hanya admin unit atau staf yang dapat menghapus bukti.")
    await get_editable_innovation(user, evidence.innovation_id)
    if evidence.deleted_at is not None:
        raise Conflict("Bukti ini sudah dihapus.")
    if not evidence.is_current:
        raise Conflict("Versi lama tidak dapat dihapus; hapus versi terbaru.")
    async with in_transaction():
        await Evidence.filter(id=evidence.id).update(deleted_at=utcnow(), deleted_by_id=user.id)
        await search_outbox.enqueue([search_outbox.evidence_ref(evidence.id)])
        await audit.record(actor, "delete", "evidence", evidence.id, before=_audit_view(evidence))
    await reviews.evidence_changed(evidence.innovation_id, evidence.indicator)
    await checklists.inputs_changed(evidence.innovation_id)


async def evidence_out(evidence: Evidence) -> EvidenceOut:
    return (await evidence_outs([evidence]))[0]


async def evidence_outs(rows: list[Evidence]) -> list[EvidenceOut]:
    """Evidence as the API shows it, in two queries however many rows there are."""
    shas = {row.blob_id for row in rows if row.blob_id}
    blobs = {b.sha256: b for b in await Blob.filter(sha256__in=shas)} if shas else {}
    uploader_ids = {row.uploaded_by_id for row in rows if row.uploaded_by_id}  # type: ignore[attr-defined]
    names = (
        dict(await User.filter(id__in=uploader_ids).values_list("id", "username"))
        if uploader_ids
        else {}
    )
    return [_out(row, blobs.get(row.blob_id or ""), names) for row in rows]


def _out(evidence: Evidence, blob: Blob | None, names: dict[int, str]) -> EvidenceOut:
    if blob is None:
        extraction = Extraction(status=ExtractionStatus.NOT_APPLICABLE.value)
    else:
        extraction = Extraction(
            status=str(blob.extraction_status),
            pages=blob.page_count,
            chars=blob.chars,
            ocr=blob.ocr,
            reason=blob.extraction_reason,
            truncated=bool((blob.meta or {}).get("truncated")),
            searchable_pages=(
                min(blob.page_count, MAX_INDEXED_PAGES) if blob.page_count is not None else None
            ),
        )
    uploader_id = evidence.uploaded_by_id  # type: ignore[attr-defined]
    return EvidenceOut(
        id=evidence.id,
        innovation_id=evidence.innovation_id,
        regional_year=evidence.regional_year,
        indicator=evidence.indicator,
        filename=evidence.filename,
        url=evidence.url,
        media_type=evidence.media_type,
        size=evidence.size,
        sha256=evidence.blob_id,
        version=evidence.version,
        chain_id=evidence.chain_id or evidence.id,
        is_current=evidence.is_current,
        public=evidence.public,
        deleted=evidence.deleted_at is not None,
        uploaded_by=names.get(uploader_id) if uploader_id else None,
        created_at=evidence.created_at,
        extraction=extraction,
        facts=effective_facts(evidence),
    )


@dataclass(frozen=True)
class IngestTarget:
    innovation: Innovation
    indicator: str


async def ingest_target(innovation_id: int, indicator: str) -> IngestTarget:
    """Check the innovation and indicator once, before any file is read."""
    innovation = await Innovation.get_or_none(id=innovation_id)
    if innovation is None:
        raise NotFound(f"Inovasi {innovation_id} tidak ditemukan.")
    form = await check_form(innovation, {"indicator": indicator}, has_file=True)
    return IngestTarget(innovation, form.indicator)


async def ingest_file(
    settings: Settings,
    target: IngestTarget,
    path: Path,
    progress: Callable[[int], None] | None = None,
) -> Evidence:
    """Add one file from disk as evidence (the CLI, acting as the system)."""
    import anyio.to_thread

    from archive.storage import BlobStore, safe_filename, sniff

    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    media_type = await anyio.to_thread.run_sync(sniff, head, path.name, path)
    store = BlobStore(settings.blob_dir)
    ref = await anyio.to_thread.run_sync(
        lambda: store.put_file(path, max_bytes=settings.max_upload_bytes, progress=progress)
    )
    form = EvidenceForm(target.indicator, None, None, None)
    return await add_evidence(
        None,
        target.innovation,
        form,
        ref,
        safe_filename(path.name, media_type),
        media_type,
        Actor("cli"),
    )


async def evidence_text(evidence: Evidence) -> EvidenceText:
    blob = await Blob.get_or_none(sha256=evidence.blob_id) if evidence.blob_id else None
    if blob is None:
        return EvidenceText(status=ExtractionStatus.NOT_APPLICABLE.value, text="", pages=[])
    pages = [mask_personal_numbers(page) for page in blob.pages or []]
    return EvidenceText(
        status=str(blob.extraction_status), text="\f".join(pages), pages=pages, ocr=blob.ocr
    )
