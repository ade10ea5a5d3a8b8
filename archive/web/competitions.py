"""Competition pages for staff and entrants (``/lomba``): list, create, stages, panels, results.

Judges' pages are in ``archive.web.judging``; an entry's proposal editor in
``archive.web.competition_entries``. Every form posts to a route that calls one function of
``archive.competitions`` and answers with the page again, the error beside the form, or a
redirect to the page that shows the result.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from archive.competitions import entries, judging, recap, results, setup
from archive.competitions.access import RUNNERS, get_competition, stages_of, visible_competitions
from archive.competitions.ranking import TIE_RULE
from archive.competitions.templates import TEMPLATES
from archive.errors import BadInput, DomainError, Forbidden
from archive.exports import attachment
from archive.models import (
    Competition,
    Entry,
    InnovationStatus,
    Role,
    StageJudge,
    StageState,
    User,
)
from archive.schemas.competitions import CompetitionIn, CompetitionPatch, CriterionIn, StagePatch
from archive.web.form_values import optional_form_date
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)

Text = Annotated[str, Form(max_length=200)]
STATE_LABELS = {
    StageState.WAITING: ("belum dibuka", "info"),
    StageState.OPEN: ("sedang dinilai", "warn"),
    StageState.CLOSED: ("ditutup", "good"),
}
KIND_LABELS = {"administrasi": "Seleksi administrasi", "desk": "Evaluasi dokumen",
               "presentasi": "Presentasi/wawancara", "lapangan": "Peninjauan lapangan"}  # fmt: skip


def first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"Isian '{where}' tidak valid: {error['msg']}."


# -- list and create -------------------------------------------------------------------


async def index_page(
    request: Request, user: User, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    competitions = await visible_competitions(user)
    mine: dict[int, list[Entry]] = {}
    if user.role in {Role.ADMIN, Role.INNOVATOR}:
        for competition in competitions:
            mine[competition.id] = await entries.list_entries(user, competition.id)
    assignments = []
    if user.role == Role.JUDGE:
        for a in await judging.assignments_of(user):
            done, total = judging.progress(a, a.stage)
            assignments.append({"a": a, "done": done, "total": total})
    return await render(
        request, "competitions/index.html", user, status_code=status_code,
        competitions=competitions, mine=mine, assignments=assignments,
        templates=TEMPLATES, state_labels=STATE_LABELS, **context,
    )  # fmt: skip


@router.get("/lomba", response_class=HTMLResponse)
async def index(request: Request, user: PageUser) -> HTMLResponse:
    return await index_page(request, user)


@router.post("/lomba", dependencies=[CsrfChecked])
async def create(
    request: Request,
    user: PageUser,
    actor: PageActor,
    name: Text = "",
    year: Annotated[str, Form(max_length=4)] = "",
    template: Annotated[str, Form(max_length=20)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    typed = {"name": name, "year": year, "template": template, "description": description}
    try:
        if not year.isdigit():
            raise BadInput("Tulis tahun lomba dengan empat angka, misalnya 2026.")
        if template not in TEMPLATES:
            raise BadInput("Pilih templat lomba: KIPP atau IGA.")
        try:
            data = CompetitionIn(name=name, year=int(year), template=template,
                                 description=description)  # fmt: skip
        except ValidationError as exc:
            raise BadInput(
                "Nama lomba 3 sampai 200 karakter."
                if exc.errors()[0]["loc"][0] == "name"
                else first_error(exc)
            ) from None
        competition = await setup.create(user, data, actor)
    except DomainError as exc:
        return await index_page(
            request, user, status_code=exc.status_code, create_error=exc.detail, typed=typed
        )
    flash(request, f"Lomba '{competition.name}' dibuat. Periksa tahap, kriteria dan juri.")
    return RedirectResponse(f"/lomba/{competition.id}", status_code=303)


# -- one competition -------------------------------------------------------------------


async def detail_page(
    request: Request, user: User, competition_id: int, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    competition = await get_competition(user, competition_id)
    stages = await stages_of(competition)
    panels = {
        s.id: sorted(
            await StageJudge.filter(stage_id=s.id).values_list("judge__username", flat=True)
        )
        for s in stages
    }
    judges = []
    if user.role == Role.STAFF:
        judges = await User.filter(role=Role.JUDGE, active=True).order_by("username")
    rows = await entries.list_entries(user, competition.id)
    eligible = await entries.eligible_innovations(user, competition)
    readable = {
        s.position: s.state != StageState.WAITING
        and await results.may_read_results(user, competition, s)
        for s in stages
    }
    return await render(
        request, "competitions/detail.html", user, status_code=status_code,
        competition=competition, stages=stages, panels=panels, judges=judges, entries=rows,
        eligible=eligible, readable=readable, state_labels=STATE_LABELS,
        kind_labels=KIND_LABELS, is_runner=user.role in RUNNERS,
        started=any(s.state != StageState.WAITING for s in stages),
        statuses=[s.value for s in InnovationStatus], **context,
    )  # fmt: skip


@router.get("/lomba/{competition_id:int}", response_class=HTMLResponse)
async def detail(request: Request, competition_id: int, user: PageUser) -> HTMLResponse:
    return await detail_page(request, user, competition_id)


@router.post("/lomba/{competition_id:int}/pengaturan", dependencies=[CsrfChecked])
async def edit_settings(
    request: Request, competition_id: int, user: PageUser, actor: PageActor
) -> Response:
    """Name, description, which statuses may enter, the entry deadline, how many win."""
    form = await request.form()
    typed: dict[str, Any] = {
        key: str(form.get(key, "")) for key in ("name", "description", "entry_deadline", "winners")
    }
    typed["eligible"] = [str(v) for v in form.getlist("eligible") if isinstance(v, str)]
    try:
        winners = typed["winners"].strip()
        if not winners.isdigit() or not 1 <= int(winners) <= 50:
            raise BadInput("Jumlah pemenang 1 sampai 50.")
        deadline = optional_form_date(typed["entry_deadline"], "batas pendaftaran")
        try:
            patch = CompetitionPatch(
                name=typed["name"], description=typed["description"],
                eligible=typed["eligible"], winners=int(winners), entry_deadline=deadline,
            )  # fmt: skip
        except ValidationError as exc:
            raise BadInput(
                "Nama lomba 3 sampai 200 karakter."
                if exc.errors()[0]["loc"][0] == "name"
                else first_error(exc)
            ) from None
        await setup.update(user, competition_id, patch, actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code,
            settings_error=exc.detail, settings_typed=typed,
        )  # fmt: skip
    flash(request, "Pengaturan lomba disimpan.")
    return RedirectResponse(f"/lomba/{competition_id}", status_code=303)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40]
    return slug if slug and slug[0].isalpha() else f"k_{slug}"[:40]


@router.post("/lomba/{competition_id:int}/tahap/{position:int}", dependencies=[CsrfChecked])
async def edit_stage(
    request: Request, competition_id: int, position: int, user: PageUser, actor: PageActor
) -> Response:
    """Name, passing grade, blindness and criteria rows (criterion_name_N, criterion_weight_N)."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        criteria = []
        for n in range(20):
            label = values.get(f"criterion_name_{n}", "").strip()
            weight = values.get(f"criterion_weight_{n}", "").strip()
            if not label and not weight:
                continue
            if not label or not weight.isdigit():
                raise BadInput(f"Kriteria baris {n + 1}: isi nama dan bobot (angka bulat persen).")
            key = values.get(f"criterion_key_{n}", "").strip() or _slug(label)
            criteria.append(CriterionIn(key=key, name=label, weight=int(weight)))
        grade = values.get("passing_grade", "").replace(",", ".").strip()
        deadline = optional_form_date(values.get("deadline", ""), "batas penilaian")
        try:
            patch = StagePatch(
                name=values.get("name", "").strip() or None,
                passing_grade=float(grade) if grade else None,
                blind=values.get("blind") == "1",
                criteria=criteria or None,
                deadline=deadline,
            )
        except (ValidationError, ValueError):
            raise BadInput("Nilai lolos harus angka 0 sampai 100.") from None
        await setup.update_stage(user, competition_id, position, patch, actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code,
            stage_error={position: exc.detail},
        )  # fmt: skip
    flash(request, f"Tahap {position} disimpan.")
    return RedirectResponse(f"/lomba/{competition_id}#tahap-{position}", status_code=303)


