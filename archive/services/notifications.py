"""In-app notifications (and e-mail when an SMTP server is configured)."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime
from email.message import EmailMessage

from archive import runtime
from archive.models import (
    Assignment,
    Innovation,
    InnovationStatus,
    Notification,
    Period,
    Role,
    User,
)
from archive.services import checklists
from archive.timeutil import utcnow

log = logging.getLogger(__name__)


async def notify(
    users: Iterable[User], kind: str, message: str, innovation: Innovation | None = None,
    key: str | None = None,
) -> int:  # fmt: skip
    """One notification per user; with ``key``, a user never gets the same one twice."""
    sent = 0
    for user in {u.id: u for u in users}.values():
        if key and await Notification.exists(user_id=user.id, key=key):
            continue
        await Notification.create(
            user=user, kind=kind, message=message, innovation=innovation, key=key
        )
        sent += 1
        if runtime.smtp_host and "@" in (user.email or ""):
            await asyncio.to_thread(_send_mail, user.email, message)
    return sent


def _send_mail(to: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = runtime.smtp_from
    message["To"] = to
    message["Subject"] = "SEPEDA BARU: " + text[:60]
    message.set_content(text)
    try:
        with smtplib.SMTP(runtime.smtp_host, runtime.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:  # mail is a courtesy; the app keeps it
        log.warning("could not send mail to %s: %s", to, exc)


async def _unit_people(innovation: Innovation) -> list[User]:
    admins = await User.filter(role=Role.ADMIN, unit_id=innovation.unit_id, active=True)
    invited = await User.filter(
        id__in=await Assignment.filter(innovation_id=innovation.id).values_list(
            "user_id", flat=True
        ),
        role=Role.INNOVATOR,
        active=True,
    )
    return [*admins, *invited]


async def _verifiers_for(innovation: Innovation) -> list[User]:
    verifiers = await User.filter(role=Role.VERIFIER, active=True)
    return [v for v in verifiers if v.unit_id != innovation.unit_id]


# What the people around an innovation are told after each transition.
TRANSITION_MESSAGES = {
    "submit": ("submitted", "Inovasi {title} diajukan dan menunggu verifikasi."),
    "revision": ("revision", "Inovasi {title} dikembalikan untuk perbaikan.{note}"),
    "verified": ("verified", "Inovasi {title} dinyatakan terverifikasi.{note}"),
    "rejected": ("rejected", "Inovasi {title} ditolak.{note}"),
    "publish": ("published", "Inovasi {title} telah dipublikasikan."),
    "reopen": (
        "reopened",
        "Inovasi {title} dibuka kembali sebagai draf dan dapat diubah lagi.{note}",
    ),
    "withdraw": (
        "withdrawn",
        "Keputusan atas inovasi {title} ditarik; inovasi menunggu verifikasi lagi.{note}",
    ),
}


async def after_transition(innovation: Innovation, name: str, note: str | None) -> None:
    if name not in TRANSITION_MESSAGES:
        return
    kind, template = TRANSITION_MESSAGES[name]
    text = template.format(title=f"'{innovation.name}'", note=f" Catatan: {note}" if note else "")
    # A submission waits for the verifiers; every decision goes back to the unit.
    people = await (_verifiers_for(innovation) if name == "submit" else _unit_people(innovation))
    await notify(people, kind, text, innovation)


async def deadline_reminders(now: datetime | None = None) -> int:
    """Remind admins 7 and 1 days before the input deadline of what is still missing."""
    today = (now or utcnow()).astimezone(runtime.timezone).date()
    sent = 0
    for period in await Period.all():
        days = (period.closes - today).days
        if days not in (7, 1):
            continue
        open_ones = await Innovation.filter(
            year=period.year, status__in=[InnovationStatus.DRAFT, InnovationStatus.REVISION]
        )
        for innovation in open_ones:
            result = await checklists.get_checklist(innovation)
            missing = [
                i["code"]
                for i in result.get("indicators", [])
                if i.get("mandatory") and i.get("status") == "missing"
            ]
            what = f" Indikator wajib belum berbukti: {', '.join(missing)}." if missing else ""
            message = (
                f"Batas input tahun {period.year} tinggal {days} hari "
                f"({period.closes:%d-%m-%Y}). Inovasi '{innovation.name}' belum diajukan.{what}"
            )
            sent += await notify(
                await _unit_people(innovation),
                "deadline",
                message,
                innovation,
                key=f"deadline-{days}:{period.year}:{innovation.id}",
            )
    return sent


async def for_user(user: User, unread_only: bool = False) -> list[Notification]:
    query = Notification.filter(user_id=user.id)
    if unread_only:
        query = query.filter(read_at=None)
    return await query.order_by("-id").limit(200)


async def unread_count(user: User) -> int:
    """How many notifications ``user`` has not read (shown on every page: one COUNT query)."""
    return await Notification.filter(user_id=user.id, read_at=None).count()


async def mark_read(user: User, notification_id: int) -> bool:
    return bool(
        await Notification.filter(id=notification_id, user_id=user.id, read_at=None).update(
            read_at=utcnow()
        )
    )


async def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many were."""
    return await Notification.filter(user_id=user.id, read_at=None).update(read_at=utcnow())
