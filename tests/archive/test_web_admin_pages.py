"""The unit admin's pages over HTTP: home, create, import, profile, claims, uploads, evidence.

Every refusal answers with the page again, the error beside the form and the typed values
kept; nothing already stored changes.
"""

from __future__ import annotations

import re

import pytest

from archive.models import (
    AuditEvent,
    Comment,
    Evidence,
    IndicatorClaim,
    Innovation,
    Role,
    User,
)
from tests.archive.helpers import build_world, open_period
from tests.archive.test_web_pages import DECREE, csrf_of, sign_in
from tests.documents import pdf_bytes

DESIGN = " ".join(["kata"] * 310)


@pytest.fixture
async def world(client):
    await open_period()
    return await build_world(client)


async def page_csrf(client, path: str) -> str:
    return csrf_of((await client.get(path)).text)


# -- home ----------------------------------------------------------------------------------


async def test_an_admins_home_lists_only_the_units_innovations_with_what_is_missing(client, world):
    await sign_in(client, "admin.a")
    home = await client.get("/")
    assert home.status_code == 200
    html = home.text
    assert "Inovasi unit saya" in html and "Dinas Kesehatan" in html
    assert "Posyandu Aktif" in html
    assert "Sekolah Ramah Anak" not in html and "Perpustakaan Keliling" not in html
    assert 'href="/inovasi/baru"' in html and 'href="/inovasi/impor"' in html
    # The mandatory indicators without evidence, each linking to its card.
    assert re.search(rf'href="/inovasi/{world.draft_a.id}#ind-regulasi">Regulasi', html)
    assert "hari lagi" in html and "WITA" in html
    assert "Perbaikan paling bernilai" in html and "poin kematangan" in html


async def test_a_new_admin_without_innovations_is_offered_to_create_one(client, world):
    await Innovation.filter(unit_id=world.unit_a.id).delete()
    await sign_in(client, "admin.a")
    html = (await client.get("/")).text
    assert 'id="no-innovations"' in html and "belum mendaftarkan inovasi" in html


# -- create --------------------------------------------------------------------------------


async def test_creating_without_a_name_is_refused_beside_the_field_and_keeps_the_values(
    client, world
):
    await sign_in(client, "admin.a")
    csrf = await page_csrf(client, "/inovasi/baru")
    before = await Innovation.all().count()
    response = await client.post(
        "/inovasi/baru",
        data={"csrf": csrf, "name": "  ", "year": "2026", "stage": "penerapan", "goals": "Tetap"},
    )
    assert response.status_code == 422
    field = re.search(r'<div id="f-name">.*?</div>', response.text, re.S)
    assert field and "Wajib diisi" in field.group(0)
    assert ">Tetap</textarea>" in response.text  # what was typed is kept
    assert await Innovation.all().count() == before


async def test_an_admin_creates_an_innovation_of_their_own_unit(client, world):
    await sign_in(client, "admin.a")
    csrf = await page_csrf(client, "/inovasi/baru")
    response = await client.post(
        "/inovasi/baru",
        # The unit field is ignored for an admin: it is always their own unit.
        data={"csrf": csrf, "name": "Klinik Keliling", "year": "2026", "unit": "DISDIK",
              "stage": "uji coba", "budget": "Rp 1.500.000"},
    )  # fmt: skip
    assert response.status_code == 303, response.text
    created = await Innovation.get(name="Klinik Keliling")
    assert response.headers["location"] == f"/inovasi/{created.id}"
    assert created.unit_id == world.unit_a.id and created.stage == "uji coba"
    assert created.budget == 1_500_000
    assert await AuditEvent.exists(action="create", object_id=str(created.id))


async def test_verifiers_and_innovators_cannot_create(client, world):
    for username in ("verif", "inovator"):
        await sign_in(client, username)
        assert (await client.get("/inovasi/baru")).status_code == 403
        await client.post("/logout", data={"csrf": await page_csrf(client, "/cari")})


# -- import --------------------------------------------------------------------------------