@router.post("/lomba/{competition_id:int}/tahap/{position:int}/juri", dependencies=[CsrfChecked])
async def set_panel(
    request: Request, competition_id: int, position: int, user: PageUser, actor: PageActor
) -> Response:
    form = await request.form()
    usernames = [str(v) for v in form.getlist("judges") if isinstance(v, str)]
    try:
        await setup.set_judges(user, competition_id, position, usernames, actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code,
            panel_error={position: exc.detail},
        )  # fmt: skip
    flash(request, f"Juri tahap {position} disimpan.")
    return RedirectResponse(f"/lomba/{competition_id}#tahap-{position}", status_code=303)


@router.post(
    "/lomba/{competition_id:int}/tahap/{position:int}/{action}", dependencies=[CsrfChecked]
)
async def move_stage(
    request: Request,
    competition_id: int,
    position: int,
    action: str,
    user: PageUser,
    actor: PageActor,
) -> Response:
    """``buka`` opens the stage for scoring, ``tutup`` closes it."""
    steps = {"buka": (setup.open_stage, "dibuka untuk penilaian"),
             "tutup": (setup.close_stage, "ditutup; hasilnya final")}  # fmt: skip
    if action not in steps:
        raise BadInput("Tindakan tahap tidak dikenal.")
    step, said = steps[action]
    try:
        await step(user, competition_id, position, actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code,
            stage_error={position: exc.detail},
        )  # fmt: skip
    flash(request, f"Tahap {position} {said}.")
    return RedirectResponse(f"/lomba/{competition_id}#tahap-{position}", status_code=303)


