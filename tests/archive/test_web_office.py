"""Staff's office pages: periods, units, accounts, SPD indicators, the audit log, the reports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from archive.models import (
    AuditEvent,
    Evidence,
    Innovation,
    Notification,
    Period,
    RegionalIndicator,
    Unit,
    UnitKind,
    User,
)
from tests.archive.test_web_review import submitted, switch, world  # noqa: F401
from tests.documents import pdf_bytes


async def test_staff_open_a_year_and_a_bad_form_keeps_what_was_typed(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    page = await client.get("/periode")
    assert page.status_code == 200 and 'id="period-2026"' in page.text
    bad = {"csrf": csrf, "year": "2027", "rulepack": "iid-2026", "opens": "2027-03-01",
           "closes": "2027-02-01", "review_closes": "2027-04-01"}  # fmt: skip
    refused = await client.post("/periode", data=bad)
    assert refused.status_code == 422
    assert 'id="open-error"' in refused.text and "tidak boleh sebelum" in refused.text
    assert 'value="2027-02-01"' in refused.text
    assert not await Period.exists(year=2027)
    opened = await client.post("/periode", data={**bad, "closes": "2027-03-20"})
    assert opened.status_code == 303
    assert (await Period.get(year=2027)).closes == date(2027, 3, 20)
    again = await client.post("/periode", data={**bad, "closes": "2027-03-20"})
    assert again.status_code == 409 and "sudah ada" in again.text


async def test_staff_reopen_an_innovation_from_the_periods_page(client, world, submitted):  # noqa: F811
    csrf = await switch(client, "staf")
    page = await client.get("/periode")
    assert f'<option value="{submitted.id}"' in page.text
    no_reason = await client.post(
        "/periode/buka-inovasi", data={"csrf": csrf, "innovation": str(submitted.id)}
    )
    assert no_reason.status_code == 422 and 'id="reopen-error"' in no_reason.text
    done = await client.post(
        "/periode/buka-inovasi",
        data={"csrf": csrf, "innovation": str(submitted.id), "note": "SK salah unggah"},
    )
    assert done.status_code == 303
    assert (await Innovation.get(id=submitted.id)).status == "draft"
    told = await Notification.get(user__username="admin.a", kind="reopened")
    assert "SK salah unggah" in told.message


async def test_staff_move_a_deadline_and_reopen_the_year(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    form = {"csrf": csrf, "opens": "2026-01-05", "closes": "2026-12-20",
            "review_closes": "2026-12-10", "reopened": "1"}  # fmt: skip
    refused = await client.post("/periode/2026", data=form)
    assert refused.status_code == 422 and "Batas verifikasi" in refused.text
    saved = await client.post("/periode/2026", data={**form, "review_closes": "2026-12-31"})
    assert saved.status_code == 303
    period = await Period.get(year=2026)
    assert period.closes == date(2026, 12, 20) and period.reopened


async def test_staff_add_rename_and_deactivate_a_unit(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    bad = await client.post(
        "/unit", data={"csrf": csrf, "code": "a b", "name": "X", "kind": "skpd"}
    )
    assert bad.status_code == 422 and 'id="add-unit-error"' in bad.text
    added = await client.post(
        "/unit", data={"csrf": csrf, "code": "diskominfo", "name": "Dinas Kominfo", "kind": "skpd"}
    )
    assert added.status_code == 303
    assert (await Unit.get(code="DISKOMINFO")).name == "Dinas Kominfo"
    renamed = await client.post(
        "/unit/DISKOMINFO",
        data={"csrf": csrf, "name": "Dinas Komunikasi dan Informatika", "kind": "skpd"},
    )
    assert renamed.status_code == 303
    off = await client.post("/unit/DISKOMINFO/aktif", data={"csrf": csrf, "active": "false"})
    assert off.status_code == 303
    assert not (await Unit.get(code="DISKOMINFO")).active
    page = await client.get("/unit")
    assert "Dinas Komunikasi dan Informatika" in page.text and "nonaktif" in page.text
    # A deactivated unit takes no new account.
    refused = await client.post(
        "/pengguna", data={"csrf": csrf, "username": "admin.kominfo", "role": "admin",
                           "unit": "DISKOMINFO"},
    )  # fmt: skip
    assert refused.status_code == 422 and "dinonaktifkan" in refused.text
    assert not await User.exists(username="admin.kominfo")
    assert await AuditEvent.filter(object_type="unit", action="deactivate").exists()


async def test_staff_edit_an_account(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    bad = await client.post(
        "/pengguna/admin.a", data={"csrf": csrf, "role": "admin", "unit": "DINKES",
                                   "email": "bukan-surel"},
    )  # fmt: skip
    assert bad.status_code == 422 and "surel tidak valid" in bad.text
    moved = await client.post(
        "/pengguna/admin.a",
        data={"csrf": csrf, "role": "admin", "unit": "DISDIK", "full_name": "Admin Disdik",
              "email": "admin@disdik.go.id"},
    )  # fmt: skip
    assert moved.status_code == 303
    account = await User.get(username="admin.a").prefetch_related("unit")
    assert account.unit.code == "DISDIK" and account.email == "admin@disdik.go.id"


async def test_staff_record_an_spd_indicator_and_a_verifier_reviews_it(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    page = await client.get("/daerah/2026")
    assert page.status_code == 200
    code = "spd_visi_misi"
    assert f'id="spd-{code}"' in page.text
    claimed = await client.post(
        f"/daerah/2026/indikator/{code}", data={"csrf": csrf, "level": "2", "note": "Perbup 12"}
    )
    assert claimed.status_code == 303
    uploaded = await client.post(
        "/daerah/2026/bukti",
        data={"csrf": csrf, "indicator": code},
        files={"file": ("perbup-inovasi.pdf", pdf_bytes("PERATURAN BUPATI NOMOR 12"))},
    )
    assert uploaded.status_code == 303, uploaded.text
    assert await Evidence.exists(regional_year=2026, indicator=code, filename="perbup-inovasi.pdf")
    unknown = await client.post(
        "/daerah/2026/bukti", data={"csrf": csrf, "indicator": "spd_tidak_ada"},
        files={"file": ("x.pdf", pdf_bytes("X"))},
    )  # fmt: skip
    assert unknown.status_code == 422 and "Tidak ada berkas yang tersimpan" in unknown.text
    assert await Evidence.filter(regional_year=2026).count() == 1

    csrf = await switch(client, "verif")
    page = await client.get("/daerah/2026")
    assert "perbup-inovasi.pdf" in page.text and "Simpan pemeriksaan" in page.text
    reviewed = await client.post(
        f"/daerah/2026/indikator/{code}/periksa",
        data={"csrf": csrf, "verified_level": "2", "note": "Sesuai"},
    )
    assert reviewed.status_code == 303
    assert (await RegionalIndicator.get(year=2026, indicator=code)).verified_level == 2
    await switch(client, "admin.a")
    assert (await client.get("/daerah/2026")).status_code == 403


async def test_the_audit_log_filters_and_downloads(client, world, submitted):  # noqa: F811
    await switch(client, "staf")
    page = await client.get(f"/audit?jenis=innovation&objek={submitted.id}")
    assert page.status_code == 200
    assert "submit" in page.text
    bad = await client.get("/audit?sejak=kemarin")
    assert bad.status_code == 422 and 'id="audit-error"' in bad.text
    download = await client.get(f"/audit/unduh.csv?jenis=innovation&objek={submitted.id}")
    assert download.headers["content-disposition"].startswith("attachment")
    text = download.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["No", "Waktu", "Pelaku", "Tindakan"]
    assert any(r[3] == "submit" for r in rows[1:])
    assert "WITA" in rows[1][1]
    await switch(client, "verif")
    assert (await client.get("/audit")).status_code == 403


@pytest.fixture
async def many_units(world):  # noqa: F811
    """The regency's 35 units: the two of the world and 33 that sent nothing."""
    for n in range(33):
        name = f"UPT Puskesmas Nomor {n:02d} Kecamatan Panjang Sekali Namanya"
        await Unit.create(code=f"PKM{n:02d}", name=name, kind=UnitKind.PUSKESMAS)


