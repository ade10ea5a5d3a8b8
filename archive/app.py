"""The application factory: settings in, a FastAPI app out; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import templates as templates_package
from archive import runtime
from archive.api import api_router
from archive.api.errors import install_error_handlers
from archive.db import close_database, open_database
from archive.logs import RequestIdMiddleware
from archive.security import TokenSigner
from archive.services.throttle import LoginThrottle
from archive.settings import Settings
from archive.web import web_router
from archive.web.headers import SecurityHeaders
from archive.web.templating import make_templates
from archive.worker import Worker


def app_from_environment() -> FastAPI:
    """The app of one of ``sepeda serve --workers N``'s processes (uvicorn imports it by name);
    ``serve`` has already migrated the database."""
    from archive.heap import freeze_startup_objects
    from archive.settings import load_settings

    app = create_app(load_settings(), run_migrations=False)
    freeze_startup_objects()
    return app


def create_app(settings: Settings, *, run_migrations: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await open_database(settings, run_migrations=run_migrations)
        worker = Worker(settings) if settings.worker else None
        app.state.worker = worker
        if worker is not None:
            await worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            search = getattr(app.state, "search", None)
            if search is not None:
                await search.close()
            await close_database()

    from archive import __version__

    app = FastAPI(
        title="SEPEDA BARU",
        version=__version__,
        description="Arsip data dukung Indeks Inovasi Daerah",
        lifespan=lifespan,
    )
    app.state.settings = settings
    runtime.configure(settings)
    app.state.signer = TokenSigner(settings.secret_key, settings.token_ttl_hours * 3600)
    app.state.throttle = LoginThrottle(settings.login_max_failures, settings.login_window_seconds)
    app.state.templates = make_templates(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="sepeda_session",
        max_age=settings.token_ttl_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.public_url.startswith("https://"))
    if settings.metrics:
        from archive.metrics import Metrics, MetricsMiddleware, metrics_endpoint

        app.state.metrics = Metrics()
        # Outermost, so the time measured is the time the client waited.
        app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
        app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)
    static = Path(templates_package.__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(_routes())
    return app


@cache
def _routes() -> APIRouter:
    """The API and the pages, assembled once per process.

    FastAPI analyses every endpoint's dependencies when its router is first included (about
    half a second for our ~190 routes) and keeps the result on the including router. The
    routes hold no per-app state (settings, templates and the search backend live in
    ``app.state``), so every app of the process, each test's included, shares one assembly.
    """
    routes = APIRouter()
    routes.include_router(api_router())
    routes.include_router(web_router())
    return routes
