"""Settings read from ``SEPEDA_*`` environment variables, built by ``create_app`` and the CLI."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret.key"


class Settings(BaseSettings):
    """Runtime configuration; see the README for each variable."""

    model_config = SettingsConfigDict(
        env_prefix="SEPEDA_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Path("./sepeda-data")
    database_url: str = ""
    secret_key: str = ""
    max_upload_mb: int = Field(default=100, ge=1)
    timezone: str = "Asia/Makassar"
    token_ttl_hours: int = Field(default=12, ge=1)
    reset_ttl_hours: int = Field(default=24, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    region: str = "Kabupaten Balangan"
    # The public proposal form: a person needs longer than this to fill it in (anti-spam).
    proposal_min_seconds: float = Field(default=5, ge=0)
    # E-mail for notifications; without a host they stay in the app only.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "sepeda-baru@localhost"
    # The background worker (extraction now, the index writer later).
    worker: bool = True
    worker_poll_s: float = Field(default=1.0, gt=0)
    extract_workers: int = Field(
        default=0, ge=0, description="0: one fewer than the cores; plus one express slot"
    )
    extract_timeout_s: float = Field(default=120, gt=0)
    # The express lane's budget: a file not read by then is read again in a long lane, so one
    # unit's huge file never holds up another unit's reading for longer than this.
    extract_express_s: float = Field(default=30, gt=0)
    extract_memory_mb: int = Field(default=1024, ge=128)
    # Operations: Prometheus metrics at /metrics (keep it off the public side of the proxy),
    # and logs as text or JSON lines.
    metrics: bool = False
    # The address users reach the server at, e.g. https://inovasi.balangankab.go.id: every
    # link the server writes starts with it, and with https the session cookie is Secure and
    # browsers are told to keep to https (HSTS).
    public_url: str = ""
    cookie_secure: bool | None = None  # None: Secure when public_url is https
    log_format: Literal["text", "json"] = "text"
    # Full-text search: Whoosh files in the data dir, or PostgreSQL's own full-text search,
    # which every server and worker sharing the database shares too. Empty: PostgreSQL when
    # the database is PostgreSQL, else Whoosh.
    search_backend: Literal["", "whoosh", "postgres"] = ""

    @field_validator("public_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("SEPEDA_PUBLIC_URL harus alamat lengkap, mis. https://inovasi.go.id")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Makassar)") from None
        return value

    @property
    def db_url(self) -> str:
        """The database URL, defaulting to SQLite inside the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite://{(self.data_dir / 'sepeda.sqlite3').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def search_engine(self) -> Literal["whoosh", "postgres"]:
        """The search backend in use (see `search_backend`)."""
        if self.search_backend:
            return self.search_backend
        return "whoosh" if self.is_sqlite else "postgres"

    @model_validator(mode="after")
    def _postgres_search_needs_postgres(self) -> Settings:
        if self.search_backend == "postgres" and self.is_sqlite:
            raise ValueError(
                "SEPEDA_SEARCH_BACKEND=postgres memerlukan basis data PostgreSQL"
                " (SEPEDA_DATABASE_URL=postgres://...)"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.public_url.startswith("https://")

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def load_settings(**overrides: object) -> Settings:
    """Read the environment, create the data dir and make sure a secret key exists."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.secret_key:
        return settings
    return settings.model_copy(update={"secret_key": _stored_secret(settings.data_dir)})


def _stored_secret(data_dir: Path) -> str:
    """Generate the secret once and keep it in the data dir, readable by the owner only."""
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    tmp.replace(path)
    return key
