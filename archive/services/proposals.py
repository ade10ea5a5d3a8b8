"""Proposals from villages and citizens: received on a public form, turned into a draft or declined.

The proposer gets a private link (``/usulan/<token>``) that shows the proposal's state and, when
declined, staff's reason; only the token's SHA-256 is stored. Spam is kept out without outside
services: a honeypot field that people never see, a time trap (a form sent sooner than a
person can type it), and a limit per sender address, kept as an HMAC of the address.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from pydantic import BaseModel, Field, ValidationError, field_validator
from tortoise.transactions import in_transaction

from archive import audit
from archive.audit import Actor
from archive.errors import BadInput, Conflict, NotFound, TooManyAttempts
from archive.models import (
    Innovation,
    Proposal,
    ProposalFile,
    ProposalStatus,
    ProposerKind,
    Role,
    Unit,
    User,
)
from archive.schemas.innovations import InnovationCreate
from archive.scoping import require_role
from archive.services import innovations, notifications
from archive.services.evidence import record_blob
from archive.storage import BlobRef
from archive.timeutil import utcnow

# A form older than this was left open, or replayed: ask to load it again.
MAX_SECONDS = 24 * 3600
PER_HOUR = 5  # proposals per sender address
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
KIND_LABELS = {ProposerKind.VILLAGE: "Pemerintah desa", ProposerKind.CITIZEN: "Warga"}
CLASSIFICATION = {ProposerKind.VILLAGE: "Inovasi Desa", ProposerKind.CITIZEN: "Inovasi Masyarakat"}
INITIATOR = {ProposerKind.VILLAGE: "OPD", ProposerKind.CITIZEN: "Masyarakat"}
FIELD_MESSAGES = {
    "kind": "Pilih siapa yang mengusulkan: pemerintah desa atau warga.",
    "name": "Nama inovasi wajib diisi (3 sampai 300 karakter).",
    "description": "Uraikan inovasinya paling sedikit 30 karakter (paling banyak 5.000).",
    "problem": "Tuliskan masalah yang diatasi paling sedikit 10 karakter (paling banyak 5.000).",
    "origin": "Asal (desa/kelurahan, kecamatan) paling banyak 200 karakter.",
    "contact_name": "Nama pengusul wajib diisi (2 sampai 200 karakter).",
    "contact_email": "Alamat surel tidak valid.",
    "contact_phone": "Nomor telepon hanya angka, spasi, +, - (8 sampai 20 angka).",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ProposalForm(BaseModel):
    """The public form, as typed."""

    kind: ProposerKind
    name: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=30, max_length=5000)
    problem: str = Field(min_length=10, max_length=5000)
    origin: str = Field(default="", max_length=200)
    contact_name: str = Field(min_length=2, max_length=200)
    contact_email: str = Field(default="", max_length=200)
    contact_phone: str = Field(default="", max_length=40)

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not EMAIL.match(value):
            raise ValueError("email")
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        digits = re.sub(r"\D", "", value)
        if value and (not re.fullmatch(r"[\d\s+\-()]+", value) or not 8 <= len(digits) <= 20):
            raise ValueError("phone")
        return value


def check_form(fields: dict[str, str]) -> ProposalForm:
    """The typed form, or the first problem in Indonesian (``extra.field`` names the field)."""
    try:
        form = ProposalForm.model_validate({k: v for k, v in fields.items() if k in FIELD_MESSAGES})
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise BadInput(
            FIELD_MESSAGES.get(field, "Isian usulan tidak valid."), extra={"field": field}
        ) from None
    if not form.contact_email and not form.contact_phone:
        raise BadInput(
            "Isi surel atau nomor telepon agar petugas dapat menghubungi Anda.",
            extra={"field": "contact_email"},
        )
    return form


def sender_key(secret: str, address: str | None) -> str:
    """An HMAC of the sender's address: enough to count, useless to identify."""
    return hmac.new(secret.encode(), (address or "-").encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def check_not_spam(
    honeypot: str, elapsed: float | None, sender: str, min_seconds: float
) -> None:
    """Refuse what a bot sends: the hidden field filled, too fast or stale, or too many."""
    if honeypot.strip():
        raise BadInput("Usulan tidak dapat diterima. Kosongkan kolom yang tersembunyi.")
    if elapsed is None or elapsed > MAX_SECONDS:
        raise BadInput("Formulir kedaluwarsa. Muat ulang halaman lalu isi kembali.")
    if elapsed < min_seconds:
        raise BadInput("Formulir dikirim terlalu cepat. Periksa isian Anda lalu kirim sekali lagi.")
    since = utcnow() - timedelta(hours=1)
    if await Proposal.filter(sender=sender, created_at__gte=since).count() >= PER_HOUR:
        raise TooManyAttempts(
            f"Terlalu banyak usulan dari alamat ini (paling banyak {PER_HOUR} per jam). "
            "Coba lagi nanti.",
            retry_after=3600,
        )


@dataclass(frozen=True)
class ReceivedFile:
    blob: BlobRef
    filename: str
    media_type: str


async def submit(
    form: ProposalForm, files: list[ReceivedFile], sender: str, year: int
) -> tuple[Proposal, str]:
    """Store a proposal and its files; returns it with the token of the proposer's link."""
    token = secrets.token_urlsafe(24)
    async with in_transaction():
        proposal = await Proposal.create(
            year=year, token_hash=token_hash(token), sender=sender, **form.model_dump()
        )
        for item in files:
            await record_blob(item.blob, item.media_type, queue="usulan")
            await ProposalFile.create(
                proposal=proposal, blob_id=item.blob.sha256, filename=item.filename,
                media_type=item.media_type, size=item.blob.size,
            )  # fmt: skip
    # The audit log keeps what happened, not who: the contact is personal data.
    await audit.record(
        Actor(username=None, ip=None), "propose", "proposal", proposal.id,
        after={"name": proposal.name, "kind": proposal.kind.value, "files": len(files)},
    )  # fmt: skip
    staff = await User.filter(role=Role.STAFF, active=True)
    await notifications.notify(
        staff, "proposal", f"Usulan inovasi baru dari {KIND_LABELS[form.kind].lower()}: "
        f"{proposal.name}.", key=f"proposal:{proposal.id}",
    )  # fmt: skip
    return proposal, token


async def by_token(token: str) -> Proposal:
    proposal = await Proposal.get_or_none(token_hash=token_hash(token))
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan. Periksa kembali tautan Anda.")
    return proposal


async def for_staff(user: User, status: str | None = None) -> list[Proposal]:
    require_role(user, Role.STAFF)
    query = Proposal.all()
    if status:
        query = query.filter(status=status)
    return await query.order_by("-id").prefetch_related("innovation")


async def counts(user: User) -> dict[str, int]:
    require_role(user, Role.STAFF)
    return {s.value: await Proposal.filter(status=s).count() for s in ProposalStatus}


async def get_for_staff(user: User, proposal_id: int) -> Proposal:
    require_role(user, Role.STAFF)
    proposal = await Proposal.get_or_none(id=proposal_id).prefetch_related("innovation", "files")
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan.")
    return proposal


async def proposal_file(user: User, proposal_id: int, file_id: int) -> ProposalFile:
    require_role(user, Role.STAFF)
    item = await ProposalFile.get_or_none(id=file_id, proposal_id=proposal_id)
    if item is None:
        raise NotFound("Berkas usulan tidak ditemukan.")
    return item


def _undecided(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.NEW:
        raise Conflict("Usulan ini sudah diputuskan sebelumnya.")


async def accept(
    user: User, proposal_id: int, unit_code: str, year: int, actor: Actor
) -> Innovation:
    """Make the proposal a draft innovation of a unit; the unit's admins are told."""
    proposal = await get_for_staff(user, proposal_id)
    _undecided(proposal)
    unit = await Unit.get_or_none(code=unit_code, deactivated_at=None)
    if unit is None:
        raise BadInput("Pilih unit yang akan mengembangkan usulan ini.", extra={"field": "unit"})
    data = InnovationCreate(
        year=year,
        unit=unit.code,
        name=proposal.name,
        design=proposal.description,
        classification=CLASSIFICATION[proposal.kind],
        initiator=INITIATOR[proposal.kind],
        proposal={"usulan": f"#{proposal.id}", "masalah": proposal.problem,
                  "asal": proposal.origin},
    )  # fmt: skip
    innovation = await innovations.create_innovation(user, data, actor)
    moved = await Proposal.filter(id=proposal.id, status=ProposalStatus.NEW).update(
        status=ProposalStatus.ACCEPTED, innovation_id=innovation.id, decided_by_id=user.id,
        decided_at=utcnow(),
    )  # fmt: skip
    if not moved:
        raise Conflict("Usulan ini baru saja diputuskan petugas lain.")
    await audit.record(
        actor, "accept", "proposal", proposal.id,
        before={"status": "new"}, after={"status": "accepted", "innovation": innovation.id},
    )  # fmt: skip
    admins = await User.filter(role=Role.ADMIN, unit_id=unit.id, active=True)
    await notifications.notify(
        admins, "proposal", f"Usulan dari luar pemerintah menjadi draf inovasi unit Anda: "
        f"{innovation.name}. Lengkapi profil dan data dukungnya.", innovation,
    )  # fmt: skip
    return innovation


async def decline(user: User, proposal_id: int, reason: str, actor: Actor) -> Proposal:
    """Decline with a reason the proposer reads at their link."""
    proposal = await get_for_staff(user, proposal_id)
    _undecided(proposal)
    reason = reason.strip()
    if len(reason) < 10:
        raise BadInput(
            "Tuliskan alasan penolakan (paling sedikit 10 karakter); pengusul akan membacanya.",
            extra={"field": "reason"},
        )
    moved = await Proposal.filter(id=proposal.id, status=ProposalStatus.NEW).update(
        status=ProposalStatus.DECLINED, reason=reason[:5000], decided_by_id=user.id,
        decided_at=utcnow(),
    )  # fmt: skip
    if not moved:
        raise Conflict("Usulan ini baru saja diputuskan petugas lain.")
    await audit.record(
        actor, "decline", "proposal", proposal.id,
        before={"status": "new"}, after={"status": "declined", "reason": reason},
    )  # fmt: skip
    return await Proposal.get(id=proposal.id)


async def purge_contacts(before_year: int) -> int:
    """Empty the contact details of proposals of years before ``before_year`` (UU 27/2022)."""
    count = await Proposal.filter(year__lt=before_year, purged_at=None).update(
        contact_name=None, contact_email=None, contact_phone=None, sender=None,
        purged_at=utcnow(),
    )  # fmt: skip
    if count:
        await audit.record(
            Actor(username=None, ip=None), "purge-contacts", "proposal", None,
            after={"before_year": before_year, "count": count},
        )  # fmt: skip
    return count
