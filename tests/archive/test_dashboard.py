"""The office's dashboard: units by state, the index on three bases, the trend over the years."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from archive.audit import Actor
from archive.errors import BadInput
from archive.models import AuditEvent, ChecklistResult, Unit, UnitKind, YearFigure
from archive.services import dashboard, index_report
from archive.timeutil import utcnow
from checklist.summary import is_current
from tests.archive.test_web_review import submitted, switch, world  # noqa: F401

ACTOR = Actor("staf", "127.0.0.1")


async def test_units_are_counted_by_state_and_every_active_unit_is_listed(world, submitted):  # noqa: F811
    await Unit.create(code="BARU", name="Badan Baru", kind=UnitKind.SKPD)
    await Unit.create(code="LAMA", name="Badan Lama", kind=UnitKind.SKPD,
                      deactivated_at=utcnow())  # fmt: skip
    board = await dashboard.year_dashboard(2026)
    lines = {line.code: line for line in board["units"]}
    assert set(lines) == {"DINKES", "DISDIK", "BARU"}  # the deactivated unit sent nothing
    assert [line.name for line in board["units"]] == sorted(line.name for line in lines.values())
    assert lines["DINKES"].states["submitted"] == 1 and lines["DINKES"].innovations == 1
    assert lines["DISDIK"].states["draft"] == 1 and lines["DISDIK"].states["published"] == 1
    assert lines["BARU"].innovations == 0 and lines["BARU"].completeness == 0
    assert board["total"].innovations == 3 and board["total"].states["submitted"] == 1
    # Posyandu Aktif has its five mandatory indicators backed; the others have none.
    assert lines["DINKES"].missing_mandatory == 0 and lines["DISDIK"].missing_mandatory > 0
    assert lines["DINKES"].completeness > lines["DISDIK"].completeness


async def test_the_dashboard_shows_the_same_index_and_fixes_as_the_api(world, submitted):  # noqa: F811
    board = await dashboard.year_dashboard(2026)
    for basis in index_report.BASES:
        fixes = dashboard.TOP_FIXES if basis == dashboard.FIXES_BASIS else 0
        alone = await index_report.project(2026, basis, limit=fixes)
        assert board["projections"][basis] == alone
    everything = await index_report.project(2026, "supported", limit=None)
    shown = board["projections"]["supported"]
    assert shown["fixes"] == everything["fixes"][: dashboard.TOP_FIXES]
    assert shown["fixes_total"] == len(everything["fixes"]) > dashboard.TOP_FIXES
    gains = [fix["gain"] for fix in everything["fixes"]]
    assert gains == sorted(gains, reverse=True)


async def test_summaries_missing_after_an_upgrade_are_written_again(world, submitted):  # noqa: F811
    await ChecklistResult.all().update(summary=None)
    data = await index_report.year_data(2026)
    assert len(data.entries) == 3 and all(is_current(e.stored.summary) for e in data.entries)
    stored = await ChecklistResult.all().values_list("summary", flat=True)
    assert all(is_current(summary) for summary in stored)


async def test_the_trend_takes_past_years_from_the_offices_figures(world, submitted):  # noqa: F811
    for year, count in [(2021, 32), (2022, 112), (2026, 999)]:
        await dashboard.record_figure(year, count, None, None, "Laporan kantor", ACTOR)
    points = await dashboard.trend()
    assert [(p.year, p.innovations) for p in points] == [(2021, 32), (2022, 112), (2026, 3)]
    assert points[0].source == "Laporan kantor" and points[0].iid is None
    assert points[-1].source == "sepeda"  # a year kept here is counted here, not from a note
    expected = await index_report.project(2026, "supported", limit=0)
    assert points[-1].iid == expected["iid"] and points[-1].predicate == expected["predicate"]


@pytest.mark.parametrize(
    ("year", "count", "iid", "message"),
    [(1999, 5, None, "Tahun"), (2021, -1, None, "negatif"), (2021, 5, 120.0, "IID")],
)
async def test_a_wrong_figure_is_refused_and_nothing_is_stored(app, year, count, iid, message):
    with pytest.raises(BadInput, match=message):
        await dashboard.record_figure(year, count, iid, None, "", ACTOR)
    assert not await YearFigure.exists()


async def test_correcting_a_figure_keeps_the_old_value_in_the_audit_log(app):
    await dashboard.record_figure(2021, 30, None, None, "", ACTOR)
    await dashboard.record_figure(2021, 32, 41.5, "Inovatif", "Laporan 2021", ACTOR)
    figure = await YearFigure.get(year=2021)
    assert (figure.innovations, figure.iid, figure.predicate) == (32, 41.5, "Inovatif")
    event = await AuditEvent.filter(object_type="year_figure").order_by("-id").first()
    assert event.action == "update" and event.before["innovations"] == 30


async def test_staff_read_the_dashboard_on_the_home_page(client, world, submitted):  # noqa: F811
    await dashboard.record_figure(2022, 112, None, None, "Laporan kantor", ACTOR)
    await Unit.create(code="BARU", name="Badan Baru", kind=UnitKind.SKPD)
    await switch(client, "staf")
    html = (await client.get("/")).text
    assert 'id="glance"' in html and 'id="queue-summary"' in html
    assert re.search(r'<tr id="unit-DINKES">.*?href="/unit/DINKES"', html, re.S)
    # A unit that sent nothing is named once, not given a row of zeros.
    assert 'id="unit-BARU"' not in html
    silent = re.search(r'<p id="units-silent">(.*?)</p>', html, re.S).group(1)
    assert "(1 unit)" in silent and 'href="/unit/BARU">Badan Baru<' in silent
    title = re.search(r'<title id="chart-count-title">(.*?)</title>', html).group(1)
    assert title == "Jumlah inovasi per tahun: 2022 112; 2026 3"
    assert "kursi kosong" in html  # explained beside the index, not left as jargon
    trend = re.search(r'<table id="trend">(.*?)</table>', html, re.S).group(1)
    assert "Laporan kantor" in trend and "SEPEDA BARU" in trend


async def test_a_verifiers_home_is_the_queue_without_the_office_dashboard(client, world, submitted):  # noqa: F811
    await switch(client, "verif")
    html = (await client.get("/")).text
    assert 'id="queue-summary"' in html and "<strong>1 inovasi</strong>" in html
    assert 'id="glance"' not in html


async def test_staff_record_a_past_years_figure_from_the_periods_page(client, world):  # noqa: F811
    csrf = await switch(client, "staf")
    form = {"csrf": csrf, "year": "2021", "innovations": "32", "iid": "abc",
            "predicate": "", "source": "Laporan tahunan 2021"}  # fmt: skip
    refused = await client.post("/periode/riwayat", data=form)
    assert refused.status_code == 422
    assert 'id="figure-error"' in refused.text and "IID: tulis angka" in refused.text
    assert 'value="Laporan tahunan 2021"' in refused.text  # what was typed stays
    assert not await YearFigure.exists()
    saved = await client.post("/periode/riwayat", data={**form, "iid": "41,25"})
    assert saved.status_code == 303
    figure = await YearFigure.get(year=2021)
    assert (figure.innovations, figure.iid) == (32, 41.25)
    page = await client.get("/periode")
    assert re.search(r'<tr id="figure-2021">.*?41,25', page.text, re.S)


async def test_staff_download_the_national_portal_package_from_the_report_page(client, world):  # noqa: F811
    await switch(client, "staf")
    page = await client.get("/laporan?year=2026")
    assert 'id="national-package"' in page.text
    response = await client.get("/laporan/paket-nasional.zip?year=2026&isi=semua")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert "manifest.json" in package.namelist()
    assert await AuditEvent.filter(action="export", actor="staf").exists()
    await switch(client, "verif")
    assert (await client.get("/laporan/paket-nasional.zip?year=2026")).status_code == 403
