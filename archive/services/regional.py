"""The region's own (SPD) indicators of a year: staff record levels and evidence; SPD score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, NotFound
from archive.models import (
    Blob,
    Evidence,
    ExtractionStatus,
    Period,
    RegionalIndicator,
    Role,
    User,
)
from archive.scoping import require_role
from archive.services.evidence import check_level, check_source, record_blob
from archive.services.rules import rulepack_for_year
from archive.storage import BlobRef
from archive.timeutil import utcnow
from checklist import RulePack
from checklist.index import spd_score

NO_SPD_NOTE = (
    "Indikator SPD (Satuan Pemerintahan Daerah) tahun {year} belum dicatat: indeks hanya "
    "dihitung dari bagian inovasi (SID), dan nilai SPD dianggap 0."
)
NO_SPD_IN_PACK = (
    "Paket aturan {pack} tidak memuat indikator SPD: indeks hanya dihitung dari bagian "
    "inovasi (SID)."
)


@dataclass(frozen=True)
class RegionalForm:
    """The checked form fields of a regional evidence upload."""

    indicator: str
    level: int | None
    url: str | None


async def period_pack(year: int) -> RulePack:
    """The rule pack of an existing period; 404 when the year has no period."""
    if not await Period.exists(year=year):
        raise NotFound(f"Periode tahun {year} tidak ditemukan.")
    return await rulepack_for_year(year)


def spd_code(pack: RulePack, code: str) -> str:
    """The code when it is one of the pack's SPD indicators; 422 naming the valid ones."""
    codes = [indicator.code for indicator in pack.spd_indicators]
    if code not in codes:
        valid = ", ".join(codes) if codes else "(paket ini tidak memuat indikator SPD)"
        raise BadInput(
            f"Kode indikator SPD '{code[:64]}' tidak dikenal dalam paket aturan {pack.id}. "
            f"Gunakan salah satu dari: {valid}."
        )
    return code


async def set_indicator(
    year: int, code: str, claimed_level: int, note: str | None, actor: Actor
) -> RegionalIndicator:
    """Record (or change) the level the region claims for one SPD indicator."""
    spd_code(await period_pack(year), code)
    row = await RegionalIndicator.get_or_none(year=year, indicator=code)
    before = {"claimed_level": row.claimed_level, "note": row.note} if row else None
    if row is None:
        row = await RegionalIndicator.create(
            year=year, indicator=code, claimed_level=claimed_level, note=note
        )
    else:
        row.claimed_level, row.note = claimed_level, note
        await row.save()
    await audit.record(
        actor, "claim", "regional_indicator", f"{year}:{code}", before=before,
        after={"claimed_level": claimed_level, "note": note},
    )  # fmt: skip
    return row


async def _evidence_changed(year: int, code: str) -> None:
    """The evidence of an SPD indicator changed: its verified level waits for a new review."""
    await RegionalIndicator.filter(year=year, indicator=code).update(verified_level=None)


async def review_indicator(
    user: User, year: int, code: str, verified_level: int, note: str | None, actor: Actor
) -> RegionalIndicator:
    """A verifier records the level the region's evidence proves for one SPD indicator.

    Only a claimed indicator is reviewed, and a level above 0 needs evidence on file: the
    verified basis of the index must rest on documents, as for innovations. Adding or
    removing evidence of the indicator clears the level until it is reviewed again.
    """
    require_role(user, Role.VERIFIER)
    spd_code(await period_pack(year), code)
    row = await RegionalIndicator.get_or_none(year=year, indicator=code)
    if row is None:
        raise Conflict(f"Indikator SPD '{code}' tahun {year} belum diklaim oleh staf.")
    has_evidence = await Evidence.exists(
        innovation_id=None, regional_year=year, indicator=code, is_current=True, deleted_at=None
    )
    if verified_level > 0 and not has_evidence:
        raise BadInput(
            f"Indikator SPD '{code}' belum memiliki bukti; tanpa bukti hanya tingkat 0 "
            "yang dapat ditetapkan."
        )
    before = {"verified_level": row.verified_level, "note": row.note}
    row.verified_level = verified_level
    if note:
        row.note = note
    await row.save()
    await audit.record(
        actor, "review", "regional_indicator", f"{year}:{code}", before=before,
        after={"verified_level": verified_level, "note": row.note},
    )  # fmt: skip
    return row


