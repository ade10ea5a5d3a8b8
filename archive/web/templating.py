"""Jinja2 environment over the ``templates`` package, with dates shown in the local zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

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


def make_templates(settings: Settings) -> Jinja2Templates:
    directory = Path(templates_package.__file__).parent
    templates = Jinja2Templates(directory=str(directory))

    def local_time(value: datetime | None) -> str:
        if value is None:
            return "-"
        local = value.astimezone(settings.tz)
        return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"

    templates.env.filters["local_time"] = local_time
    templates.env.filters["status_label"] = lambda v: STATUS_LABELS.get(str(v), str(v))
    templates.env.filters["role_label"] = lambda v: ROLE_LABELS.get(str(v), str(v))
    return templates
