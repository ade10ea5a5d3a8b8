"""The HTML pages (Jinja2), signed in with a session cookie and protected by CSRF tokens."""

from fastapi import APIRouter

from archive.web import (
    audit,
    auth,
    catalogue,
    competition_entries,
    competitions,
    evidence,
    home,
    innovations,
    judging,
    notifications,
    periods,
    profile_form,
    proposals,
    regional,
    reports,
    review,
    search,
    units,
    users,
    verification,
)


def web_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (
        auth,
        home,
        profile_form,  # before innovations: /inovasi/baru is not /inovasi/{id}
        innovations,
        review,
        evidence,
        search,
        reports,
        notifications,
        users,
        verification,
        periods,
        units,
        regional,
        audit,
        catalogue,
        proposals,
        competitions,
        competition_entries,
        judging,
    ):
        router.include_router(module.router)
    return router