async def check_form(year: int, fields: dict[str, str], *, has_file: bool) -> RegionalForm:
    """Validate the fields of a regional upload before anything is stored."""
    unknown = set(fields) - {"indicator", "level", "url"}
    if unknown:
        raise BadInput(f"Kolom tidak dikenal: {', '.join(sorted(unknown))}.")
    code = spd_code(await period_pack(year), fields.get("indicator", "").strip())
    level = check_level(fields.get("level"))
    return RegionalForm(code, level, check_source(fields.get("url"), has_file=has_file))


async def add_regional_evidence(
    user: User | None,
    year: int,
    form: RegionalForm,
    blob: BlobRef | None,
    filename: str | None,
    media_type: str | None,
    actor: Actor,
) -> Evidence:
    """Record a file or link as the region's own evidence of an SPD indicator."""
    async with in_transaction():
        if blob is not None:
            await record_blob(blob, media_type, queue="regional")
        evidence = await Evidence.create(
            innovation_id=None,
            regional_year=year,
            indicator=form.indicator,
            blob_id=blob.sha256 if blob else None,
            url=form.url,
            filename=filename,
            media_type=media_type,
            size=blob.size if blob else None,
            uploaded_by=user,
        )
        evidence.chain_id = evidence.id
        await Evidence.filter(id=evidence.id).update(chain_id=evidence.id)
        await _evidence_changed(year, form.indicator)
        if form.level is not None:
            updated = await RegionalIndicator.filter(year=year, indicator=form.indicator).update(
                claimed_level=form.level
            )
            if not updated:
                await RegionalIndicator.create(
                    year=year, indicator=form.indicator, claimed_level=form.level
                )
        await audit.record(
            actor, "upload", "evidence", evidence.id,
            after={"regional_year": year, "indicator": form.indicator, "filename": filename,
                   "url": form.url, "sha256": evidence.blob_id, "level": form.level},
        )  # fmt: skip
    return evidence


async def recorded_levels(year: int, pack: RulePack) -> tuple[dict[str, RegionalIndicator], bool]:
    """The year's SPD records of the pack's codes, and whether any was recorded."""
    codes = {indicator.code for indicator in pack.spd_indicators}
    rows = {r.indicator: r for r in await RegionalIndicator.filter(year=year)}
    rows = {code: row for code, row in rows.items() if code in codes}
    return rows, bool(rows)


def spd_for_basis(pack: RulePack, rows: dict[str, RegionalIndicator], basis: str) -> float:
    """SPD on a basis: claimed levels (also for 'supported', for now) or verified levels."""
    if basis == "verified":
        levels = {code: row.verified_level or 0 for code, row in rows.items()}
    else:
        levels = {code: row.claimed_level for code, row in rows.items()}
    return spd_score(pack.id, levels, rulepack=pack)["spd"]


def spd_note(year: int, pack: RulePack, recorded: bool) -> str | None:
    """Why the index has no SPD part, in Bahasa Indonesia; None when it has one."""
    if not pack.spd_indicators:
        return NO_SPD_IN_PACK.format(pack=pack.id)
    return None if recorded else NO_SPD_NOTE.format(year=year)


def _status(row: RegionalIndicator | None, items: list[dict[str, Any]]) -> str:
    """missing (no evidence), pending (being read), verified, else needs_review."""
    if row is not None and row.verified_level is not None:
        return "verified"
    if not items:
        return "missing"
    if any(item["extraction_status"] == ExtractionStatus.PENDING for item in items):
        return "pending"
    return "needs_review"


