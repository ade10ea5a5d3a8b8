"""The sign-in pages in a real browser: Debian's Chromium driven by Playwright."""

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PG_URL, need, reset_postgres
from tests.e2e.server import start_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


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
def server(tmp_path):
    if PG_URL:
        # Playwright's sync API runs an event loop in this thread: reset from another one.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, reset_postgres(PG_URL)).result()
    running = start_server(tmp_path / "data", "--demo", database_url=PG_URL)
    yield running
    running.stop()


def test_a_demo_admin_signs_in_changes_the_printed_password_and_signs_out(
    server, browser, tmp_path
):
    page = browser.new_page()
    page.goto(f"{server.base_url}/")
    assert page.url.endswith("/login")
    assert page.locator("h1").inner_text() == "Masuk"

    page.fill("#username", "admin.dinkes")
    page.fill("#password", "salah-sekali")
    page.click("button[type=submit]")
    assert "salah" in page.locator(".error").inner_text()

    page.fill("#username", "admin.dinkes")
    page.fill("#password", server.logins["admin.dinkes"])
    page.click("button[type=submit]")
    page.wait_for_url("**/password")
    assert "Ganti kata sandi" in page.locator("h1").inner_text()

    page.fill("#old_password", server.logins["admin.dinkes"])
    page.fill("#new_password", "dinkes-peramban-1")
    page.fill("#confirm_password", "dinkes-peramban-1")
    page.click("main button[type=submit]")
    assert "telah diganti" in page.locator(".message").inner_text()

    page.goto(f"{server.base_url}/")
    assert page.locator("h1").inner_text() == "Inovasi daerah"
    assert "Gerakan Posyandu Aktif Balangan" in page.locator("table").inner_text()
    page.screenshot(path=str(tmp_path / "beranda.png"), full_page=True)

    page.click("header button[type=submit]")  # Keluar
    page.wait_for_url("**/login")
    page.goto(f"{server.base_url}/")
    assert page.url.endswith("/login")
