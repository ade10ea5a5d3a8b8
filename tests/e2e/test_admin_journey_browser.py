"""Issue 13's journey in a real browser, on a laptop and on a phone.

A unit admin whom staff have just created sets a password through the one-time link, creates
an innovation, fills the profile, uploads the five mandatory documents (one by drag and drop,
two at once, a link for the video), watches the cards update without reloading, removes a
wrong file, chooses the measurement basis of kemanfaatan, comments and submits. No page may
scroll sideways.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.documents import pdf_bytes
from tests.e2e.conftest import sign_in_first_time

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TEXT = (
    "Sekolah Ramah Literasi menggerakkan guru, pustakawan dan orang tua agar setiap murid "
    "membaca lima belas menit sebelum pelajaran dimulai, mencatat bacaannya dan bercerita "
    "kembali di depan kelas setiap pekan."
)
WORDS = TEXT.split()


def words(n: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n))


def no_sideways(page) -> None:
    """The page fits the window: nothing scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("window.innerWidth")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"


def read_status(page, code: str, filename: str) -> str:
    row = page.locator(f"#state-{code} .files li", has_text=filename)
    return row.locator(".read-status").inner_text()


def wait_until_read(page, code: str, filename: str) -> None:
    """The card updates by itself (htmx polling) until the file has been read."""
    page.wait_for_function(
        """([code, name]) => [...document.querySelectorAll(`#state-${code} .files li`)]
              .some(li => li.textContent.includes(name) &&
                    li.querySelector('.read-status').textContent.trim() !== 'Sedang dibaca')""",
        arg=[code, filename],
        timeout=90_000,
    )


def documents(tmp_path) -> dict[str, object]:
    made = {}
    texts = {
        "SK Bupati SERALI.pdf": [
            "KEPUTUSAN BUPATI BALANGAN",
            "NOMOR 188.45/77/2024",
            "TENTANG PENETAPAN INOVASI SEKOLAH RAMAH LITERASI (SERALI)",
            "Ditetapkan di Paringin pada tanggal 5 Maret 2024",
        ],
        "SK Tim SERALI.pdf": ["SURAT TUGAS", "Tim pelaksana Sekolah Ramah Literasi (SERALI)"],
        "Daftar anggota tim.pdf": ["DAFTAR ANGGOTA TIM SERALI", "1. Guru  2. Pustakawan"],
        "Laporan kecepatan.pdf": ["LAPORAN", "SERALI dibuat dalam 4 bulan sejak gagasan"],
        "Salah unggah.pdf": ["DOKUMEN LAIN", "Bukan untuk indikator ini"],
        "Daftar penerima manfaat.pdf": ["DAFTAR PENERIMA MANFAAT SERALI", "Jumlah: 320 orang"],
    }
    for name, lines in texts.items():
        path = tmp_path / name
        path.write_bytes(pdf_bytes(lines))
        made[name] = path
    return made


