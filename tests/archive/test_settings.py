"""Settings come from SEPEDA_* variables, with the contract's defaults."""

import pytest
from pydantic import ValidationError

from archive.settings import Settings, load_settings


def test_defaults_follow_the_contract(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ["SEPEDA_DATA_DIR", "SEPEDA_DATABASE_URL", "SEPEDA_MAX_UPLOAD_MB",
                 "SEPEDA_TIMEZONE", "SEPEDA_SECRET_KEY"]:  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.data_dir.resolve() == (tmp_path / "sepeda-data").resolve()
    assert settings.db_url == f"sqlite://{(tmp_path / 'sepeda-data' / 'sepeda.sqlite3').resolve()}"
    assert settings.max_upload_mb == 100
    assert settings.timezone == "Asia/Makassar"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("SEPEDA_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SEPEDA_DATABASE_URL", "postgres://u:p@db:5432/sepeda")
    monkeypatch.setenv("SEPEDA_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("SEPEDA_TIMEZONE", "Asia/Jakarta")
    settings = load_settings()
    assert settings.db_url == "postgres://u:p@db:5432/sepeda"
    assert settings.max_upload_bytes == 5 * 1024 * 1024
    assert settings.tz.key == "Asia/Jakarta"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = load_settings(data_dir=tmp_path)
    second = load_settings(data_dir=tmp_path)
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert load_settings(data_dir=tmp_path / "other").secret_key != first.secret_key


@pytest.mark.parametrize(
    "override", [{"timezone": "Mars/Olympus"}, {"max_upload_mb": 0}, {"max_upload_mb": "banyak"}]
)
def test_invalid_settings_fail_clearly(override):
    with pytest.raises(ValidationError):
        Settings(**override)


def test_importing_the_app_reads_no_settings(monkeypatch):
    """Settings are built by create_app's caller, never at import time."""
    import importlib

    import archive.app

    monkeypatch.setenv("SEPEDA_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError):  # the environment is really unusable now...
        load_settings()
    reloaded = importlib.reload(archive.app)  # ...yet importing the app does not read it
    assert callable(reloaded.create_app)
    # Settings made by the caller still build an app under that environment.
    app = reloaded.create_app(Settings(timezone="Asia/Makassar"))
    assert app.state.settings.timezone == "Asia/Makassar"