PROFILE = b"""Nama Inovasi: Klinik Keliling Desa
Tahapan Inovasi: penerapan
Rancang Bangun:
Klinik berkeliling desa setiap pekan.
Tujuan Inovasi:
Mendekatkan layanan kesehatan.
"""


@pytest.mark.slow
async def test_an_imported_profile_is_shown_filled_in_and_saved_only_when_confirmed(client, world):
    await sign_in(client, "admin.a")
    csrf = await page_csrf(client, "/inovasi/impor")
    before = await Innovation.all().count()
    response = await client.post(
        "/inovasi/impor",
        data={"csrf": csrf, "year": "2026"},
        files={"file": ("profil.txt", PROFILE, "text/plain")},
    )
    assert response.status_code == 200, response.text
    html = response.text
    assert 'id="import-result"' in html and "belum disimpan" in html
    assert 'value="Klinik Keliling Desa"' in html
    assert "Mendekatkan layanan kesehatan." in html
    empty = re.search(r"Masih kosong:(.*?)</p>", html, re.S)
    assert empty and "Hasil inovasi" in empty.group(1) and "Nama inovasi" not in empty.group(1)
    assert await Innovation.all().count() == before  # nothing saved yet

    saved = await client.post(
        "/inovasi/baru",
        data={"csrf": csrf, "name": "Klinik Keliling Desa", "year": "2026",
              "goals": "Mendekatkan layanan kesehatan."},
    )  # fmt: skip
    assert saved.status_code == 303
    assert await Innovation.exists(name="Klinik Keliling Desa", unit_id=world.unit_a.id)


async def test_an_import_that_is_not_a_profile_document_is_refused_on_the_page(client, world):
    await sign_in(client, "admin.a")
    csrf = await page_csrf(client, "/inovasi/impor")
    response = await client.post(
        "/inovasi/impor",
        data={"csrf": csrf, "year": "2026"},
        files={"file": ("virus.exe", b"MZ\x90\x00binary", "application/octet-stream")},
    )
    assert response.status_code == 415
    assert 'class="error"' in response.text and "DOCX, PDF, TXT atau MD" in response.text


# -- profile -------------------------------------------------------------------------------


def profile_data(csrf: str, version: int, **changes: str) -> dict[str, str]:
    data = {
        "csrf": csrf, "version": str(version), "name": "Posyandu Aktif",
        "made_by": "Dinas Kesehatan", "stage": "penerapan", "initiator": "OPD",
        "initiator_name": "Bidang Kesmas", "type": "non digital",
        "form": "Inovasi Pelayanan Publik", "affairs": "Kesehatan", "design": DESIGN,
        "goals": "Balita sehat", "benefits": "Gizi membaik", "results": "Stunting turun",
        "trial_date": "2024-02-01", "implementation_date": "2024-03-01", "budget": "",
    }  # fmt: skip
    data.update(changes)
    return data


async def test_the_profile_form_saves_every_field_and_explains_the_window(client, world):
    await sign_in(client, "admin.a")
    form = await client.get(f"/inovasi/{world.draft_a.id}/profil")
    assert form.status_code == 200
    assert "1 Januari 2024" in form.text and "31 Desember 2025" in form.text
    assert 'data-min-words="300"' in form.text
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/profil", data=profile_data(csrf_of(form.text), 1)
    )
    assert response.status_code == 303, response.text
    saved = await Innovation.get(id=world.draft_a.id)
    assert saved.affairs == "Kesehatan" and str(saved.trial_date) == "2024-02-01"
    assert saved.design == DESIGN and saved.version == 2
    checklist = (await client.get(f"/inovasi/{world.draft_a.id}")).text
    assert "belum diisi" not in checklist


