"""Issue 20's journey in a real browser: a unit enters a competition, staff open the judging, a
judge scores one proposal blind and steps aside from another, staff close and read the ranking.

Set-up that is not the journey (judge accounts, the competition from the KIPP template, a second
entry written by staff) goes through the JSON API of the same server.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import sign_in_first_time
from tests.e2e.test_admin_journey_browser import no_sideways

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NEW = "Lomba-Inovasi-2026!"
GEPAB = "Gerakan Posyandu Aktif Balangan (GEPAB)"
DUKUNG = "Dukcapil Jemput Bola ke Desa (DUKUNG DESA)"
KEYS = ["ringkasan", "ide_inovatif", "signifikansi", "kontribusi_tpb", "adaptabilitas",
        "keberlanjutan", "kolaborasi"]  # fmt: skip
WEIGHTS = [5, 20, 25, 5, 20, 20, 5]


def api_login(http: httpx.Client, username: str, printed: str) -> dict[str, str]:
    token = http.post("/api/auth/token", data={"username": username, "password": printed})
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    changed = http.post("/api/auth/password", headers=headers,
                        json={"old_password": printed, "new_password": NEW})  # fmt: skip
    changed.raise_for_status()
    return {"Authorization": f"Bearer {changed.json()['access_token']}"}


def prepare(base: str, printed: dict[str, str]) -> dict:
    """Two judges, a KIPP-style competition, and DUKUNG DESA entered and submitted by staff."""
    with httpx.Client(base_url=base, timeout=30) as http:
        staff = api_login(http, "staf.brida", printed["staf.brida"])
        for username in ("juri.satu", "juri.dua"):
            made = http.post("/api/users", headers=staff, json={
                "username": username, "password": "Juri-Sementara-1", "role": "judge",
                "full_name": username.replace(".", " ").title()})  # fmt: skip
            assert made.status_code in (200, 201), made.text
        competition = http.post("/api/competitions", headers=staff, json={
            "name": "BAILANG 2026", "year": 2026, "template": "kipp",
            "eligible": ["submitted", "verified", "published"]}).json()  # fmt: skip
        cid = competition["id"]
        http.patch(f"/api/competitions/{cid}/stages/1", headers=staff,
                   json={"passing_grade": 60}).raise_for_status()  # fmt: skip
        innovations = http.get("/api/innovations", headers=staff).json()
        dukung = next(i for i in innovations if i["name"] == DUKUNG)
        entry = http.post(f"/api/competitions/{cid}/entries", headers=staff,
                          json={"innovation": dukung["id"]}).json()  # fmt: skip
        text = "Layanan dokumen kependudukan langsung di desa bersama pemerintah desa."
        http.patch(f"/api/entries/{entry['id']}", headers=staff,
                   json={"sections": dict.fromkeys(KEYS, text)}).raise_for_status()  # fmt: skip
        http.post(f"/api/entries/{entry['id']}/submit", headers=staff).raise_for_status()
        juri_dua = api_login(http, "juri.dua", "Juri-Sementara-1")
    return {"cid": cid, "dukung": entry, "staff": staff, "juri_dua": juri_dua}


def sign_in(page, base: str, username: str, password: str = NEW) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_unit_enters_and_a_judge_scores_blind(server, browser, shots, width):
    base = server.base_url
    world = prepare(base, server.logins)
    cid = world["cid"]
    step = iter(range(1, 100))

    def snap(page, name: str) -> None:
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)
        no_sideways(page)

    def context():
        return browser.new_context(viewport={"width": width, "height": 900})

    # 1. The health office's admin enters GEPAB and writes the proposal.
    admin = context().new_page()
    sign_in_first_time(admin, base, "admin.dinkes", server.logins["admin.dinkes"], NEW)
    admin.click("#nav-lomba")
    admin.click(f"#competition-{cid} h3 a")
    admin.select_option("#enter-innovation", label=f"{GEPAB} (Dinas Kesehatan)")
    admin.click("#enter-button")
    admin.wait_for_url("**/lomba/peserta/*")
    entry_id = int(admin.url.rstrip("/").split("/")[-1])
    assert "draf" in admin.locator("#entry-status").inner_text()
    admin.click("#fill-from-profile")
    assert "diisi dari profil" in admin.locator(".message").inner_text()
    assert len(admin.input_value("#sec-ide_inovatif").split()) > 300  # the profile's design
    # Submitting with empty sections is refused with the list, beside the buttons.
    admin.click("#submit-entry")
    refused = admin.locator("#action-error").inner_text()
    assert "Kontribusi terhadap Capaian TPB/SDGs' belum diisi" in refused
    snap(admin, "proposal-belum-lengkap")
    # The live word count follows the typing and warns past the limit.
    admin.fill("#sec-kolaborasi", "kata " * 205)
    assert "205 / 200 kata (lebih 5)" in admin.locator("#sec-kolaborasi-words").inner_text()
    admin.fill("#sec-kontribusi_tpb", "Mendukung TPB 3 (kehidupan sehat dan sejahtera) lewat "
               "pemantauan tumbuh kembang balita di posyandu.")  # fmt: skip
    admin.fill("#sec-adaptabilitas", "Dapat diterapkan di puskesmas lain dengan kader terlatih.")
    admin.fill("#sec-kolaborasi", "Dinas Kesehatan bersama PKK, kader dan pemerintah desa.")
    assert "8 / 200 kata" in admin.locator("#sec-kolaborasi-words").inner_text()
    admin.click("#save-entry")
    assert "disimpan" in admin.locator(".message").inner_text()
    admin.click("#submit-entry")
    assert "diajukan" in admin.locator("#entry-status").inner_text()
    snap(admin, "proposal-diajukan")

    # 2. Staff choose the panel and open the first stage.
    staff = context().new_page()
    sign_in(staff, base, "staf.brida")  # its printed password was replaced through the API
    staff.goto(f"{base}/lomba/{cid}")
    assert GEPAB in staff.locator("#entries").inner_text()
    staff.click("#tahap-1 summary:has-text('Juri tahap ini')")
    staff.check("#panel-form-1 input[value='juri.satu']")
    staff.check("#panel-form-1 input[value='juri.dua']")
    staff.click("#save-panel-1")
    assert "juri.dua, juri.satu" in staff.locator("#tahap-1").inner_text()
    staff.click("#open-stage-1")
    assert staff.locator("#stage-state-1").inner_text() == "sedang dinilai"
    snap(staff, "tahap-dibuka")

    # 3. The judge signs in, finds two proposals and opens GEPAB's: no unit anywhere.
    with httpx.Client(base_url=base, timeout=30) as http:
        entries = http.get(f"/api/competitions/{cid}/entries", headers=world["staff"]).json()
    code = next(e["code"] for e in entries if e["id"] == entry_id)
    other = world["dukung"]["code"]
    judge = context().new_page()
    sign_in_first_time(judge, base, "juri.satu", "Juri-Sementara-1", NEW)
    judge.click("#nav-lomba")
    listing = judge.locator("#my-assignments").inner_text()
    assert code in listing and other in listing and "0 dari 7" in listing
    snap(judge, "penilaian-saya")
    judge.click(f"#my-assignments a:has-text('{code}')")
    page_text = judge.locator("main").inner_text()
    assert "tanpa identitas" in page_text
    assert "Dinas Kesehatan" not in page_text and "DINKES" not in page_text
    assert "[disamarkan] bersama PKK" in page_text  # the unit named itself in a section
    snap(judge, "proposal-tanpa-identitas")
    # A score outside the scale: the error beside the form, every typed value kept.
    values = [85, 80, 75, 90, 70, 80, 60]
    for key, value in zip(KEYS, values, strict=True):
        judge.fill(f"#score-{key}", str(value))
        judge.fill(f"#note-{key}", f"Bagian {key} jelas dan didukung data.")
    judge.fill("#score-ringkasan", "150")
    judge.click("#save-scores")
    assert "0 sampai 100" in judge.locator("#score-error").inner_text()
    assert judge.input_value("#score-ide_inovatif") == "80"
    snap(judge, "nilai-di-luar-skala")
    judge.fill("#score-ringkasan", "85")
    judge.click("#save-scores")
    assert "Semua kriteria sudah dinilai" in judge.locator(".message").inner_text()
    assert judge.input_value("#score-ringkasan") == "85"
    # The other proposal: the judge knows the proposer and steps aside.
    judge.click("#nav-lomba")
    judge.click(f"#my-assignments a:has-text('{other}')")
    judge.click("#conflict summary")
    judge.fill("#conflict-reason", "Saya pernah menjadi konsultan inovasi ini.")
    judge.click("#declare-conflict")
    assert "Konflik kepentingan dicatat" in judge.locator(".message").inner_text()
    assert other not in judge.locator("#my-assignments").inner_text()
    assert "7 dari 7" in judge.locator("#my-assignments").inner_text()
    snap(judge, "setelah-konflik")

    # The second judge scores both through the API.
    with httpx.Client(base_url=base, timeout=30) as http:
        for a in http.get("/api/judging", headers=world["juri_dua"]).json():
            value = 70 if a["code"] == code else 65
            scores = [{"criterion": k, "value": value, "justification": "Cukup baik dan terukur."}
                      for k in KEYS]  # fmt: skip
            http.put(f"/api/judging/{a['assignment_id']}/scores", headers=world["juri_dua"],
                     json={"scores": scores}).raise_for_status()  # fmt: skip

    # 4. Staff close the stage and read the ranking: it matches the hand calculation.
    staff.goto(f"{base}/lomba/{cid}")
    staff.click("#close-stage-1")
    assert staff.locator("#stage-state-1").inner_text() == "ditutup"
    staff.goto(f"{base}/lomba/{cid}/hasil?tahap=1")
    first = sum(w * v for w, v in zip(WEIGHTS, [85, 80, 75, 90, 70, 80, 60], strict=True)) / 100
    mean = round((first + 70) / 2, 2)  # (76.5 + 70) / 2 = 73.25
    row = staff.locator(f"#result-{code}").inner_text()
    assert row.startswith("Peringkat 1") and str(mean) in row and "lolos" in row
    assert str(first) in row and "70.0" in row
    other_row = staff.locator(f"#result-{other}").inner_text()
    assert other_row.startswith("Peringkat 2") and "65.0" in other_row
    snap(staff, "hasil-tahap-1")
