"""The sign-in pages in a real browser: Debian's Chromium driven by Playwright."""

import pytest

from tests.e2e.conftest import sign_in_first_time

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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
    assert page.locator("h1").inner_text() == "Inovasi unit saya"
    assert "Gerakan Posyandu Aktif Balangan" in page.locator("#my-innovations").inner_text()
    page.screenshot(path=str(tmp_path / "beranda.png"), full_page=True)

    page.click("header button[type=submit]")  # Keluar
    page.wait_for_url("**/login")
    page.goto(f"{server.base_url}/")
    assert page.url.endswith("/login")


def test_an_admin_uploads_evidence_finds_it_and_a_verifier_reads_the_report(
    server, browser, tmp_path
):
    import time

    from archive.pdfgen import pdf_bytes

    document = tmp_path / "Laporan lokakarya.pdf"
    document.write_bytes(
        pdf_bytes(["LAPORAN LOKAKARYA JEJARING INOVASI", "Kecamatan Halong, Balangan"])
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_first_time(
        page, server.base_url, "admin.bappedalitbang",
        server.logins["admin.bappedalitbang"], "bappeda-peramban-1",
    )  # fmt: skip

    page.goto(f"{server.base_url}/")
    page.click("text=SEPEDA BARU)")
    page.wait_for_url("**/inovasi/*")
    assert "Sistem Penjaringan Inovasi Daerah" in page.locator("h1").inner_text()
    assert page.locator("#checklist article.indicator").count() == 20
    page.screenshot(path=str(tmp_path / "inovasi.png"), full_page=True)

    page.set_input_files("#file-jejaring", str(document))
    page.click("#upload-jejaring")
    row = page.locator("#state-jejaring .files li", has_text="Laporan lokakarya.pdf")
    row.wait_for()
    assert row.locator(".read-status").inner_text() in {"Sedang dibaca", "Sudah dibaca"}
    page.screenshot(path=str(tmp_path / "inovasi-diunggah.png"), full_page=True)

    deadline = time.monotonic() + 60
    while True:  # the worker reads and indexes the file in the background
        page.goto(f"{server.base_url}/cari?q=lokakarya")
        if page.locator("#hits li", has_text="Laporan lokakarya.pdf").count():
            break
        assert time.monotonic() < deadline, "the uploaded document was never found"
        time.sleep(1)
    assert "lokakarya" in page.locator("#hits mark").first.inner_text().lower()
    page.screenshot(path=str(tmp_path / "cari.png"), full_page=True)
    page.click("header button[type=submit]")  # Keluar
    page.wait_for_url("**/login")

    sign_in_first_time(
        page, server.base_url, "verifikator", server.logins["verifikator"], "verif-peramban-1"
    )
    page.goto(f"{server.base_url}/")
    page.click("header nav >> text=Laporan")
    page.wait_for_url("**/laporan")
    assert "Laporan tahun 2026" in page.locator("h1").inner_text()
    assert page.locator("#index tbody tr").count() == 3
    # The admin's unit now shows in the units table; the fixes name its innovation.
    assert "Badan Perencanaan" in page.locator("#units").inner_text()
    assert "SEPEDA BARU" in page.locator("#fixes").inner_text()
    page.screenshot(path=str(tmp_path / "laporan.png"), full_page=True)


def test_staff_add_an_admin_who_sets_a_password_through_the_link(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in_first_time(
        page, server.base_url, "staf.brida", server.logins["staf.brida"], "staf-peramban-1"
    )
    page.goto(f"{server.base_url}/")
    page.click("header nav >> text=Pengguna")
    page.wait_for_url("**/pengguna")
    assert page.locator("#user-admin\\.dinkes").count() == 1
    page.fill("#new-username", "admin.disdik")
    page.fill("#new-full-name", "Admin Dinas Pendidikan")
    page.select_option("#new-role", "admin")
    page.select_option("#new-unit", label="Dinas Pendidikan")
    page.click("#create-user")
    link = page.locator("#reset-link code").inner_text()
    assert "/reset/" in link
    assert "belum menetapkan kata sandi" in page.locator("#user-admin\\.disdik").inner_text()
    page.screenshot(path=str(tmp_path / "pengguna.png"), full_page=True)

    owner = browser.new_context().new_page()  # the new admin's own browser
    owner.goto(link)
    owner.fill("#new_password", "disdik-peramban-1")
    owner.fill("#confirm_password", "disdik-peramban-1")
    owner.click("main button[type=submit]")
    owner.wait_for_url(f"{server.base_url}/")
    assert owner.locator("h1").inner_text() == "Inovasi unit saya"
    assert "Admin Dinas Pendidikan" in owner.locator("header").inner_text()
    owner.goto(link)  # spent
    owner.fill("#new_password", "disdik-peramban-2")
    owner.fill("#confirm_password", "disdik-peramban-2")
    owner.click("main button[type=submit]")
    assert "tidak berlaku" in owner.locator(".error").inner_text()