async def test_someone_elses_change_is_a_clear_message_and_the_edit_is_not_lost(client, world):
    await sign_in(client, "admin.a")
    form = await client.get(f"/inovasi/{world.draft_a.id}/profil")
    csrf = csrf_of(form.text)
    # Another admin saves first.
    await Innovation.filter(id=world.draft_a.id).update(goals="Versi orang lain", version=5)
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/profil",
        data=profile_data(csrf, 1, goals="Versi saya"),
    )
    assert response.status_code == 409
    assert "diubah orang lain" in response.text and "Isian Anda masih di bawah" in response.text
    assert ">Versi saya</textarea>" in response.text
    assert 'name="version" value="5"' in response.text  # saving again overwrites deliberately
    assert (await Innovation.get(id=world.draft_a.id)).goals == "Versi orang lain"
    again = await client.post(
        f"/inovasi/{world.draft_a.id}/profil", data=profile_data(csrf, 5, goals="Versi saya")
    )
    assert again.status_code == 303
    assert (await Innovation.get(id=world.draft_a.id)).goals == "Versi saya"


async def test_bad_dates_are_refused_beside_their_fields(client, world):
    await sign_in(client, "admin.a")
    csrf = await page_csrf(client, f"/inovasi/{world.draft_a.id}/profil")
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/profil",
        data=profile_data(csrf, 1, trial_date="2024-05-01", implementation_date="2024-03-01"),
    )
    assert response.status_code == 422
    field = re.search(r'<div id="f-implementation_date">.*?</div>', response.text, re.S)
    assert field and "tidak boleh sebelum" in field.group(0)
    assert (await Innovation.get(id=world.draft_a.id)).version == 1


async def test_an_innovator_and_a_submitted_innovation_get_no_profile_form(client, world):
    await sign_in(client, "inovator")
    assert (await client.get(f"/inovasi/{world.draft_a.id}/profil")).status_code == 403
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert 'id="edit-profile"' not in page.text and 'id="file-regulasi"' in page.text
    await client.post("/logout", data={"csrf": csrf_of(page.text)})
    await Innovation.filter(id=world.draft_a.id).update(status="submitted")
    await sign_in(client, "admin.a")
    refused = await client.get(f"/inovasi/{world.draft_a.id}/profil")
    assert refused.status_code == 409 and "diajukan" in refused.text


# -- claims, uploads, evidence ---------------------------------------------------------------


async def test_the_kemanfaatan_claim_takes_a_basis_and_refuses_an_unknown_one(client, world):
    await sign_in(client, "admin.a")
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    assert 'id="basis-kemanfaatan"' in page.text and "Jumlah penerima manfaat" in page.text
    csrf = csrf_of(page.text)
    path = f"/inovasi/{world.draft_a.id}/indikator/kemanfaatan/klaim"
    bad = await client.post(path, data={"csrf": csrf, "level": "2", "basis": "z"})
    assert bad.status_code == 422 and 'id="claim-error-kemanfaatan"' in bad.text
    assert not await IndicatorClaim.exists(innovation_id=world.draft_a.id)
    ok = await client.post(path, data={"csrf": csrf, "level": "2", "basis": "a"})
    assert ok.status_code == 303
    assert ok.headers["location"].endswith("#ind-kemanfaatan")
    claim = await IndicatorClaim.get(innovation_id=world.draft_a.id, indicator="kemanfaatan")
    assert (claim.claimed_level, claim.basis) == (2, "a")


async def test_several_files_in_one_form_become_several_evidence(client, world):
    csrf = await sign_in(client, "admin.a")
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "sdm"},
        files=[
            ("file", ("SK tim.pdf", pdf_bytes(["SURAT TUGAS", "Tim"]), "application/pdf")),
            ("file", ("Daftar.pdf", pdf_bytes(["DAFTAR HADIR"]), "application/pdf")),
        ],
    )
    assert response.status_code == 303, response.text
    rows = await Evidence.filter(innovation_id=world.draft_a.id).order_by("id")
    assert [(r.filename, r.indicator) for r in rows] == [
        ("SK tim.pdf", "sdm"),
        ("Daftar.pdf", "sdm"),
    ]


