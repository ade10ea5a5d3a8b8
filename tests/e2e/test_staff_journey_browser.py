"""The innovation office's job in a real browser: periods, reopening, SPD evidence, reports."""

import io
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import need
from tests.documents import pdf_bytes
from tests.e2e.conftest import sign_in_first_time
from tests.e2e.test_admin_journey_browser import no_sideways

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_run_the_year_from_the_pages(server, browser, shots, tmp_path, width):
    need(bool(shutil.which("pdftotext") and shutil.which("pdftoppm")), "poppler-utils missing")
    base = server.base_url
    step = iter(range(1, 100))

    def snap(page, name: str) -> None:
        no_sideways(page)
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)

    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in_first_time(page, base, "staf.brida", server.logins["staf.brida"], "staf-jalan-9")

    # Open next year's period; a wrong date order is refused beside the form.
    page.goto(f"{base}/")
    page.click("header nav >> text=Periode")
    page.wait_for_url("**/periode")
    page.fill("#new-year", "2027")
    page.fill("#new-opens", "2027-01-10")
    page.fill("#new-closes", "2027-01-05")
    page.fill("#new-review", "2027-09-30")
    page.click("#open-year-button")
    assert "tidak boleh sebelum" in page.locator("#open-error").inner_text()
    assert page.locator("#new-year").input_value() == "2027"
    page.fill("#new-closes", "2027-08-31")
    page.click("#open-year-button")
    page.wait_for_url("**/periode")
    assert "2027" in page.locator("#period-2027").inner_text()
    snap(page, "periode")

    # Reopen the submitted GEPAB of 2026 with a reason (2027 is now the newest year, so
    # from the innovation page's own form).
    page.goto(f"{base}/verifikasi?year=2026")
    page.locator(".queue-row", has_text="GEPAB").locator("a").first.click()
    page.wait_for_url("**/verifikasi/*/*")
    page.click("text=profil lengkap")
    page.wait_for_url("**/inovasi/*")
    page.click("text=Buka kembali sebagai draf")
    page.click("#reopen-button")  # no reason yet: the browser asks for one
    assert page.locator("#reopen-note").evaluate("e => !e.checkValidity()")
    page.fill("#reopen-note", "Data kunjungan posyandu perlu diperbarui")
    page.click("#reopen-button")
    page.wait_for_url("**/inovasi/*#status")
    assert page.locator("#status").inner_text() == "Draf"
    assert "Data kunjungan posyandu" in page.locator("#history").inner_text()
    snap(page, "dibuka-kembali")

    # The region's own (SPD) indicator, with its evidence.
    page.goto(f"{base}/daerah/2026")
    card = page.locator("#spd-spd_visi_misi")
    card.locator("select[name=level]").select_option("2")
    card.locator("button", has_text="Simpan klaim").click()
    page.wait_for_url("**/daerah/2026*")
    decree = tmp_path / "RPJMD Balangan 2021-2026.pdf"
    decree.write_bytes(pdf_bytes(["PERATURAN DAERAH KABUPATEN BALANGAN", "RPJMD 2021-2026"]))
    card = page.locator("#spd-spd_visi_misi")
    card.locator("input[type=file]").set_input_files(str(decree))
    card.locator("button", has_text="Unggah").click()
    page.wait_for_url("**/daerah/2026*")
    card = page.locator("#spd-spd_visi_misi")
    assert decree.name in card.inner_text() and "tingkat 2" in card.inner_text()
    snap(page, "spd")

    # The dashboard on the home page: the newest year (2027, still empty) and the trend,
    # with the office's own counts for the years before SEPEDA BARU.
    page.click("header nav >> text=Beranda")
    page.wait_for_url(f"{base}/")
    assert "Dasbor inovasi daerah 2027" in page.locator("h1").inner_text()
    trend = [row.inner_text().split("\t")[:2] for row in page.locator("#trend tbody tr").all()]
    assert trend[:3] == [["2020", "18"], ["2021", "32"], ["2022", "112"]]
    assert ["2026", "3"] in trend
    assert page.locator("#chart-count rect.bar").count() == len(trend)
    assert "2022 112" in page.locator("#chart-count-title").text_content()
    snap(page, "dasbor")

    # The report of the year: the index explained, units, fixes, and its downloads.
    page.goto(f"{base}/laporan?year=2026")
    assert page.locator("#index tbody tr").count() == 3
    page.click("#index-explained summary")
    assert "kursi kosong" in page.locator("#index-explained").inner_text()
    dinkes = page.locator("#unit-DINKES").inner_text()
    assert "Dinas Kesehatan" in dinkes
    assert "Belum mengirim inovasi" in page.locator("#units-silent").inner_text()
    assert page.locator("#fixes li").count() == 5
    snap(page, "laporan")
    with page.expect_download() as package:
        page.click("#national-package")
    with zipfile.ZipFile(package.value.path()) as archive:
        assert "manifest.json" in archive.namelist()
    with page.expect_download() as xlsx:
        page.click("text=Kelengkapan (XLSX)")
    book = load_workbook(io.BytesIO(xlsx.value.path().read_bytes()), read_only=True)
    units = list(book["Rekap per unit"].iter_rows(values_only=True))
    assert units[0][:4] == ("No", "Kode unit", "Nama unit", "Jumlah inovasi")
    assert len(units) - 1 == 35
    with page.expect_download() as pdf:
        page.click("text=Ringkasan untuk pimpinan (PDF)")
    pdf_path = tmp_path / "ringkasan.pdf"
    shutil.copy(pdf.value.path(), pdf_path)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf_path), str(tmp_path / "hal")], check=True
    )
    assert list(tmp_path.glob("hal-*.png"))
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, check=True)
    flat = " ".join(text.stdout.decode().split())
    for row in units[1:]:
        assert f"{row[2]} ({row[1]})" in flat, row[2]

    # The unit whose innovation was reopened reads the reason in its notifications.
    page.click("header button[type=submit]")
    page.wait_for_url("**/login")
    printed = server.logins["admin.dinkes"]
    sign_in_first_time(page, base, "admin.dinkes", printed, "dinkes-jalan-9")
    page.goto(f"{base}/notifikasi")
    assert "Data kunjungan posyandu perlu diperbarui" in page.locator("#notifications").inner_text()
    snap(page, "notifikasi-unit")
    context.close()
