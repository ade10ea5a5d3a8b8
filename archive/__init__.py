"""The archive service: records, storage, workflow, the FastAPI app and the ``sepeda`` CLI.

- ``create_app(settings)`` builds the web application (JSON API under ``/api`` and pages);
- ``load_settings()`` reads the ``SEPEDA_*`` environment;
- ``archive.cli`` is the ``sepeda`` command.

``create_app`` is loaded on first use: a CLI command that does not serve pages (``fsck``,
``reindex``, ``worker``...) does not pay the 1.8 s of importing the whole web application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.settings import Settings, load_settings

if TYPE_CHECKING:
    from archive.app import create_app

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "create_app", "load_settings"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from archive.app import create_app

        return create_app
    raise AttributeError(f"module 'archive' has no attribute {name!r}")
