"""A verifier's whole job in a real browser, on a laptop and on a phone.

From the queue to the desk, a document opened from a review row, "verified" refused while a
mandatory indicator is unreviewed, all five reviewed, the innovation sent back with a note the
admin then reads on the page, resubmitted, and verified.
"""

import re

import pytest

from tests.documents import pdf_bytes
from tests.e2e.conftest import sign_in_first_time
from tests.e2e.test_admin_journey_browser import no_sideways

pytestmark = [pytest.mark.slow, pytest.mark.browser]

GEPAB = "Gerakan Posyandu Aktif Balangan (GEPAB)"
MANDATORY = ["regulasi", "sdm", "kecepatan", "kemanfaatan", "video"]


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.click("header button[type=submit]")
    page.wait_for_url("**/login")


def open_desk(page, code: str) -> None:
    """Move to an indicator through the desk's own navigation: swapped in place, no reload."""
    page.evaluate("() => { window.__sameDocument = true; }")
    page.click(f".desk-nav a[data-code={code}]")
    page.wait_for_function(
        "(code) => location.pathname.endsWith('/' + code) && "
        "document.querySelector(`.desk-nav a[data-code=${code}]`)"
        ".getAttribute('aria-current') === 'page'",
        arg=code,
    )
    settled(page)
    assert page.evaluate("() => window.__sameDocument === true"), "the desk reloaded the page"


def settled(page) -> None:
    """htmx has swapped and processed the new desk (its forms are wired up)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def review(page, code: str, level: str, verdict: str, note: str) -> None:
    open_desk(page, code)
    form = page.locator("#review-form")
    assert form.locator("input[name=verdict]:checked").count() == 0  # nothing pre-chosen
    assert form.locator("#review-level").input_value() == ""
    form.locator("#review-level").select_option(level)
    form.locator(f"input[name=verdict][value={verdict}]").check()
    form.locator("#review-note").fill(note)
    form.locator("#save-review").click()
    label = "sesuai" if verdict == "sesuai" else "tidak sesuai"
    page.wait_for_function(
        "([code, label]) => document.querySelector("
        "`.desk-nav a[data-code=${code}] .badge:not(.must)`).textContent.trim() === label",
        arg=[code, label],
    )
    settled(page)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_verifier_works_through_the_queue_and_decides_safely(
    server, browser, shots, tmp_path, width
):
    base = server.base_url
    step = iter(range(1, 100))

    def snap(page, name: str) -> None:
        no_sideways(page)
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)

    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in_first_time(page, base, "verifikator", server.logins["verifikator"], "verif-jalan-1")

    # The queue: GEPAB waits, nothing reviewed yet.
    page.goto(f"{base}/")
    page.click("header nav >> text=Verifikasi")
    page.wait_for_url("**/verifikasi")
    row = page.locator(".queue-row", has_text=GEPAB)
    assert "Dinas Kesehatan" in row.inner_text()
    assert re.search(r"menunggu \d+ hari", row.inner_text())
    assert "5 indikator wajib belum diperiksa" in row.inner_text()
    snap(page, "antrean")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/verifikasi/\d+/regulasi$"))
    snap(page, "meja-regulasi")

    # A document opens from the review row.
    opened = page.locator(".desk-file .open-file").first
    filename = opened.inner_text()
    opened.click()
    page.wait_for_url("**/bukti/*")
    assert filename in page.locator("h1").inner_text()
    snap(page, "berkas")
    page.go_back()
    page.wait_for_url(re.compile(r".*/verifikasi/\d+/regulasi$"))

    # "Verified" with an unreviewed mandatory indicator is refused, beside the form.
    assert "belum diperiksa" in page.locator("#blockers").inner_text()
    page.check("#decision-form input[value=verified]")
    page.fill("#decision-note", "Semua lengkap")
    page.check("#decision-confirm")
    page.click("#decide-button")
    page.wait_for_selector("#decision-error")
    assert "belum diperiksa" in page.locator("#decision-error").inner_text()
    assert page.locator("#decision-note").input_value() == "Semua lengkap"
    snap(page, "terverifikasi-ditolak")

    # All five reviewed, one judged "tidak sesuai".
    review(page, "regulasi", "1", "tidak_sesuai", "SK belum ditandatangani kepala dinas")
    for code in MANDATORY[1:]:
        review(page, code, "2", "sesuai", f"Bukti {code} sesuai")
    assert "tidak sesuai" in page.locator("#blockers").inner_text()
    snap(page, "semua-diperiksa")

    # Sent back with a note.
    page.check("#decision-form input[value=revision]")
    page.fill("#decision-note", "Perbaiki SK penetapan, lalu ajukan lagi")
    page.check("#decision-confirm")
    page.click("#decide-button")
    page.wait_for_url("**/inovasi/*#status")
    assert page.locator("#status").inner_text() == "Perbaikan"
    innovation_url = page.url.split("#")[0]
    sign_out(page)

    # The admin reads the note on the page and submits again.
    sign_in_first_time(page, base, "admin.dinkes", server.logins["admin.dinkes"], "dinkes-jalan-9")
    page.goto(innovation_url)
    history = page.locator("#history").inner_text()
    assert "Perbaiki SK penetapan" in history and "Dikembalikan untuk perbaikan" in history
    assert "SK belum ditandatangani" in page.locator("#reviews").inner_text()
    snap(page, "admin-membaca-catatan")
    # The decree judged wrong is replaced by the signed one before submitting again.
    signed = tmp_path / "SK Bupati GEPAB ditandatangani.pdf"
    signed.write_bytes(pdf_bytes([
        "KEPUTUSAN BUPATI BALANGAN", "NOMOR 188.45/120/2025",
        "TENTANG PENETAPAN INOVASI GERAKAN POSYANDU AKTIF BALANGAN (GEPAB)",
        "Ditetapkan di Paringin pada tanggal 3 Februari 2025",
    ]))  # fmt: skip
    page.set_input_files("#file-regulasi", str(signed))
    page.click("#upload-regulasi")
    page.wait_for_selector(f"#state-regulasi .files li:has-text('{signed.name}')", timeout=60_000)
    page.reload()
    page.click("#submit-innovation")
    page.wait_for_selector("#status")
    refused = page.locator("#submit-refused")
    assert refused.count() == 0, refused.inner_text()
    assert page.locator("#status").inner_text() == "Diajukan"
    sign_out(page)

    # The verifier looks again at the one that was wrong, and verifies.
    sign_in(page, base, "verifikator", "verif-jalan-1")
    page.goto(f"{base}/verifikasi")
    page.locator(".queue-row", has_text=GEPAB).locator("a").first.click()
    page.wait_for_url(re.compile(r".*/verifikasi/\d+/\w+$"))
    review(page, "regulasi", "2", "sesuai", "SK sudah ditandatangani")
    assert page.locator("#blockers-none").count() == 1
    page.check("#decision-form input[value=verified]")
    page.fill("#decision-note", "Kelima indikator wajib terbukti")
    page.check("#decision-confirm")
    page.click("#decide-button")
    page.wait_for_url("**/inovasi/*#status")
    assert page.locator("#status").inner_text() == "Terverifikasi"
    assert "Kelima indikator wajib terbukti" in page.locator("#history").inner_text()
    snap(page, "terverifikasi")
    assert not errors, errors
