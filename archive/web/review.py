"""Verification pages: a verifier reviews each indicator's evidence and decides on the innovation.

The forms live on the innovation page (`archive.web.innovations`); these routes take them,
call the same services as the JSON API (`archive.services.reviews`, `archive.services.workflow`)
and come back to the page. A refusal the user can act on (stale version, wrong state, no
evidence) is shown beside the form; anything else becomes the usual error page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from archive.errors import BadInput, Conflict, DomainError
from archive.models import User
from archive.services import reviews, workflow
from archive.web.innovations import innovation_page
from archive.web.pages import PageActor, PageRoute, PageUser, flash
from archive.web.session import CsrfChecked
from archive.web.verification import desk_page, desk_target, desk_url

router = APIRouter(route_class=PageRoute)

Note = Annotated[str, Form(max_length=5000)]
Version = Annotated[int | None, Form()]
Choice = Annotated[str, Form(max_length=32)]
# Where the verifier's desk wants to go back to after the form (a path of the desk only).
Next = Annotated[str, Form(max_length=200)]

DONE = {
    "verified": "Inovasi dinyatakan terverifikasi.",
    "revision": "Inovasi dikembalikan kepada admin unit untuk diperbaiki.",
    "rejected": "Inovasi ditolak.",
    "publish": "Inovasi dipublikasikan di katalog.",
    "reopen": (
        "Inovasi dibuka kembali sebagai draf; admin unit diberi tahu dan dapat mengubahnya lagi."
    ),
    "withdraw": "Keputusan ditarik; inovasi kembali menunggu verifikasi dan unit diberi tahu.",
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
    verified_level: Choice = "",
    verdict: Choice = "",
    note: Note = "",
    version: Version = None,
    next: Next = "",
) -> Response:
    desk = desk_target(next, innovation_id)
    try:
        # Nothing is pre-chosen on the form: an empty choice is the verifier's to make.
        if verified_level not in {"0", "1", "2", "3"}:
            raise BadInput("Pilih tingkat yang benar-benar terbukti dari berkas (0 sampai 3).")
        if verdict not in {"sesuai", "tidak_sesuai"}:
            raise BadInput("Pilih kesesuaian: sesuai atau tidak sesuai.")
        await reviews.review_indicator(
            user,
            innovation_id,
            code,
            verified_level=int(verified_level),
            verdict=verdict,
            note=note.strip() or None,
            version=version,
            actor=actor,
        )
    except (Conflict, BadInput) as exc:
        typed = {"verified_level": verified_level, "verdict": verdict, "note": note}
        if desk:
            return await desk_page(
                request, user, innovation_id, code, status_code=exc.status_code,
                review_error=exc.detail, review_typed=typed,
            )  # fmt: skip
        return await _refused(request, user, innovation_id, exc, "review_error")
    flash(request, f"Hasil pemeriksaan indikator {code} disimpan.")
    if desk:
        return RedirectResponse(desk_url(*desk), status_code=303)
    return _back(innovation_id, f"review-{code}")


async def _move(
    request: Request,
    innovation_id: int,
    name: str,
    user: PageUser,
    actor: PageActor,
    note: str,
    version: int | None,
    *,
    confirmed: bool = True,
    next_url: str = "",
) -> Response:
    desk = desk_target(next_url, innovation_id)
    try:
        if not confirmed:
            raise BadInput("Centang konfirmasi bahwa Anda yakin dengan keputusan ini.")
        await workflow.transition(
            user, innovation_id, name, actor, note=note.strip() or None, version=version
        )
    except (Conflict, BadInput) as exc:
        typed = {"decision": name, "note": note}
        if desk:
            return await desk_page(
                request, user, innovation_id, desk[1], status_code=exc.status_code,
                decision_error=exc.detail, decision_typed=typed, next_url=next_url,
            )  # fmt: skip
        slot = {"reopen": "reopen_error", "withdraw": "withdraw_error"}.get(name, "decision_error")
        return await innovation_page(
            request, user, innovation_id, status_code=exc.status_code,
            **{slot: exc.detail, "decision_typed": typed},
        )  # fmt: skip
    flash(request, DONE[name])
    return _back(innovation_id, "status")


@router.post("/inovasi/{innovation_id}/keputusan", dependencies=[CsrfChecked])
async def decide(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    decision: Choice = "",
    note: Note = "",
    version: Version = None,
    confirm: Choice = "",
    next: Next = "",
) -> Response:
    if decision not in {"verified", "revision", "rejected"}:
        exc = BadInput("Pilih keputusan: terverifikasi, kembalikan untuk perbaikan, atau tolak.")
        desk = desk_target(next, innovation_id)
        typed = {"note": note}
        if desk:
            return await desk_page(
                request, user, innovation_id, desk[1], status_code=422,
                decision_error=exc.detail, decision_typed=typed, next_url=next,
            )  # fmt: skip
        return await innovation_page(
            request, user, innovation_id, status_code=422, decision_error=exc.detail,
            decision_typed=typed,
        )  # fmt: skip
    return await _move(
        request, innovation_id, decision, user, actor, note, version,
        confirmed=bool(confirm), next_url=next,
    )  # fmt: skip


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


@router.post("/inovasi/{innovation_id}/tarik-keputusan", dependencies=[CsrfChecked])
async def withdraw(
    request: Request,
    innovation_id: int,
    user: PageUser,
    actor: PageActor,
    note: Note = "",
    version: Version = None,
) -> Response:
    """Staff undo a decision with a reason: the innovation waits for the verifier again."""
    return await _move(request, innovation_id, "withdraw", user, actor, note, version)