async def test_reports_speak_indonesian_and_list_every_unit(client, world, submitted, many_units):  # noqa: F811
    await switch(client, "staf")
    xlsx = await client.get("/laporan/kelengkapan.xlsx?year=2026")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["Rekap per unit", "Per inovasi"]
    units = list(book["Rekap per unit"].iter_rows(values_only=True))
    assert units[0][:4] == ("No", "Kode unit", "Nama unit", "Jumlah inovasi")
    assert len(units) - 1 == 35
    dinkes = next(r for r in units if r[1] == "DINKES")
    assert dinkes[3] == 1 and dinkes[4] == 1  # one innovation, submitted
    assert 0 < dinkes[6] <= 100  # a percentage, not a fraction
    empty = next(r for r in units if r[1] == "PKM00")
    assert empty[3] == 0
    innovations = list(book["Per inovasi"].iter_rows(values_only=True))
    assert innovations[0][4] == "Status" and innovations[1][4] == "Diajukan"
    assert "innovation_id" not in str(innovations[0])

    semicolon = await client.get("/laporan/unit.csv?year=2026")
    text = semicolon.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][2] == "Nama unit" and len(rows) == 36
    assert "," in next(r for r in rows if r[1] == "DINKES")[6]  # decimal comma for Excel (id)
    comma = await client.get("/laporan/kelengkapan.csv?year=2026&pemisah=koma")
    assert comma.content.decode("utf-8-sig").splitlines()[0].startswith("No,Kode unit,")


async def test_a_deadline_in_the_past_still_lists_the_period(client, world):  # noqa: F811
    await Period.filter(year=2026).update(closes=date.today() - timedelta(days=1))
    await switch(client, "staf")
    page = await client.get("/periode")
    assert 'id="period-2026"' in page.text


async def test_the_pdf_summary_names_every_unit_in_full(
    client,
    world,  # noqa: F811
    submitted,  # noqa: F811
    many_units,
    tmp_path,
):
    import shutil
    import subprocess

    from tests.conftest import need

    need(bool(shutil.which("pdftotext") and shutil.which("pdftoppm")), "poppler-utils missing")
    await switch(client, "staf")
    response = await client.get("/laporan/ringkasan.pdf?year=2026")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "ringkasan.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    flat = " ".join(text.decode().split())
    for unit in await Unit.all():
        assert f"{unit.name} ({unit.code})" in flat, unit.name  # wrapped, never cut
    assert "WITA" in flat and "kursi kosong" not in flat
    assert "urusan tercakup dari" in flat  # the same "covered / required" as the page
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "hal")], check=True)
    assert len(list(tmp_path.glob("hal-*.png"))) >= 2
