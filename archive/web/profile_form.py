"""The national profile form as pages: create an innovation, import one, edit the profile.

The three share one form (``innovations/form.html``) and one way of reading it: the typed
values come back as they were typed, and each error stands beside its field in Indonesian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from archive.deps import SettingsDep
from archive.errors import BadInput, Conflict, DomainError, Forbidden
from archive.models import Innovation, Period, Role, Unit, User
from archive.permissions import LOCKED_STATUSES, allowed_actions
from archive.schemas.innovations import InnovationCreate, InnovationUpdate
from archive.schemas.messages import field_messages
from archive.scoping import get_visible_innovation, status_label
from archive.services import innovations as service
from archive.services import profile_import
from archive.services.rules import rulepack_for_year
from archive.storage import Upload, receive_form
from archive.timeutil import utcnow
from archive.web.labels import long_date
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import verify_csrf

router = APIRouter(route_class=PageRoute)

MAX_FORM_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, long, date, select, number
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None


STAGES = (("inisiatif", "Inisiatif"), ("uji coba", "Uji coba"), ("penerapan", "Penerapan"))
TYPES = (("digital", "Digital"), ("non digital", "Non digital"))
FIELDS = [
    Field(
        "name",
        "Nama inovasi",
        max_length=300,
        hint="Nama lengkap, boleh dengan singkatan dalam kurung.",
    ),
    Field("stage", "Tahapan inovasi", "select", choices=STAGES),
    Field(
        "made_by", "Dibuat oleh", max_length=2000, hint="Perangkat daerah dan bidang pembuatnya."
    ),
    Field(
        "initiator",
        "Inisiator",
        max_length=200,
        hint="Kepala Daerah, Anggota DPRD, OPD, ASN atau Masyarakat.",
    ),
    Field("initiator_name", "Nama inisiator", max_length=200),
    Field("type", "Jenis inovasi", "select", choices=TYPES),
    Field(
        "form",
        "Bentuk inovasi",
        max_length=200,
        hint=("Mis. Inovasi Pelayanan Publik, Inovasi Tata Kelola Pemerintahan Daerah."),
    ),
    Field(
        "affairs",
        "Urusan pemerintahan",
        max_length=300,
        hint=("Mis. Kesehatan; urusan pelayanan dasar menentukan cakupan yandas indeks."),
    ),
    Field("thematic", "Tematik", max_length=200),
    Field("classification", "Klasifikasi", max_length=100),
    Field("trial_date", "Waktu uji coba", "date"),
    Field("implementation_date", "Waktu penerapan", "date"),
    Field(
        "development_date",
        "Waktu pengembangan terbaru",
        "date",
        hint="Isi bila inovasi lama dikembangkan kembali.",
    ),
    Field("budget", "Anggaran (Rp)", "number", hint="Angka saja, mis. 150000000."),
    Field(
        "design",
        "Rancang bangun",
        "long",
        hint=(
            "Dasar hukum, permasalahan, isu strategis, metode baru, keunggulan/kebaruan dan "
            "tahapan inovasi."
        ),
    ),
    Field("goals", "Tujuan inovasi", "textarea"),
    Field("benefits", "Manfaat yang diperoleh", "textarea"),
    Field("results", "Hasil inovasi", "textarea"),
]
NAMES = [f.name for f in FIELDS]
REQUIRED_ON_CREATE = {"name"}


def _clean(raw: dict[str, str]) -> dict[str, Any]:
    """Typed text to values: blanks are None, budgets lose their thousands dots."""
    values: dict[str, Any] = {}
    for name in NAMES:
        text = (raw.get(name) or "").strip()
        if name == "budget" and text:
            text = re.sub(r"[.\s]|^rp", "", text, flags=re.IGNORECASE).replace(",00", "")
        values[name] = text or None
    return values


async def eligibility_text(year: int) -> str:
    """The year's application window, in words."""
    pack = await rulepack_for_year(year)
    rules = pack.profile
    if rules.applied_from is None or rules.applied_to is None:
        return ""
    shift = year - pack.year
    start = rules.applied_from.replace(year=rules.applied_from.year + shift)
    end = rules.applied_to.replace(year=rules.applied_to.year + shift)
    return (
        f"Untuk penilaian tahun {year}, inovasi dinilai bila diterapkan antara "
        f"{long_date(start)} dan {long_date(end)}. Inovasi yang diterapkan lebih awal hanya "
        "dinilai bila ada pengembangan dalam rentang itu: isi waktu pengembangan terbaru dan "
        f"unggah bukti pembaruannya. Rancang bangun paling sedikit {rules.design_min_words} kata."
    )


