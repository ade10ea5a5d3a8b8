"""Logging: text or JSON lines (``SEPEDA_LOG_FORMAT``), each line with its request's id.

Every HTTP request gets one access line (method, path, status, duration) and an id: the
proxy's ``X-Request-ID`` when it sends a sane one, a new one otherwise. The id goes back in the
response header and into every log line written while the request runs, so an operator can
follow one complaint through the logs.
"""

from __future__ import annotations

import contextvars
import logging
import logging.config
import re
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
# What we accept from outside: short, and nothing that could forge a log line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

access = logging.getLogger("archive.access")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(HEADER.lower().encode(), b"").decode("latin-1")
        rid = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)

        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            # The path without its query: search words and tokens stay out of the log.
            fields = {"method": scope["method"], "path": scope["path"], "status": status}
            access.info(
                "%s %s %s %.1f ms", scope["method"], scope["path"], status, duration_ms,
                extra={**fields, "duration_ms": duration_ms},
            )  # fmt: skip
            request_id.reset(token)


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A ``dictConfig`` for our loggers and uvicorn's, in the chosen format."""
    if log_format == "json":
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's loggers propagate to the root handler instead of their own; its access
            # lines give way to ours (archive.access), which carry the id, status and duration.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # "Tortoise-ORM shutdown" at every command is not news.
            "tortoise": {"level": "WARNING"},
        },
    }


def configure(log_format: str) -> dict[str, Any]:
    config = logging_config(log_format)
    logging.config.dictConfig(config)
    return config
