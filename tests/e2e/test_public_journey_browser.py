"""Issue 18's journey in a real browser: the public catalogue and a proposal from a village.

An anonymous visitor finds the published innovation, opens it, downloads its public decree and
reads the Atom feed; a village proposes an innovation and keeps its private link; staff decline
one proposal with a reason (read at the link) and turn another into a draft of a unit.
"""

from __future__ import annotations

import asyncio
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.e2e.conftest import sign_in_first_time
from tests.e2e.server import start_server
from tests.e2e.test_admin_journey_browser import no_sideways

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = "Dukcapil Jemput Bola ke Desa (DUKUNG DESA)"
UNPUBLISHED = "Gerakan Posyandu Aktif Balangan"


@pytest.fixture
def public_server(tmp_path):
    if PG_URL:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, reset_postgres(PG_URL)).result()
    # The time trap is tested over HTTP; a browser filling the form in a second is no bot.
    running = start_server(
        tmp_path / "data", "--demo", database_url=PG_URL,
        environment={"SEPEDA_PROPOSAL_MIN_SECONDS": "0"},
    )  # fmt: skip
    yield running
    running.stop()


def propose(page, base: str, name: str) -> str:
    """Fill the public form as a village; returns the private link it lands on."""
    page.goto(f"{base}/usulan")
    page.check("input[name=kind][value=desa]")
    page.fill("#name", name)
    page.fill("#problem", "Warga menunggu berhari-hari untuk surat keterangan dari desa.")
    page.fill("#description", "Surat keterangan desa diajukan lewat WhatsApp dan diambil "
              "keesokan harinya di kantor desa, ditandatangani kepala desa.")  # fmt: skip
    page.fill("#origin", "Desa Batu Piring, Paringin Selatan")
    page.fill("#contact_name", "Rahmat")
    page.fill("#contact_phone", "0812 3456 7890")
    page.click("#proposal-form button[type=submit]")
    page.wait_for_url("**/usulan/*")
    return page.url


@pytest.mark.parametrize("width", [1366, 390])
def test_the_public_finds_an_innovation_and_a_village_proposes_one(
    public_server, browser, shots, width
):
    base = public_server.base_url
    step = iter(range(1, 100))

    def snap(page, name: str) -> None:
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)
        no_sideways(page)

    visitor = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = visitor.new_page()
    page.goto(f"{base}/katalog")
    assert PUBLISHED in page.locator("#results").inner_text()
    assert UNPUBLISHED not in page.content()
    snap(page, "katalog")

    # Full-text search over the catalogue (the index catches up with the demo in seconds).
    deadline = time.monotonic() + 60
    while True:
        page.fill("#q", "jemput bola")
        page.click("#catalogue-filters button[type=submit]")
        page.wait_for_load_state()
        if page.locator("#results").count() or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert PUBLISHED in page.locator("#results").inner_text()
    page.select_option("#type", "non digital")
    page.click("#catalogue-filters button[type=submit]")
    assert page.locator("#empty").is_visible()
    snap(page, "katalog-kosong")
    page.goto(f"{base}/katalog")
    page.click(f"#results >> text={PUBLISHED}")
    page.wait_for_url("**/katalog/*")
    assert page.title().startswith("Dukcapil Jemput Bola")
    og = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og and og.startswith("Dukcapil Jemput Bola")
    assert page.locator("#maturity").is_visible()
    snap(page, "inovasi")
    with page.expect_download() as download:
        page.click("#documents a")
    saved = download.value.path()
    with open(saved, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    feed = page.request.get(f"{base}/katalog/feed.atom")
    root = ET.fromstring(feed.body())
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == [PUBLISHED]
    page.goto(f"{base}/katalog/angka")
    assert page.locator("#total").inner_text() == "1"
    snap(page, "angka")

    # A village proposes; a mistake is answered beside the field, the typing kept.
    page.goto(f"{base}/usulan")
    page.check("input[name=kind][value=desa]")
    page.fill("#name", "Surat Desa Lewat WhatsApp")
    page.fill("#problem", "Warga menunggu berhari-hari.")
    page.fill("#description", "Terlalu pendek.")
    page.fill("#contact_name", "Rahmat")
    page.fill("#contact_phone", "0812 3456 7890")
    page.click("#proposal-form button[type=submit]")
    assert "paling sedikit 30" in page.locator("#description-error").inner_text()
    assert page.locator("#name").input_value() == "Surat Desa Lewat WhatsApp"
    snap(page, "usulan-salah")
    declined_link = propose(page, base, "Surat Desa Lewat WhatsApp")
    assert "Menunggu" in page.locator("#status").inner_text()
    snap(page, "usulan-terkirim")
    accepted_link = propose(page, base, "Lumbung Pangan Desa")

    # Staff decline the first with a reason and turn the second into a draft of DINKES.
    office = browser.new_context(viewport={"width": width, "height": 900})
    staff = office.new_page()
    sign_in_first_time(
        staff, base, "staf.brida", public_server.logins["staf.brida"], "staf-jalan-9"
    )
    staff.goto(f"{base}/")
    staff.click("header nav >> text=Usulan")
    staff.wait_for_url("**/usulan/masuk")
    snap(staff, "usulan-masuk")
    staff.click("#proposals >> text=Surat Desa Lewat WhatsApp")
    assert "0812 3456 7890" in staff.locator("#contact").inner_text()
    staff.fill("#reason", "tidak")
    staff.click("#decline-form button[type=submit]")
    assert "paling sedikit 10" in staff.locator("#decline-error").inner_text()
    reason = "Layanan serupa sudah berjalan lewat aplikasi desa dari Dinas PMD."
    staff.fill("#reason", reason)
    staff.click("#decline-form button[type=submit]")
    staff.wait_for_url("**/usulan/masuk")
    staff.click("#proposals >> text=Lumbung Pangan Desa")
    staff.select_option("#unit", "DINKES")
    snap(staff, "usulan-tinjau")
    staff.click("#accept-form button[type=submit]")
    staff.wait_for_url("**/inovasi/*")
    assert staff.locator("h1").inner_text() == "Lumbung Pangan Desa"
    snap(staff, "draf-dari-usulan")

    page.goto(declined_link)
    assert reason in page.locator("#reason").inner_text()
    snap(page, "usulan-ditolak")
    page.goto(accepted_link)
    assert page.locator("#accepted").is_visible()
    visitor.close()
    office.close()
