"""Staff's audit log page: every change, filtered by who, what and since when; CSV download."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from archive import exports
from archive.errors import BadInput
from archive.models import AuditEvent, Role
from archive.scoping import require_role
from archive.services import audit_log
from archive.web.pages import PageRoute, PageUser, render

router = APIRouter(route_class=PageRoute)

SHOWN = 500
OBJECT_TYPES = {
    "": "Semua",
    "innovation": "Inovasi",
    "evidence": "Bukti",
    "user": "Akun",
    "unit": "Unit",
    "period": "Periode",
    "regional_indicator": "Indikator daerah (SPD)",
}
CSV_COLUMNS = ["No", "Waktu", "Pelaku", "Tindakan", "Jenis objek", "Objek", "Alamat IP",
               "Sebelum", "Sesudah"]  # fmt: skip


def _filters(actor: str, kind: str, ident: str, since: str, tz: Any) -> dict[str, Any]:
    if kind not in OBJECT_TYPES:
        raise BadInput("Jenis objek tidak dikenal.")
    since_at = None
    if since:
        try:
            since_at = datetime.combine(date.fromisoformat(since), time.min, tzinfo=tz)
        except ValueError:
            raise BadInput("Tanggal 'sejak' tidak valid; gunakan format TTTT-BB-HH.") from None
    ref = f"{kind}:{ident.strip()}" if kind and ident.strip() else (kind or None)
    return {"actor": actor.strip() or None, "object_ref": ref, "since": since_at}


Text = Annotated[str, Query(max_length=64)]


@router.get("/audit", response_class=HTMLResponse)
async def show(
    request: Request,
    user: PageUser,
    actor: Text = "",
    jenis: Text = "",
    objek: Text = "",
    sejak: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    require_role(user, Role.STAFF)
    typed = {"actor": actor, "jenis": jenis, "objek": objek, "sejak": sejak}
    tz = request.app.state.settings.tz
    error, rows, total = None, [], 0
    try:
        filters = _filters(actor, jenis, objek, sejak, tz)
        total = await audit_log.count(**filters)
        rows = await audit_log.events(**filters, newest_first=True, limit=SHOWN)
    except BadInput as exc:
        error = exc.detail
    return await render(
        request, "audit/index.html", user, status_code=422 if error else 200, rows=rows,
        total=total, shown=SHOWN, typed=typed, kinds=OBJECT_TYPES, filter_error=error,
        query=request.url.query,
    )  # fmt: skip


@router.get("/audit/unduh.csv", response_class=Response)
async def download(
    request: Request,
    user: PageUser,
    actor: Text = "",
    jenis: Text = "",
    objek: Text = "",
    sejak: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    require_role(user, Role.STAFF)
    tz = request.app.state.settings.tz
    events: list[AuditEvent] = await audit_log.events(**_filters(actor, jenis, objek, sejak, tz))
    rows = [
        [n, e.at.astimezone(tz).strftime("%d-%m-%Y %H:%M:%S %Z"), e.actor, e.action,
         OBJECT_TYPES.get(e.object_type, e.object_type), e.object_id, e.ip, e.before, e.after]
        for n, e in enumerate(events, start=1)
    ]  # fmt: skip
    body = exports.to_csv(CSV_COLUMNS, rows, delimiter=";")
    return exports.attachment(body, exports.CSV_TYPE, "log-audit.csv")
