"""The region's own (SPD) indicators of a year: staff record levels and evidence, verifiers review.

The upload is streamed and checked like an innovation's (same store, size limit, type sniffing,
sandboxed reading); the claim and the review call the same services as the JSON API.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.deps import SettingsDep, get_store
from archive.errors import BadInput, DomainError, NotFound
from archive.job_signal import jobs_queued
from archive.models import Role, User
from archive.scoping import require_role
from archive.services import regional
from archive.services.report_tables import require_reader
from archive.services.rules import newest_period_year, rulepack_for_year
from archive.storage import (
    Upload,
    receive_form,
    safe_filename,
)
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked, verify_csrf

router = APIRouter(route_class=PageRoute)

Level = Annotated[str, Form(max_length=2)]
Note = Annotated[str, Form(max_length=5000)]


def _level(value: str) -> int:
    if value not in {"0", "1", "2", "3"}:
        raise BadInput("Pilih tingkat 0 sampai 3.")
    return int(value)


async def regional_page(
    request: Request, user: User, year: int, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    require_reader(user)
    view = await regional.regional_view(year)
    pack = await rulepack_for_year(year)
    levels = {i.code: i.levels for i in pack.spd_indicators}
    return await render(
        request, "regional/index.html", user, status_code=status_code, view=view,
        year=year, levels=levels, **context,
    )  # fmt: skip


@router.get("/daerah", response_class=HTMLResponse)
async def newest(user: PageUser) -> Response:
    """The open year's SPD indicators."""
    require_reader(user)
    year = await newest_period_year()
    if year is None:
        raise NotFound("Belum ada periode; staf membuka tahun pertama di halaman Periode.")
    return RedirectResponse(f"/daerah/{year}", status_code=303)


@router.get("/daerah/{year:int}", response_class=HTMLResponse)
async def show(request: Request, year: int, user: PageUser) -> HTMLResponse:
    return await regional_page(request, user, year)


@router.post("/daerah/{year:int}/indikator/{code}", dependencies=[CsrfChecked])
async def claim(
    request: Request,
    year: int,
    code: str,
    user: PageUser,
    actor: PageActor,
    level: Level = "",
    note: Note = "",
) -> Response:
    """Staff record the level the region claims for one SPD indicator."""
    require_role(user, Role.STAFF)
    try:
        await regional.set_indicator(year, code, _level(level), note.strip() or None, actor)
    except DomainError as exc:
        return await regional_page(
            request, user, year, status_code=exc.status_code,
            row_error={"code": code, "detail": exc.detail},
        )  # fmt: skip
    flash(request, "Klaim tingkat indikator daerah disimpan.")
    return RedirectResponse(f"/daerah/{year}#spd-{code}", status_code=303)


@router.post("/daerah/{year:int}/indikator/{code}/periksa", dependencies=[CsrfChecked])
async def review(
    request: Request,
    year: int,
    code: str,
    user: PageUser,
    actor: PageActor,
    verified_level: Level = "",
    note: Note = "",
) -> Response:
    """A verifier records the level the region's evidence proves."""
    try:
        level = _level(verified_level)
        await regional.review_indicator(user, year, code, level, note.strip() or None, actor)
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        return await regional_page(
            request, user, year, status_code=exc.status_code,
            row_error={"code": code, "detail": exc.detail},
        )  # fmt: skip
    flash(request, "Hasil pemeriksaan indikator daerah disimpan.")
    return RedirectResponse(f"/daerah/{year}#spd-{code}", status_code=303)


@router.post("/daerah/{year:int}/bukti")
async def upload(
    request: Request, year: int, user: PageUser, actor: PageActor, settings: SettingsDep
) -> Response:
    """A file or a link as the region's evidence of one SPD indicator (staff)."""
    require_role(user, Role.STAFF)
    fields: dict[str, str] = {}
    try:
        await regional.period_pack(year)

        async def validate(received: Upload) -> regional.RegionalForm:
            nonlocal fields
            fields = dict(received.fields)
            verify_csrf(request, fields.pop("csrf", None))
            for optional in ("url", "level"):
                if not fields.get(optional, "").strip():
                    fields.pop(optional, None)
            return await regional.check_form(year, fields, has_file=received.media_type is not None)

        received, form = await receive_form(
            request, get_store(settings), settings.max_upload_bytes, validate, links=True
        )
        name = safe_filename(received.filename, received.media_type) if received.blob else None
        evidence = await regional.add_regional_evidence(
            user, year, form, received.blob, name, received.media_type, actor
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        code = fields.get("indicator", "")
        return await regional_page(
            request, user, year, status_code=exc.status_code,
            row_error={"code": code, "detail": exc.detail + " Tidak ada berkas yang tersimpan."},
        )  # fmt: skip
    if received.blob is not None:
        await jobs_queued(request.app)
    flash(request, f"Bukti '{evidence.filename or evidence.url}' tersimpan.")
    return RedirectResponse(f"/daerah/{year}#spd-{evidence.indicator}", status_code=303)