def drop_file(page, selector: str, path) -> None:
    """Drag a file from the desktop onto a drop zone (a real DataTransfer with the bytes)."""
    data = base64.b64encode(path.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: 'application/pdf'}));
            return dt;
        }""",
        [path.name, data],
    )
    page.dispatch_event(selector, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


@pytest.mark.parametrize("width", [1366, 390])
def test_a_new_unit_admin_completes_and_submits_an_innovation(
    server, browser, tmp_path, shots, width
):
    base = server.base_url
    files = documents(tmp_path)
    step = iter(range(1, 100))

    def snap(page, name: str) -> None:
        no_sideways(page)
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)

    # Staff create the account; the new admin gets a one-time link.
    staff = browser.new_page(viewport={"width": width, "height": 900})
    sign_in_first_time(staff, base, "staf.brida", server.logins["staf.brida"], "staf-jalan-1")
    staff.goto(f"{base}/pengguna")
    staff.fill("#new-username", "admin.disdik")
    staff.fill("#new-full-name", "Admin Inovasi Dinas Pendidikan")
    staff.select_option("#new-role", "admin")
    staff.select_option("#new-unit", label="Dinas Pendidikan")
    staff.click("#create-user")
    link = staff.locator("#reset-link code").inner_text()

    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    problems: list[str] = []
    # Script errors (refused forms answer 4xx on purpose; those are not script errors).
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    page.goto(link)
    page.fill("#new_password", "disdik-jalan-1")
    page.fill("#confirm_password", "disdik-jalan-1")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text() == "Inovasi unit saya"
    assert "belum mendaftarkan inovasi" in page.locator("#no-innovations").inner_text()
    assert "hari lagi" in page.locator("#deadline").inner_text()
    snap(page, "beranda-kosong")

    # Create a draft with a name and a stage.
    page.click("#new-innovation")
    page.wait_for_url("**/inovasi/baru")
    snap(page, "daftar-baru")
    page.click("#save-profile")  # without a name: refused beside the field, nothing saved
    assert "Wajib diisi" in page.locator("#f-name").inner_text()
    page.fill("#name", "Sekolah Ramah Literasi (SERALI)")
    page.select_option("#stage", "penerapan")
    page.click("#save-profile")
    page.wait_for_url(re.compile(r".*/inovasi/\d+$"))
    innovation_url = page.url
    assert page.locator("#status").inner_text() == "Draf"
    assert page.locator("#checklist article.indicator").count() == 20
    snap(page, "inovasi-draf")

    # Fill the profile; the design's word count updates while typing.
    page.click("#edit-profile")
    page.wait_for_url("**/profil")
    assert "1 Januari 2024" in page.locator("#eligibility").inner_text()
    page.fill("#design", words(250))
    counter = page.locator("#design-words")
    assert counter.inner_text().startswith("250 kata") and "short" in counter.get_attribute("class")
    page.fill("#design", words(320))
    assert counter.inner_text().startswith("320 kata")
    assert "short" not in counter.get_attribute("class")
    page.fill("#made_by", "Dinas Pendidikan, Bidang Pembinaan Sekolah Dasar")
    page.fill("#initiator", "OPD")
    page.fill("#initiator_name", "Bidang Pembinaan Sekolah Dasar")
    page.select_option("#type", "non digital")
    page.fill("#form", "Inovasi Pelayanan Publik")
    page.fill("#affairs", "Pendidikan")
    page.fill("#trial_date", "2024-02-01")
    page.fill("#implementation_date", "2024-03-01")
    page.fill("#budget", "150.000.000")
    page.fill("#goals", "Menumbuhkan kebiasaan membaca murid sekolah dasar.")
    page.fill("#benefits", "Murid lebih lancar membaca dan bercerita.")
    page.fill("#results", "Minat baca naik di 24 sekolah dasar.")
    snap(page, "profil")
    page.click("#save-profile")
    page.wait_for_url(re.compile(r".*/inovasi/\d+#profil$"))
    assert "Profil inovasi disimpan" in page.locator(".message").inner_text()
    assert "Rp 150.000.000" in page.locator("#profil").inner_text()
    assert page.locator("#profile-findings").count() == 0 or "belum diisi" not in (
        page.locator("#profile-findings").inner_text()
    )

    # From here on the page must not reload: the cards update by themselves.
    page.evaluate("window.__sameDocument = true")

    # Regulasi: dragged onto the card.
    drop_file(page, "#ind-regulasi .dropzone", files["SK Bupati SERALI.pdf"])
    page.wait_for_selector("#state-regulasi .files li:has-text('SK Bupati SERALI.pdf')")
    # SDM: two files chosen at once.
    page.set_input_files("#file-sdm", [files["SK Tim SERALI.pdf"], files["Daftar anggota tim.pdf"]])
    page.click("#upload-sdm")
    page.wait_for_selector("#state-sdm .files li:has-text('Daftar anggota tim.pdf')")
    assert page.locator("#state-sdm .files li").count() == 2
    # Kecepatan: a wrong file first, then the right one.
    page.set_input_files("#file-kecepatan", files["Salah unggah.pdf"])
    page.click("#upload-kecepatan")
    page.wait_for_selector("#state-kecepatan .files li:has-text('Salah unggah.pdf')")
    page.set_input_files("#file-kecepatan", files["Laporan kecepatan.pdf"])
    page.click("#upload-kecepatan")
    page.wait_for_selector("#state-kecepatan .files li:has-text('Laporan kecepatan.pdf')")
    # Kemanfaatan: the list of beneficiaries.
    page.set_input_files("#file-kemanfaatan", files["Daftar penerima manfaat.pdf"])
    page.click("#upload-kemanfaatan")
    page.wait_for_selector("#state-kemanfaatan .files li:has-text('Daftar penerima manfaat.pdf')")
    # Video: a link, not a file. An empty form is refused beside it first.
    page.click("#upload-video")
    assert "Pilih berkas atau isi tautan" in page.locator("#upload-error-video").inner_text()
    page.fill("#url-video", "https://youtu.be/serali-2024")
    page.click("#upload-video")
    page.wait_for_selector("#state-video .files li:has-text('youtu.be/serali-2024')")

    for code, name in [
        ("regulasi", "SK Bupati SERALI.pdf"),
        ("sdm", "Daftar anggota tim.pdf"),
        ("kemanfaatan", "Daftar penerima manfaat.pdf"),
    ]:
        wait_until_read(page, code, name)
        assert read_status(page, code, name) == "Sudah dibaca"
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    page.wait_for_selector("#state-regulasi .files li:has-text('Keputusan Kepala Daerah')")
    snap(page, "bukti-terunggah")

    # Remove the wrong file: it leaves the card (the archive keeps it as history).
    page.locator("#state-kecepatan .files li", has_text="Salah unggah.pdf").locator(
        "button.remove-file"
    ).click()
    page.wait_for_url(re.compile(r".*#ind-kecepatan$"))
    assert "dihapus" in page.locator(".message").inner_text()
    assert "Salah unggah.pdf" not in page.locator("#state-kecepatan").inner_text()
    assert "Laporan kecepatan.pdf" in page.locator("#state-kecepatan").inner_text()

    # Kemanfaatan: claim level 1 on basis a (number of beneficiaries).
    page.select_option("#claim-kemanfaatan", "1")
    page.select_option("#basis-kemanfaatan", "a")
    page.locator("#ind-kemanfaatan form.claim button[type=submit]").click()
    page.wait_for_url(re.compile(r".*#ind-kemanfaatan$"))
    assert page.locator("#basis-kemanfaatan").input_value() == "a"
    assert page.locator("#claim-kemanfaatan").input_value() == "1"

    # One evidence's own page: what was read, and a preview of the page.
    page.locator("#state-regulasi .files li a", has_text="SK Bupati SERALI.pdf").click()
    page.wait_for_url("**/bukti/*")
    assert "Keputusan Kepala Daerah" in page.locator("#fakta").inner_text()
    page.wait_for_function(
        "() => document.querySelector('#page-1')?.naturalWidth > 0",
        timeout=60_000,
    )
    assert "TENTANG PENETAPAN INOVASI" in page.locator("#teks").inner_text()
    snap(page, "bukti")
    page.goto(innovation_url)

    # A comment for the verifier.
    page.fill("#comment-body", "SK penetapan sudah kami unggah; mohon diperiksa.")
    page.click("#send-comment")
    page.wait_for_url(re.compile(r".*#diskusi$"))
    assert "mohon diperiksa" in page.locator("#diskusi").inner_text()

    # Submit.
    snap(page, "siap-diajukan")
    page.click("#submit-innovation")
    page.wait_for_url(re.compile(r".*/inovasi/\d+$"))
    assert page.locator("#status").inner_text() == "Diajukan", page.locator("main").inner_text()
    assert "menunggu verifikasi" in page.locator(".message").inner_text()
    assert page.locator("form.upload").count() == 0  # locked until the verifier decides
    snap(page, "diajukan")

    page.goto(f"{base}/")
    assert "Diajukan" in page.locator("#my-innovations").inner_text()
    snap(page, "beranda-diajukan")
    assert not problems, problems