async def test_the_pages_script_gets_json_and_the_card_state_back(client, world):
    csrf = await sign_in(client, "admin.a")
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi"},
        files={"file": ("Perbup.pdf", DECREE, "application/pdf")},
        headers={"X-Sepeda-Fetch": "1"},
    )
    assert response.status_code == 201
    assert "sedang dibaca" in response.json()["message"]
    empty = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi"},
        headers={"X-Sepeda-Fetch": "1"},
    )
    assert empty.status_code == 422 and "berkas (file) atau tautan" in empty.json()["detail"]
    state = await client.get(f"/inovasi/{world.draft_a.id}/indikator/regulasi/status")
    assert state.status_code == 200
    assert state.text.lstrip().startswith("{#") or 'id="state-regulasi"' in state.text
    assert "Perbup.pdf" in state.text and 'hx-trigger="every 2s"' in state.text
    unknown = await client.get(f"/inovasi/{world.draft_a.id}/indikator/bukan/status")
    assert unknown.status_code == 404


async def test_an_empty_upload_is_refused_beside_the_indicators_form(client, world):
    csrf = await sign_in(client, "admin.a")
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "video", "url": ""},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    inline = re.search(r'id="upload-error-video">(.*?)</p>', response.text, re.S)
    assert inline and "berkas (file) atau tautan" in inline.group(1)
    assert 'href="#ind-video"' in response.text  # the summary at the top links to the form


async def test_a_wrong_file_is_removed_and_replaced_and_both_stay_in_history(client, world):
    csrf = await sign_in(client, "admin.a")
    await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi"},
        files={"file": ("salah.pdf", pdf_bytes(["SALAH"]), "application/pdf")},
    )
    wrong = await Evidence.get(filename="salah.pdf")
    page = await client.get(f"/bukti/{wrong.id}")
    assert page.status_code == 200 and 'id="remove-evidence"' in page.text
    assert 'id="ganti"' in page.text and "Riwayat versi" in page.text
    replaced = await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi", "replaces": str(wrong.id)},
        files={"file": ("benar.pdf", DECREE, "application/pdf")},
    )
    assert replaced.status_code == 303
    right = await Evidence.get(filename="benar.pdf")
    assert right.version == 2 and right.chain_id == wrong.chain_id
    history = await client.get(f"/bukti/{right.id}")
    assert f'href="/bukti/{wrong.id}">versi 1</a>' in history.text

    removed = await client.post(f"/bukti/{right.id}/hapus", data={"csrf": csrf})
    assert removed.status_code == 303
    assert removed.headers["location"] == f"/inovasi/{world.draft_a.id}#ind-regulasi"
    assert (await Evidence.get(id=right.id)).deleted_at is not None
    assert await AuditEvent.exists(action="delete", object_id=str(right.id))
    card = (await client.get(f"/inovasi/{world.draft_a.id}/indikator/regulasi/status")).text
    assert "benar.pdf" not in card and "salah.pdf" not in card


async def test_a_misread_fact_is_corrected_on_the_evidence_page(client, world):
    csrf = await sign_in(client, "admin.a")
    await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi"},
        files={"file": ("Perbup.pdf", DECREE, "application/pdf")},
    )
    evidence = await Evidence.get(filename="Perbup.pdf")
    path = f"/bukti/{evidence.id}/fakta"
    bad = await client.post(path, data={"csrf": csrf, "date": "kemarin", "number": "41/2021"})
    assert bad.status_code == 422 and 'id="facts-error"' in bad.text
    assert 'value="41/2021"' in bad.text  # typed values kept
    ok = await client.post(
        path,
        data={"csrf": csrf, "kind": "peraturan-kepala-daerah", "number": "41 TAHUN 2021",
              "date": "2021-07-12", "title": "", "issuer": ""},
    )  # fmt: skip
    assert ok.status_code == 303
    corrected = (await Evidence.get(id=evidence.id)).facts_corrected
    assert corrected == {
        "kind": "peraturan-kepala-daerah",
        "number": "41 TAHUN 2021",
        "date": "2021-07-12",
    }
    page = await client.get(f"/bukti/{evidence.id}")
    assert "12 Juli 2021" in page.text and "Peraturan Kepala Daerah" in page.text


