"""Every error answers ``{"detail": "..."}`` JSON: domain errors, validation, HTTP errors."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive.errors import DomainError, NotAuthenticated, TooManyAttempts


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

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse(
            {"detail": detail}, status_code=exc.status_code, headers=exc.headers or None
        )
