"""Browser fixtures: Debian's Chromium driven by Playwright, against the real demo server."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import PG_URL, need, reset_postgres
from tests.e2e.server import Server, start_server

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Screenshots of every step; kept (for CI to collect) only when the test fails.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser():
    chromium = shutil.which("chromium")
    need(chromium is not None, "Chromium is not installed (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    if PG_URL:
        # Playwright's sync API runs an event loop in this thread: reset from another one.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, reset_postgres(PG_URL)).result()
    running = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    yield running
    running.stop()


@pytest.fixture
def shots(request) -> Iterator[Path]:
    """A folder for the test's screenshots, removed when the test passes.

    ``SEPEDA_KEEP_SHOTS=1`` keeps them anyway, to look at the pages after a change.
    """
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    yield folder
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed and not os.environ.get("SEPEDA_KEEP_SHOTS"):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def sign_in_first_time(page, base_url: str, username: str, printed: str, new: str) -> None:
    """Sign in with the printed demo password and replace it, as the app demands."""
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", printed)
    page.click("main button[type=submit]")
    page.wait_for_url("**/password")
    page.fill("#old_password", printed)
    page.fill("#new_password", new)
    page.fill("#confirm_password", new)
    page.click("main button[type=submit]")
    assert "telah diganti" in page.locator(".message").inner_text()