async def test_comments_per_innovation_and_per_indicator(client, world):
    csrf = await sign_in(client, "admin.a")
    empty = await client.post(
        f"/inovasi/{world.draft_a.id}/komentar", data={"csrf": csrf, "body": "   "}
    )
    assert empty.status_code == 422 and "Tulis isi komentar" in empty.text
    await client.post(
        f"/inovasi/{world.draft_a.id}/komentar", data={"csrf": csrf, "body": "Mohon diperiksa"}
    )
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/komentar",
        data={"csrf": csrf, "body": "SK menyusul", "indicator": "regulasi"},
    )
    assert response.headers["location"].endswith("#ind-regulasi")
    rows = await Comment.filter(innovation_id=world.draft_a.id).order_by("id")
    assert [(c.indicator, c.body) for c in rows] == [
        (None, "Mohon diperiksa"),
        ("regulasi", "SK menyusul"),
    ]
    page = (await client.get(f"/inovasi/{world.draft_a.id}")).text
    card = re.search(r'id="ind-regulasi".*?</article>', page, re.S)
    assert card and "SK menyusul" in card.group(0)


async def test_an_admin_invites_an_innovator_who_gets_a_one_time_link(client, world):
    csrf = await sign_in(client, "admin.a")
    response = await client.post(
        f"/inovasi/{world.draft_a.id}/inovator",
        data={"csrf": csrf, "username": "kader.rina", "full_name": "Rina"},
    )
    assert response.status_code == 201
    link = re.search(r'<code id="invite-link">([^<]+)</code>', response.text)
    assert link and "/reset/" in link.group(1)
    invited = await User.get(username="kader.rina")
    assert invited.role == Role.INNOVATOR
    bad = await client.post(
        f"/inovasi/{world.draft_a.id}/inovator",
        data={"csrf": csrf, "username": "Bukan Nama!", "full_name": ""},
    )
    assert bad.status_code == 422 and 'id="invite-error"' in bad.text
    assert 'value="Bukan Nama!"' in bad.text


@pytest.mark.slow
async def test_a_pdf_page_is_previewed_as_an_image(client, world):
    csrf = await sign_in(client, "admin.a")
    await client.post(
        f"/inovasi/{world.draft_a.id}/bukti",
        data={"csrf": csrf, "indicator": "regulasi"},
        files={"file": ("Perbup.pdf", DECREE, "application/pdf")},
    )
    evidence = await Evidence.get(filename="Perbup.pdf")
    image = await client.get(f"/bukti/{evidence.id}/pratinjau/1")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert (await client.get(f"/bukti/{evidence.id}/pratinjau/2")).status_code == 404


# -- what a page offers is what the API accepts ------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "verifier", "admin_a", "admin_b", "innovator"])
@pytest.mark.parametrize("status", ["draft", "submitted", "verified"])
async def test_the_actions_offered_are_the_ones_the_api_accepts(client, world, role, status):
    await Innovation.filter(id=world.draft_a.id).update(status=status)
    headers = world.headers[role]
    shown = await client.get(f"/api/innovations/{world.draft_a.id}/actions", headers=headers)
    if role == "admin_b":
        assert shown.status_code == 404
        return
    actions = shown.json()
    upload = await client.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        headers=headers,
        data={"indicator": "video", "url": "https://youtu.be/x"},
    )
    assert (upload.status_code == 201) == actions["upload"], (role, status, upload.text)
    claim = await client.put(
        f"/api/innovations/{world.draft_a.id}/indicators/sdm",
        headers=headers,
        json={"claimed_level": 1},
    )
    assert (claim.status_code == 200) == actions["claim"], (role, status, claim.text)
    edit = await client.patch(
        f"/api/innovations/{world.draft_a.id}", headers=headers, json={"goals": "Baru"}
    )
    assert (edit.status_code == 200) == actions["edit_profile"], (role, status, edit.text)
    comment = await client.post(
        f"/api/innovations/{world.draft_a.id}/comments", headers=headers, json={"body": "Hai"}
    )
    assert (comment.status_code == 201) == actions["comment"], (role, status, comment.text)


async def test_pages_carry_a_strict_content_security_policy_and_local_assets(client, world):
    await sign_in(client, "admin.a")
    page = await client.get(f"/inovasi/{world.draft_a.id}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in page.text and "style=" not in page.text
    assert page.headers["x-frame-options"] == "DENY"
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        served = await client.get(asset)
        assert served.status_code == 200, asset
