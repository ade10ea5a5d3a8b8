"""The signed-in user's notifications: submissions, decisions and deadline reminders."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.errors import NotFound
from archive.services import notifications
from archive.web.pages import PageRoute, PageUser, flash, render
from archive.web.session import CsrfChecked

router = APIRouter(route_class=PageRoute)


@router.get("/notifikasi", response_class=HTMLResponse)
async def list_notifications(request: Request, user: PageUser) -> HTMLResponse:
    rows = await notifications.for_user(user)
    return await render(request, "notifications/index.html", user, notifications=rows)


@router.post("/notifikasi/{notification_id}/baca", dependencies=[CsrfChecked])
async def read_one(request: Request, notification_id: int, user: PageUser) -> Response:
    if not await notifications.mark_read(user, notification_id):
        raise NotFound("Notifikasi tidak ditemukan atau sudah dibaca.")
    return RedirectResponse("/notifikasi", status_code=303)


@router.post("/notifikasi/baca-semua", dependencies=[CsrfChecked])
async def read_all(request: Request, user: PageUser) -> Response:
    count = await notifications.mark_all_read(user)
    flash(request, f"{count} notifikasi ditandai sudah dibaca.")
    return RedirectResponse("/notifikasi", status_code=303)
