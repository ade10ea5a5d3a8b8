"""Jinja2 environment over the ``templates`` package, with dates shown in the local zone."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

import templates as templates_package
from archive.settings import Settings
from archive.web import labels

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


def make_templates(settings: Settings) -> Jinja2Templates:
    directory = Path(templates_package.__file__).parent
    templates = Jinja2Templates(directory=str(directory))

    def local_time(value: datetime | None) -> str:
        if value is None:
            return "-"
        local = value.astimezone(settings.tz)
        return f"{local.day} {labels.MONTHS[local.month - 1]} {local.year} {local:%H:%M}"

    env = templates.env
    env.filters["local_time"] = local_time
    env.filters["local_date"] = labels.long_date
    env.filters["status_label"] = lambda v: labels.STATUS_LABELS.get(str(v), str(v))
    env.filters["status_tone"] = lambda v: labels.STATUS_TONES.get(str(v), "info")
    env.filters["role_label"] = lambda v: labels.ROLE_LABELS.get(str(v), str(v))
    env.filters["stage_label"] = lambda v: labels.STAGE_LABELS.get(str(v), str(v)) if v else "-"
    env.filters["type_label"] = lambda v: labels.TYPE_LABELS.get(str(v), str(v)) if v else "-"
    env.filters["indicator_status"] = lambda v: labels.INDICATOR_STATUS.get(
        str(v), (str(v), "info")
    )
    env.filters["extraction_label"] = lambda v: labels.EXTRACTION_LABELS.get(
        str(v), (str(v), "info")
    )[0]
    env.filters["extraction_tone"] = lambda v: labels.EXTRACTION_LABELS.get(
        str(v), (str(v), "info")
    )[1]
    env.filters["basis_label"] = lambda v: labels.BASIS_LABELS.get(str(v), str(v))
    env.filters["kind_label"] = labels.kind_label
    env.filters["marked_snippet"] = marked_snippet
    env.filters["percent"] = labels.percent
    env.filters["decimal"] = labels.decimal
    env.filters["rupiah"] = labels.rupiah
    env.filters["thousands"] = labels.thousands
    env.globals["extraction_explained"] = labels.extraction_explained
    env.globals["region"] = settings.region
    return templates
