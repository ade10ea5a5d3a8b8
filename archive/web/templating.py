"""Jinja2 environment over the ``templates`` package, with dates shown in the local zone."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

import templates as templates_package
from archive.settings import Settings

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "revision": "Perbaikan",
    "verified": "Terverifikasi",
    "rejected": "Ditolak",
    "published": "Dipublikasikan",
}
ROLE_LABELS = {
    "staff": "staf",
    "verifier": "verifikator",
    "admin": "admin",
    "innovator": "inovator",
    "judge": "juri",
}


# Checklist indicator status: (label, colour class of the badge).
INDICATOR_STATUS = {
    "missing": ("Belum ada bukti", "bad"),
    "pending": ("Sedang dibaca", "wait"),
    "weak": ("Belum memadai", "warn"),
    "needs_review": ("Perlu diperiksa verifikator", "info"),
    "ok": ("Memadai", "good"),
    "verified": ("Terverifikasi", "best"),
    "rejected": ("Ditolak verifikator", "bad"),
}
EXTRACTION_LABELS = {
    "pending": "sedang dibaca",
    "done": "sudah dibaca",
    "no_text": "tanpa teks (hasil pindai?)",
    "not_applicable": "tidak perlu dibaca",
    "encrypted": "terkunci sandi",
    "failed": "gagal dibaca",
}
BASIS_LABELS = {"claimed": "diklaim", "supported": "didukung dokumen", "verified": "terverifikasi"}
_MARK_TAGS = re.compile(r"</?mark>")


def marked_snippet(value: str | None) -> Markup:
    """A search snippet as HTML, trusted only when its one kind of markup is <mark>.

    The search service escapes the document text and then wraps matches in <mark>; a document
    is untrusted input (anyone with an account uploads them), so rendering it raw would let a
    PDF inject script into a verifier's page. We therefore check the promise before using it:
    once the <mark> tags are taken out, no '<' or '>' may be left (escaped text has none). If a
    snippet ever breaks the promise, it is shown escaped, tags and all, never as HTML.
    """
    text = value or ""
    bare = _MARK_TAGS.sub("", text)
    if "<" in bare or ">" in bare:
        return Markup(escape(text))
    return Markup(text)  # the equivalent of |safe, reached only through the check above


def kind_label(value: str | None) -> str:
    if not value:
        return ""
    text = str(value).replace("-", " ")
    return text[:1].upper() + text[1:]


def make_templates(settings: Settings) -> Jinja2Templates:
    directory = Path(templates_package.__file__).parent
    templates = Jinja2Templates(directory=str(directory))

    def local_time(value: datetime | None) -> str:
        if value is None:
            return "-"
        local = value.astimezone(settings.tz)
        return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"

    def local_date(value: date | None) -> str:
        if value is None:
            return "-"
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    templates.env.filters["local_time"] = local_time
    templates.env.filters["status_label"] = lambda v: STATUS_LABELS.get(str(v), str(v))
    templates.env.filters["role_label"] = lambda v: ROLE_LABELS.get(str(v), str(v))
    templates.env.filters["indicator_status"] = lambda v: INDICATOR_STATUS.get(
        str(v), (str(v), "info")
    )
    templates.env.filters["extraction_label"] = lambda v: EXTRACTION_LABELS.get(str(v), str(v))
    templates.env.filters["basis_label"] = lambda v: BASIS_LABELS.get(str(v), str(v))
    templates.env.filters["kind_label"] = kind_label
    templates.env.filters["marked_snippet"] = marked_snippet
    templates.env.filters["percent"] = lambda v: f"{round((v or 0) * 100)}%"
    templates.env.filters["local_date"] = local_date
    return templates
