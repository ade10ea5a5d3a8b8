"""Every error answers ``{"detail": "..."}`` JSON: domain errors, validation, HTTP errors."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from tortoise.exceptions import OperationalError
from tortoise.exceptions import ValidationError as StoredValueError

from archive.errors import DomainError, NotAuthenticated, TooManyAttempts

log = logging.getLogger(__name__)
TOO_LARGE = "Data tidak valid: angka di luar batas yang dapat disimpan."
TOO_LONG = "Data tidak valid: isian terlalu panjang atau di luar batas yang dapat disimpan."


def _field(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "permintaan"


def _validation_detail(exc: RequestValidationError) -> str:
    messages = []
    for error in exc.errors()[:5]:
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "kolom tidak dikenal"
        elif error.get("type") == "missing":
            message = "wajib diisi"
        messages.append(f"{_field(error.get('loc', ()))}: {message}")
    return "Data tidak valid: " + "; ".join(messages)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        body: dict = {"detail": exc.detail, **exc.extra}
        if exc.code:
            body["code"] = exc.code
        headers = {}
        if isinstance(exc, NotAuthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "message": str(e.get("msg")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": _validation_detail(exc), "errors": errors}, status_code=422)

    # Input that passed the schema but not the database's limits (an id past 2^63, a filter
    # longer than its column): the caller's mistake, never a server error.
    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse({"detail": TOO_LARGE}, status_code=422)

    @app.exception_handler(StoredValueError)
    async def _stored(request: Request, exc: StoredValueError) -> JSONResponse:
        return JSONResponse({"detail": TOO_LONG}, status_code=422)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        # PostgreSQL refuses a value outside a column's type (an id past 2^31) as a data error.
        if _is_data_error(exc):
            return JSONResponse({"detail": TOO_LARGE}, status_code=422)
        log.error("database error", exc_info=exc)
        return JSONResponse({"detail": "Terjadi kesalahan pada server."}, status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse(
            {"detail": detail}, status_code=exc.status_code, headers=exc.headers or None
        )


def _is_data_error(exc: BaseException) -> bool:
    try:
        from asyncpg.exceptions import DataError  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover  (asyncpg is a dependency)
        return False
    causes = [exc.__cause__, exc.__context__, *exc.args]
    return any(isinstance(cause, DataError) for cause in causes)
