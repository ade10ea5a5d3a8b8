"""Dependencies both faces of the app share, as ``Annotated`` aliases.

The JSON API (``archive.api.deps``: callers by bearer token) and the pages
(``archive.web.pages``: callers by session) add who is calling; what they reach through is
here, so a page never imports an API route to get at the blob store or the search index.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from archive.search_engine import open_search
from archive.security import TokenSigner
from archive.services.throttle import LoginThrottle
from archive.settings import Settings
from archive.storage import BlobStore
from indexer.search_backend import SearchBackend


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_signer(request: Request) -> TokenSigner:
    signer: TokenSigner = request.app.state.signer
    return signer


def get_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.throttle
    return throttle


SettingsDep = Annotated[Settings, Depends(get_settings)]
SignerDep = Annotated[TokenSigner, Depends(get_signer)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]


def get_store(settings: SettingsDep) -> BlobStore:
    return BlobStore(settings.blob_dir)


async def get_search(request: Request, settings: SettingsDep) -> SearchBackend:
    """One search backend per app, opened on first use; it always sees the latest writes."""
    backend: SearchBackend | None = getattr(request.app.state, "search", None)
    if backend is None:
        backend = await open_search(settings, writer=False)
        request.app.state.search = backend
    return backend


StoreDep = Annotated[BlobStore, Depends(get_store)]
SearchDep = Annotated[SearchBackend, Depends(get_search)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
