"""The HTML pages (Jinja2), signed in with a session cookie and protected by CSRF tokens."""

from fastapi import APIRouter

from archive.web import auth, home


def web_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    router.include_router(auth.router)
    router.include_router(home.router)
    return router
