"""The few settings that domain rules read wherever they run, set once at start-up.

``create_app`` and the CLI call ``configure(settings)``: every change re-evaluates a
checklist (which needs the region) and every edit is judged against deadlines (which need the
time zone), from routes, the worker and commands alike.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from archive.settings import Settings

_defaults = Settings.model_fields
region: str = _defaults["region"].default
timezone: ZoneInfo = ZoneInfo(_defaults["timezone"].default)
smtp_host: str = ""
smtp_port: int = 25
smtp_from: str = ""


def configure(settings: Settings) -> None:
    global region, timezone, smtp_host, smtp_port, smtp_from
    region = settings.region
    timezone = settings.tz
    smtp_host, smtp_port, smtp_from = settings.smtp_host, settings.smtp_port, settings.smtp_from
