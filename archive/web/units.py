"""Staff's units page: add a unit, rename it, change its kind, (de)activate it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from archive.errors import BadInput, DomainError
from archive.models import Role, UnitKind, User
from archive.schemas.units import UnitCreate, UnitUpdate
from archive.scoping import require_role
from archive.services import units
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)

KIND_LABELS = {
    "skpd": "Perangkat daerah (SKPD)",
    "blud": "BLUD",
    "puskesmas": "Puskesmas",
    "kecamatan": "Kecamatan",
    "desa": "Desa",
    "masyarakat": "Kelompok masyarakat",
}
Text = Annotated[str, Form(max_length=200)]


async def units_page(
    request: Request, user: User, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    require_role(user, Role.STAFF)
    return await render(
        request,
        "units/index.html",
        user,
        status_code=status_code,
        rows=await units.unit_overview(),
        kinds=[(k.value, KIND_LABELS[k.value]) for k in UnitKind],
        kind_labels=KIND_LABELS,
        **context,
    )


def _invalid(exc: ValidationError) -> BadInput:
    field = str(exc.errors()[0]["loc"][0])
    return BadInput(
        {
            "code": "Kode unit hanya huruf, angka, titik, garis bawah atau tanda hubung.",
            "name": "Nama unit wajib diisi (paling banyak 200 karakter).",
            "kind": "Pilih jenis unit.",
        }.get(field, "Isian unit tidak valid.")
    )


@router.get("/unit", response_class=HTMLResponse)
async def show(request: Request, user: PageUser) -> HTMLResponse:
    return await units_page(request, user)


@router.post("/unit", dependencies=[CsrfChecked])
async def add(
    request: Request,
    user: PageUser,
    actor: PageActor,
    code: Annotated[str, Form(max_length=32)] = "",
    name: Text = "",
    kind: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    require_role(user, Role.STAFF)
    try:
        try:
            data = UnitCreate(code=code.strip().upper(), name=name.strip(), kind=kind)
        except ValidationError as exc:
            raise _invalid(exc) from None
        await units.create_unit(data, actor)
    except DomainError as exc:
        return await units_page(
            request, user, status_code=exc.status_code, add_error=exc.detail,
            typed={"code": code, "name": name, "kind": kind},
        )  # fmt: skip
    flash(request, f"Unit {name.strip()} ditambahkan.")
    return RedirectResponse("/unit", status_code=303)


@router.post("/unit/{code}", dependencies=[CsrfChecked])
async def change(
    request: Request,
    code: str,
    user: PageUser,
    actor: PageActor,
    name: Text = "",
    kind: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    require_role(user, Role.STAFF)
    try:
        try:
            data = UnitUpdate(name=name.strip(), kind=kind or None)
        except ValidationError as exc:
            raise _invalid(exc) from None
        unit = await units.update_unit(code, data, actor)
    except DomainError as exc:
        return await units_page(
            request, user, status_code=exc.status_code, change_error={code: exc.detail}
        )
    flash(request, f"Unit {unit.code} disimpan: {unit.name}.")
    return RedirectResponse("/unit", status_code=303)


@router.post("/unit/{code}/aktif", dependencies=[CsrfChecked])
async def activate(
    request: Request,
    code: str,
    user: PageUser,
    actor: PageActor,
    active: Annotated[bool, Form()] = False,
) -> Response:
    require_role(user, Role.STAFF)
    unit = await units.set_active(code, active, actor)
    flash(request, f"Unit {unit.name} {'diaktifkan' if active else 'dinonaktifkan'}.")
    return RedirectResponse("/unit", status_code=303)
