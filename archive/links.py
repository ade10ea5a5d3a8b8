"""Absolute links the server writes into pages, answers and feeds (reset links, the Atom feed,
the sitemap).

With ``SEPEDA_PUBLIC_URL`` set they start with it; only without it (a laptop, the demo) with
the address the request came to. A request's ``Host`` header is the sender's to choose: a reset
link built from it could point at someone else's server.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request


def base_url(request: Request) -> str:
    public = request.app.state.settings.public_url
    return (public or str(request.base_url)).rstrip("/")


def absolute(request: Request, path: str) -> str:
    return base_url(request) + path


def link_for(request: Request, name: str, **params: Any) -> str:
    """``request.url_for``, on the public address."""
    return absolute(request, str(request.app.url_path_for(name, **params)))