def _findings(indicator: Any, row: RegionalIndicator | None, status: str) -> list[dict]:
    findings = []
    claimed = row.claimed_level if row else 0
    if status == "missing":
        code = "MISSING_MANDATORY" if indicator.mandatory else "MISSING"
        findings.append({"code": code, "severity": "error" if indicator.mandatory else "warning",
                         "message": f"Belum ada bukti. Unggah: {indicator.evidence}"})  # fmt: skip
    if row is None or not claimed:
        findings.append({"code": "NOT_RECORDED", "severity": "warning",
                         "message": "Tingkat indikator ini belum dicatat staf."})  # fmt: skip
    if status == "needs_review":
        findings.append({"code": "NEEDS_REVIEW", "severity": "info",
                         "message": "Bukti ada; tingkatnya dinilai oleh verifikator."})  # fmt: skip
    return findings


async def regional_view(year: int) -> dict[str, Any]:
    """The year's SPD indicators with levels, evidence, status and the SPD score per basis."""
    pack = await rulepack_for_year(year)
    rows, recorded = await recorded_levels(year, pack)
    evidence = await Evidence.filter(
        innovation_id=None, regional_year=year, is_current=True, deleted_at=None
    ).order_by("indicator", "id")
    statuses = dict(
        await Blob.filter(sha256__in=[e.blob_id for e in evidence if e.blob_id]).values_list(
            "sha256", "extraction_status"
        )
    )
    indicators = []
    for indicator in pack.spd_indicators:
        row = rows.get(indicator.code)
        items = [
            {"id": e.id, "filename": e.filename, "url": e.url, "media_type": e.media_type,
             "extraction_status": str(statuses.get(e.blob_id, "not_applicable"))
             if e.blob_id else "not_applicable"}
            for e in evidence if e.indicator == indicator.code
        ]  # fmt: skip
        status = _status(row, items)
        indicators.append(
            {
                "code": indicator.code,
                "number": indicator.number,
                "name": indicator.name,
                "weight": indicator.weight,
                "mandatory": indicator.mandatory,
                "claimed_level": row.claimed_level if row else 0,
                "verified_level": row.verified_level if row else None,
                "note": row.note if row else None,
                "status": status,
                "evidence": items,
                "findings": _findings(indicator, row, status),
            }
        )
    claimed = {code: row.claimed_level for code, row in rows.items()}
    return {
        "year": year,
        "rulepack": pack.id,
        "spd_recorded": recorded,
        "note": spd_note(year, pack, recorded),
        "spd": {
            "claimed": spd_for_basis(pack, rows, "claimed"),
            "verified": spd_for_basis(pack, rows, "verified"),
            "max": spd_score(pack.id, {}, rulepack=pack)["max"],
            "missing_mandatory": spd_score(pack.id, claimed, rulepack=pack)["missing_mandatory"],
        },
        "indicators": indicators,
    }


async def delete_regional_evidence(user: User, year: int, evidence_id: int, actor: Actor) -> None:
    """Soft delete of the region's own evidence: kept in history and the audit log."""
    evidence = await Evidence.get_or_none(id=evidence_id, innovation_id=None, regional_year=year)
    if evidence is None:
        raise NotFound("Bukti tidak ditemukan.")
    if evidence.deleted_at is not None or not evidence.is_current:
        raise Conflict("Bukti ini sudah dihapus atau sudah diganti.")
    async with in_transaction():
        await Evidence.filter(id=evidence.id).update(deleted_at=utcnow(), deleted_by_id=user.id)
        await _evidence_changed(year, evidence.indicator)
        await audit.record(
            actor, "delete", "evidence", evidence.id,
            before={"regional_year": year, "indicator": evidence.indicator,
                    "filename": evidence.filename, "url": evidence.url},
        )  # fmt: skip
