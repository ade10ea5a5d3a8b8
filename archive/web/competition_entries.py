"""The proposal editor of one entry (``/lomba/peserta/{id}``): sections with live word counts,
evidence attached by reference, fill from the profile, submit and withdraw."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.competitions import entries
from archive.competitions.access import any_stage_started
from archive.errors import DomainError
from archive.models import Competition, Entry, User
from archive.scoping import can_edit_innovation
from archive.web.pages import PageActor, PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)


async def entry_page(
    request: Request, user: User, entry_id: int, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    entry = await entries.get_entry(user, entry_id)
    competition: Competition = entry.competition
    typed = context.pop("typed", None)
    sections = [
        {**s, "text": (typed or entry.sections).get(s["key"], "")} for s in competition.sections
    ]
    evidence = await entries.attachable_evidence(entry)
    editable = await can_edit_innovation(user, entry.innovation) and not await any_stage_started(
        competition
    )
    return await render(
        request, "competitions/entry.html", user, status_code=status_code,
        entry=entry, competition=competition, sections=sections, evidence=evidence,
        attached=set(entry.evidence), editable=editable,
        problems=entries.problems(competition, entry), **context,
    )  # fmt: skip


@router.get("/lomba/peserta/{entry_id:int}", response_class=HTMLResponse)
async def show(request: Request, entry_id: int, user: PageUser) -> HTMLResponse:
    return await entry_page(request, user, entry_id)


@router.post("/lomba/peserta/{entry_id:int}", dependencies=[CsrfChecked])
async def save(request: Request, entry_id: int, user: PageUser, actor: PageActor) -> Response:
    """Save the draft: every section's textarea (named by its key) and the evidence boxes."""
    form = await request.form()
    entry: Entry = await entries.get_entry(user, entry_id)
    keys = [s["key"] for s in entry.competition.sections]
    typed = {k: str(form.get(k, "")) for k in keys}
    chosen: list[int] = []
    for value in form.getlist("evidence"):
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            chosen.append(int(value))
    try:
        await entries.update(user, entry_id, actor, sections=typed, evidence=chosen)
    except DomainError as exc:
        return await entry_page(
            request, user, entry_id, status_code=exc.status_code, form_error=exc.detail,
            error_field=exc.extra.get("field"), typed=typed,
        )  # fmt: skip
    flash(request, "Draf proposal disimpan.")
    return RedirectResponse(f"/lomba/peserta/{entry_id}", status_code=303)


@router.post("/lomba/peserta/{entry_id:int}/{action}", dependencies=[CsrfChecked])
async def act(
    request: Request, entry_id: int, action: str, user: PageUser, actor: PageActor
) -> Response:
    """``isi-profil`` fills empty sections from the profile; ``ajukan`` submits; ``tarik``
    withdraws a submitted proposal back to draft."""
    try:
        if action == "isi-profil":
            filled = await entries.fill_from_profile(user, entry_id, actor)
            said = (
                f"{len(filled)} bagian diisi dari profil inovasi; periksa dan sesuaikan."
                if filled
                else "Tidak ada bagian kosong yang dapat diisi dari profil."
            )
        elif action == "ajukan":
            await entries.submit(user, entry_id, actor)
            said = "Proposal diajukan. Juri menilainya setelah tahap pertama dibuka."
        elif action == "tarik":
            await entries.withdraw(user, entry_id, actor)
            said = "Proposal ditarik kembali menjadi draf."
        else:
            return await entry_page(request, user, entry_id, status_code=404,
                                    action_error="Tindakan tidak dikenal.")  # fmt: skip
    except DomainError as exc:
        return await entry_page(
            request, user, entry_id, status_code=exc.status_code, action_error=exc.detail
        )
    flash(request, said)
    return RedirectResponse(f"/lomba/peserta/{entry_id}", status_code=303)
