"""Staff's periods page: open a year, move its deadlines, reopen input, carry innovations forward.

Reopening one innovation (with the reason the unit is told) goes through the workflow like the
button on the innovation page; the year-wide reopening is a flag of the period.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from archive.errors import BadInput, DomainError
from archive.models import Innovation, InnovationStatus, Period, Role, User
from archive.permissions import REOPENABLE
from archive.schemas.periods import PeriodCreate, PeriodUpdate
from archive.scoping import require_role
from archive.services import carry_forward, dashboard, periods, workflow
from archive.web.form_values import form_date
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked
from checklist import available_rulepacks

router = APIRouter(route_class=PageRoute)

DateText = Annotated[str, Form(max_length=10)]


async def periods_page(
    request: Request, user: User, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    require_role(user, Role.STAFF)
    tz = request.app.state.settings.tz
    rows = [periods.period_out(p, tz) for p in await Period.all().order_by("-year")]
    newest = rows[0].year if rows else None
    reopenable = []
    carriable = []
    if newest:
        reopenable = (
            await Innovation.filter(year=newest, status__in=list(REOPENABLE))
            .order_by("name")
            .prefetch_related("unit")
        )
        carriable = (
            await Innovation.filter(year=newest - 1)
            .exclude(status=InnovationStatus.REJECTED)
            .order_by("name")
            .prefetch_related("unit")
        )
    return await render(
        request,
        "periods/index.html",
        user,
        status_code=status_code,
        periods=rows,
        newest=newest,
        rulepacks=available_rulepacks(),
        reopenable=reopenable,
        carriable=carriable,
        figures=await dashboard.figures(),
        **context,
    )


@router.get("/periode", response_class=HTMLResponse)
async def show(request: Request, user: PageUser) -> HTMLResponse:
    return await periods_page(request, user)


@router.post("/periode", dependencies=[CsrfChecked])
async def open_year(
    request: Request,
    user: PageUser,
    actor: PageActor,
    year: Annotated[str, Form(max_length=4)] = "",
    rulepack: Annotated[str, Form(max_length=32)] = "",
    opens: DateText = "",
    closes: DateText = "",
    review_closes: DateText = "",
) -> Response:
    require_role(user, Role.STAFF)
    typed = {"year": year, "rulepack": rulepack, "opens": opens, "closes": closes,
             "review_closes": review_closes}  # fmt: skip
    try:
        if not year.isdigit():
            raise BadInput("Tulis tahun dengan empat angka, misalnya 2027.")
        try:
            data = PeriodCreate(
                year=int(year),
                rulepack=rulepack,
                opens=form_date(opens, "buka"),
                closes=form_date(closes, "batas input"),
                review_closes=form_date(review_closes, "batas verifikasi"),
            )
        except ValidationError as exc:
            raise BadInput(periods.first_error(exc)) from None
        await periods.create_period(data, actor)
    except DomainError as exc:
        return await periods_page(
            request, user, status_code=exc.status_code, open_error=exc.detail, typed=typed
        )
    flash(request, f"Periode tahun {year} dibuka dengan paket aturan {rulepack}.")
    return RedirectResponse("/periode", status_code=303)


@router.post("/periode/{year:int}", dependencies=[CsrfChecked])
async def change_year(
    request: Request,
    year: int,
    user: PageUser,
    actor: PageActor,
    opens: DateText = "",
    closes: DateText = "",
    review_closes: DateText = "",
    reopened: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    require_role(user, Role.STAFF)
    try:
        try:
            data = PeriodUpdate(
                opens=form_date(opens, "buka"),
                closes=form_date(closes, "batas input"),
                review_closes=form_date(review_closes, "batas verifikasi"),
                reopened=bool(reopened),
            )
        except ValidationError as exc:
            raise BadInput(periods.first_error(exc)) from None
        await periods.update_period(year, data, actor)
    except DomainError as exc:
        return await periods_page(
            request, user, status_code=exc.status_code, change_error={year: exc.detail}
        )
    flash(request, f"Periode tahun {year} disimpan.")
    return RedirectResponse("/periode", status_code=303)


@router.post("/periode/buka-inovasi", dependencies=[CsrfChecked])
async def reopen_innovation(
    request: Request,
    user: PageUser,
    actor: PageActor,
    innovation: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Reopen one innovation as a draft with the reason its unit is told."""
    require_role(user, Role.STAFF)
    try:
        if innovation is None:
            raise BadInput("Pilih inovasi yang akan dibuka kembali.")
        moved = await workflow.transition(user, innovation, "reopen", actor, note=note)
    except DomainError as exc:
        return await periods_page(
            request, user, status_code=exc.status_code, reopen_error=exc.detail,
            reopen_typed={"innovation": innovation, "note": note},
        )  # fmt: skip
    flash(request, f"Inovasi '{moved.name}' dibuka kembali; unitnya diberi tahu alasannya.")
    return RedirectResponse("/periode", status_code=303)


@router.post("/periode/{year:int}/lanjutkan", dependencies=[CsrfChecked])
async def carry(request: Request, year: int, user: PageUser, actor: PageActor) -> Response:
    """Carry the chosen innovations of the year before into ``year`` as drafts."""
    require_role(user, Role.STAFF)
    form = await request.form()
    chosen = [int(v) for v in form.getlist("innovations") if str(v).isdigit()]
    try:
        if not chosen:
            raise BadInput("Pilih sedikitnya satu inovasi tahun lalu untuk dilanjutkan.")
        created = await carry_forward.carry_forward(year, chosen[:500], actor)
    except DomainError as exc:
        return await periods_page(
            request, user, status_code=exc.status_code, carry_error=exc.detail
        )
    flash(request, f"{len(created)} inovasi dilanjutkan ke tahun {year} sebagai draf.")
    return RedirectResponse("/periode", status_code=303)


def _number(text: str, label: str, *, decimal: bool = False) -> float | None:
    """A number as typed on an Indonesian form ("47,5" or "47.5"); None when left empty."""
    text = text.strip().replace(",", ".") if decimal else text.strip()
    if not text:
        return None
    try:
        return float(text) if decimal else int(text)
    except ValueError:
        example = "misalnya 47,5" if decimal else "tanpa titik atau koma"
        raise BadInput(f"{label}: tulis angka, {example}.") from None


@router.post("/periode/riwayat", dependencies=[CsrfChecked])
async def record_past_year(
    request: Request,
    user: PageUser,
    actor: PageActor,
    year: Annotated[str, Form(max_length=4)] = "",
    innovations: Annotated[str, Form(max_length=6)] = "",
    iid: Annotated[str, Form(max_length=8)] = "",
    predicate: Annotated[str, Form(max_length=32)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """What the office counted for a year kept outside SEPEDA BARU, for the trend."""
    require_role(user, Role.STAFF)
    typed = {"year": year, "innovations": innovations, "iid": iid, "predicate": predicate,
             "source": source}  # fmt: skip
    try:
        number = _number(year, "Tahun")
        count = _number(innovations, "Jumlah inovasi")
        if number is None or count is None:
            raise BadInput("Isi tahun dan jumlah inovasinya.")
        await dashboard.record_figure(
            int(number), int(count), _number(iid, "IID", decimal=True), predicate, source, actor
        )
    except DomainError as exc:
        return await periods_page(
            request, user, status_code=exc.status_code, figure_error=exc.detail,
            figure_typed=typed,
        )  # fmt: skip
    flash(request, f"Angka tahun {year} disimpan; tren di dasbor memakainya.")
    return RedirectResponse("/periode#riwayat", status_code=303)
