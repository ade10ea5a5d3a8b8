"""The archive service: records, storage, workflow, the FastAPI app and the ``sepeda`` CLI.

- ``create_app(settings)`` builds the web application (JSON API under ``/api`` and pages);
- ``load_settings()`` reads the ``SEPEDA_*`` environment;
- ``archive.cli`` is the ``sepeda`` command.
"""

__version__ = "0.1.0"

from archive.app import create_app
from archive.settings import Settings, load_settings

__all__ = ["Settings", "__version__", "create_app", "load_settings"]