@router.post("/lomba/{competition_id:int}/umumkan", dependencies=[CsrfChecked])
async def announce(
    request: Request, competition_id: int, user: PageUser, actor: PageActor
) -> Response:
    try:
        await setup.publish(user, competition_id, actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code, publish_error=exc.detail
        )
    flash(request, "Pemenang diumumkan dan tampil di katalog publik.")
    return RedirectResponse(f"/lomba/{competition_id}/hasil", status_code=303)


@router.post("/lomba/{competition_id:int}/daftar", dependencies=[CsrfChecked])
async def enter(
    request: Request,
    competition_id: int,
    user: PageUser,
    actor: PageActor,
    innovation: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        if not innovation.isdigit():
            raise BadInput("Pilih inovasi yang didaftarkan.")
        entry = await entries.create(user, competition_id, int(innovation), actor)
    except DomainError as exc:
        return await detail_page(
            request, user, competition_id, status_code=exc.status_code, enter_error=exc.detail
        )
    flash(request, "Inovasi terdaftar. Tulis proposalnya, lalu ajukan.")
    return RedirectResponse(f"/lomba/peserta/{entry.id}", status_code=303)


# -- results ---------------------------------------------------------------------------


@router.get("/lomba/{competition_id:int}/hasil", response_class=HTMLResponse)
async def results_page(
    request: Request,
    competition_id: int,
    user: PageUser,
    tahap: int = Query(default=0, ge=0, le=20),
) -> HTMLResponse:
    competition = await get_competition(user, competition_id)
    stages = await stages_of(competition)
    readable = [
        s
        for s in stages
        if s.state != StageState.WAITING and await results.may_read_results(user, competition, s)
    ]
    if not readable:
        raise Forbidden(
            "Hasil lomba ini belum dapat dilihat: penilaian belum dimulai, juri melihatnya "
            "setelah tahap ditutup, peserta setelah pemenang diumumkan."
        )
    chosen = next((s for s in readable if s.position == tahap), readable[-1])
    found = await results.stage_results(chosen)
    columns = sorted(found.judges)
    # Judges and entrants see the others anonymised; staff and verifiers see names.
    names = (
        {j: found.judges[j] for j in columns}
        if user.role in RUNNERS
        else {j: f"Juri {n}" for n, j in enumerate(columns, start=1)}
    )
    return await render(
        request, "competitions/results.html", user,
        competition=competition, stages=readable, stage=chosen, found=found, columns=columns,
        names=names, tie_rule=TIE_RULE, is_runner=user.role in RUNNERS,
        winners=await results.winners(competition) if competition.published_at else [],
        state_labels=STATE_LABELS,
    )  # fmt: skip


@router.get("/lomba/{competition_id:int}/hasil.{fmt}")
async def recap_download(competition_id: int, fmt: str, user: PageUser) -> Response:
    competition: Competition = await get_competition(user, competition_id)
    return attachment(*await recap.recap_file(user, competition, fmt))