async def _years() -> list[int]:
    years = await Period.all().order_by("-year").values_list("year", flat=True)
    return list(years) or [utcnow().year]


async def form_page(
    request: Request,
    user: User,
    *,
    mode: str,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    innovation: Innovation | None = None,
    **context: Any,
) -> HTMLResponse:
    year = int(values.get("year") or (innovation.year if innovation else (await _years())[0]))
    units = await Unit.all().order_by("name") if user.role == Role.STAFF else []
    pack = await rulepack_for_year(year)
    return await render(
        request,
        "innovations/form.html",
        user,
        status_code=status_code,
        mode=mode,
        fields=FIELDS,
        values=values,
        errors=errors or {},
        innovation=innovation,
        years=await _years(),
        units=units,
        eligibility=await eligibility_text(year),
        min_words=pack.profile.design_min_words,
        **context,
    )


def _shown(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


async def _read_form(request: Request) -> dict[str, str]:
    from archive.storage import receive_form_fields

    try:
        raw = await receive_form_fields(request, MAX_FORM_BYTES)
    except ValueError:
        raise BadInput("Formulir tidak dapat dibaca.") from None
    verify_csrf(request, raw.pop("csrf", None))
    return raw


# -- create ------------------------------------------------------------------------------


@router.get("/inovasi/baru", response_class=HTMLResponse)
async def new(request: Request, user: PageUser) -> HTMLResponse:
    _require_creator(user)
    return await form_page(request, user, mode="create", values={})


@router.post("/inovasi/baru")
async def create(request: Request, user: PageUser, actor: PageActor) -> Response:
    _require_creator(user)
    raw = await _read_form(request)
    values = _clean(raw)
    year, unit = (raw.get("year") or "").strip(), (raw.get("unit") or "").strip()
    shown = {**raw, "year": year, "unit": unit}
    if user.role == Role.ADMIN:
        own = await Unit.get_or_none(id=user.unit_id) if user.unit_id else None
        unit = own.code if own else ""
    try:
        data = InnovationCreate.model_validate(
            {**{k: v for k, v in values.items() if v is not None}, "year": year, "unit": unit}
        )
    except ValidationError as exc:
        return await form_page(
            request, user, mode="create", values=shown, errors=field_messages(exc), status_code=422
        )
    try:
        innovation = await service.create_innovation(user, data, actor)
    except DomainError as exc:
        return await form_page(
            request,
            user,
            mode="create",
            values=shown,
            errors={"form": exc.detail},
            status_code=exc.status_code,
        )
    flash(request, "Inovasi tersimpan sebagai draf. Lengkapi profil dan unggah data dukungnya.")
    return RedirectResponse(f"/inovasi/{innovation.id}", status_code=303)


def _require_creator(user: User) -> None:
    if user.role not in (Role.ADMIN, Role.STAFF) or (
        user.role == Role.ADMIN and user.unit_id is None
    ):
        raise Forbidden("Hanya admin unit atau staf yang dapat mendaftarkan inovasi.")


# -- import ------------------------------------------------------------------------------


@router.get("/inovasi/impor", response_class=HTMLResponse)
async def import_page(request: Request, user: PageUser) -> HTMLResponse:
    _require_creator(user)
    return await _import_page(request, user)


async def _import_page(request: Request, user: User, **context: Any) -> HTMLResponse:
    units = await Unit.all().order_by("name") if user.role == Role.STAFF else []
    return await render(
        request, "innovations/import.html", user, years=await _years(), units=units, **context
    )


@router.post("/inovasi/impor")
async def import_document(request: Request, user: PageUser, settings: SettingsDep) -> Response:
    """Read a profile document and show the form filled with what was read, not yet saved."""
    _require_creator(user)

    async def validate(upload: Upload) -> profile_import.ImportForm:
        fields = dict(upload.fields)
        verify_csrf(request, fields.pop("csrf", None))
        if user.role == Role.ADMIN:
            own = await Unit.get_or_none(id=user.unit_id)
            fields["unit"] = own.code if own else ""
        return await profile_import.check_form(user, fields, has_file=upload.media_type is not None)

    worker = request.app.state.worker
    try:
        with profile_import.scratch_store(settings) as store:
            upload, form = await receive_form(
                request,
                store,
                settings.max_upload_bytes,
                validate,
                check=profile_import.check_type,
            )
            data, _, findings = await profile_import.read_profile(
                form,
                profile_import.ProfileFile.of(store, upload),
                settings,
                worker.supervisor if worker is not None else None,
            )
    except DomainError as exc:
        return await _import_page(request, user, status_code=exc.status_code, error=exc.detail)
    values = {name: _shown(getattr(data, name, None)) for name in NAMES}
    values.update(year=data.year, unit=data.unit)
    read = [f for f in FIELDS if values.get(f.name) not in (None, "")]
    empty = [f for f in FIELDS if values.get(f.name) in (None, "")]
    return await form_page(
        request,
        user,
        mode="create",
        values=values,
        imported={"read": read, "empty": empty, "findings": findings},
    )


# -- edit --------------------------------------------------------------------------------


async def _editable(user: User, innovation_id: int) -> Innovation:
    innovation = await get_visible_innovation(user, innovation_id)
    actions = await allowed_actions(user, innovation)
    if not actions.edit_profile:
        if actions.closed_reason:
            raise Conflict(actions.closed_reason)
        if user.role == Role.STAFF and innovation.status in LOCKED_STATUSES:
            # As the API answers: the state, not the person, stands in the way.
            raise Conflict(
                f"Inovasi berstatus '{status_label(innovation.status)}' tidak dapat diubah; "
                "buka kembali inovasi ini lebih dulu."
            )
        raise Forbidden("Anda tidak berhak mengubah profil inovasi ini.")
    return innovation


@router.get("/inovasi/{innovation_id}/profil", response_class=HTMLResponse)
async def edit(request: Request, innovation_id: int, user: PageUser) -> HTMLResponse:
    innovation = await _editable(user, innovation_id)
    values = {name: _shown(getattr(innovation, name)) for name in NAMES}
    values["version"] = innovation.version
    return await form_page(request, user, mode="edit", values=values, innovation=innovation)


@router.post("/inovasi/{innovation_id}/profil")
async def save(request: Request, innovation_id: int, user: PageUser, actor: PageActor) -> Response:
    innovation = await _editable(user, innovation_id)
    raw = await _read_form(request)
    shown = dict(raw)
    version = (raw.get("version") or "").strip()
    try:
        data = InnovationUpdate.model_validate(
            {**_clean(raw), "version": int(version) if version.isdigit() else None}
        )
    except ValidationError as exc:
        return await form_page(
            request,
            user,
            mode="edit",
            values=shown,
            errors=field_messages(exc),
            status_code=422,
            innovation=innovation,
        )
    try:
        await service.update_innovation(user, innovation_id, data, actor)
    except Conflict as exc:
        current = await Innovation.get(id=innovation_id)
        shown["version"] = str(current.version)
        return await form_page(
            request,
            user,
            mode="edit",
            values=shown,
            errors={"form": exc.detail + " Isian Anda masih di bawah; periksa lalu simpan lagi."},
            status_code=409,
            innovation=innovation,
            stale=True,
        )
    except BadInput as exc:
        return await form_page(
            request,
            user,
            mode="edit",
            values=shown,
            errors={"form": exc.detail},
            status_code=422,
            innovation=innovation,
        )
    flash(request, "Profil inovasi disimpan.")
    return RedirectResponse(f"/inovasi/{innovation_id}#profil", status_code=303)
