"""Verification pages: a verifier reviews each indicator's evidence and decides on the innovation.

The forms live on the innovation page (`archive.web.innovations`); these routes take them,
call the same services as the JSON API (`archive.services.reviews`, `archive.services.workflow`)
and come back to the page. A refusal the user can act on (stale version, wrong state, no
evidence) is shown beside the form; anything else becomes the usual error page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from archive.errors import BadInput, Conflict, DomainError
from archive.models import User
from archive.services import reviews, workflow
from archive.web.innovations import innovation_page
from archive.web.pages import PageActor, PageRoute, PageUser, flash
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)

Note = Annotated[str, Form(max_length=5000)]
Version = Annotated[int | None, Form()]

DONE = {
    "verified": "Inovasi dinyatakan terverifikasi.",
    "revision": "Inovasi dikembalikan kepada admin unit untuk diperbaiki.",
    "rejected": "Inovasi ditolak.",
    "publish": "Inovasi dipublikasikan di katalog.",
    "reopen": "Inovasi dibuka kembali sebagai draf; admin unit dapat mengubahnya lagi.",
}


async def _refused(
    request: Request, user: User, innovation_id: int, exc: DomainError, slot: str
) -> Response:
    """The innovation page again, with the refusal shown beside the form that caused it."""
    return await innovation_page(
        request, user, innovation_id, status_code=exc.status_code, **{slot: exc.detail}
    )


def _back(innovation_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/inovasi/{innovation_id}#{anchor}", status_code=303)


@router.post("/inovasi/{innovation_id}/indikator/{code}/periksa", dependencies=[CsrfChecked])
async def review_indicator(
    request: Request,
    innovation_id: int,
    code: str,
    user: PageUser,
    actor: PageActor,
    verified_level: Annotated[int, Form(ge=0, le=3)],
    verdict: Annotated[Literal["sesuai", "tidak_sesuai"], Form()],
    note: Note = "",
    version: Version = None,
) -> Response:
    try:
        await reviews.review_indicator(
            user,
            innovation_id,
            code,
            verified_level=verified_level,
            verdict=verdict,
            note=note.strip() or None,
            version=version,
            actor=actor,
        )
    except (Conflict, BadInput) as exc:
        return await _refused(request, user, innovation_id, exc, "review_error")
    flash(request, f"Hasil pemeriksaan indikator {code} disimpan.")
    return _back(innovation_id, f"review-{code}")


async def _move(
    request: Request,
    innovation_id: int,
    name: str,
    user: PageUser,
    actor: PageActor,
    note: str,
    version: int | None,
) -> Response:
    try:
        await workflow.transition(
            user, innovation_id, name, actor, note=note.strip() or None, version=version
        )
    except (Conflict, BadInput) as exc:
        return await _refused(request, user, innovation_id, exc, "decision_error")
    flash(request, DONE[name])
    return _back(innovation_id, "status")


@router.post("/inovasi/{innovation_id}/keputusan", dependencies=[CsrfChecked])
async def decide(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    decision: Annotated[Literal["verified", "revision", "rejected"], Form()],
    note: Note = "",
    version: Version = None,
) -> Response:
    return await _move(request, innovation_id, decision, user, actor, note, version)


@router.post("/inovasi/{innovation_id}/publikasi", dependencies=[CsrfChecked])
async def publish(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    version: Version = None,
) -> Response:
    return await _move(request, innovation_id, "publish", user, actor, "", version)


@router.post("/inovasi/{innovation_id}/buka-kembali", dependencies=[CsrfChecked])
async def reopen(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    note: Note = "",
    version: Version = None,
) -> Response:
    return await _move(request, innovation_id, "reopen", user, actor, note, version)
