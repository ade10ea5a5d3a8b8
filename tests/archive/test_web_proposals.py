"""Proposals from villages and citizens: the public form, its spam traps, staff's decision."""

from __future__ import annotations

import re

import pytest

from archive.models import (
    AuditEvent,
    Innovation,
    Notification,
    Proposal,
    ProposalFile,
    ProposalStatus,
)
from archive.services import proposals
from archive.web import proposals as proposals_web
from tests.archive.test_web_review import switch, world  # noqa: F401
from tests.documents import pdf_bytes

FORM = {
    "kind": "desa",
    "name": "Lumbung Pangan Desa",
    "problem": "Harga beras melonjak saat paceklik.",
    "description": "Desa menyimpan gabah panen raya di lumbung bersama dan menjualnya "
    "kepada warga dengan harga tetap saat paceklik.",
    "origin": "Desa Murung Ilung, Paringin Selatan",
    "contact_name": "Rahmat",
    "contact_email": "rahmat@example.id",
    "contact_phone": "",
    "website": "",
}


@pytest.fixture
def later(monkeypatch):
    """The form is sent a minute after it was shown, as a person would."""
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(proposals_web, "_now", lambda: clock["now"])

    def advance(seconds: float = 60) -> None:
        clock["now"] += seconds

    return advance


async def fill(client, later, **changes) -> object:
    page = await client.get("/usulan")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    later()
    files = changes.pop("files", None)
    data = {**FORM, "csrf": csrf, **changes}
    if files:
        return await client.post("/usulan", data=data, files=files)
    return await client.post("/usulan", data=data)


async def test_a_village_proposes_and_reads_the_answer_at_its_link(client, world, later):  # noqa: F811
    sent = await fill(client, later, files=[("file", ("rencana.pdf", pdf_bytes(["RENCANA"])))])
    assert sent.status_code == 303
    link = sent.headers["location"]
    assert re.fullmatch(r"/usulan/[\w-]{20,}", link)
    status = await client.get(link)
    assert status.status_code == 200
    assert "Lumbung Pangan Desa" in status.text and "Menunggu" in status.text
    # The proposer's own contact is not echoed on a page reachable by a link.
    assert "rahmat@example.id" not in status.text

    proposal = await Proposal.get(name="Lumbung Pangan Desa")
    assert proposal.contact_email == "rahmat@example.id" and proposal.year == 2026
    assert proposal.sender and "127.0.0.1" not in proposal.sender
    assert (await ProposalFile.get(proposal=proposal)).filename == "rencana.pdf"
    assert await Notification.exists(user__username="staf", kind="proposal")
    event = await AuditEvent.get(action="propose", object_id=str(proposal.id))
    assert "rahmat" not in str(event.after)
    assert (await client.get("/usulan/bukan-token-yang-benar")).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Nama inovasi wajib"),
        ({"description": "pendek"}, "description", "paling sedikit 30"),
        ({"kind": "swasta"}, "kind", "pemerintah desa atau warga"),
        ({"contact_email": "", "contact_phone": ""}, "contact_email", "surel atau nomor"),
        ({"contact_email": "bukan-surel"}, "contact_email", "Alamat surel"),
        ({"contact_phone": "telp saya"}, "contact_phone", "Nomor telepon"),
    ],
)
async def test_bad_input_is_answered_beside_the_field(
    client,
    world,  # noqa: F811
    later,
    changes,
    field,
    message,
):
    response = await fill(client, later, **changes)
    assert response.status_code == 422
    assert message in response.text and f'id="{field}-error"' in response.text
    assert 'value="Desa Murung Ilung, Paringin Selatan"' in response.text  # typed values kept
    assert await Proposal.all().count() == 0


async def test_spam_is_refused_and_nothing_is_kept(client, world, later):  # noqa: F811
    honeypot = await fill(client, later, website="http://spam.example")
    assert honeypot.status_code == 422 and await Proposal.all().count() == 0

    page = await client.get("/usulan")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    later(1)  # one second after the form was shown: no person types that fast
    too_fast = await client.post("/usulan", data={**FORM, "csrf": csrf})
    assert too_fast.status_code == 422 and "terlalu cepat" in too_fast.text

    later(2 * 24 * 3600)  # a form left open for two days, or replayed
    stale = await client.post("/usulan", data={**FORM, "csrf": csrf})
    assert stale.status_code == 422 and "kedaluwarsa" in stale.text

    no_csrf = await client.post("/usulan", data={**FORM, "csrf": "x"})
    assert no_csrf.status_code == 403
    assert await Proposal.all().count() == 0

    for n in range(proposals.PER_HOUR):
        assert (await fill(client, later, name=f"Usulan {n}")).status_code == 303
    flood = await fill(client, later, name="Usulan berlebih")
    assert flood.status_code == 429 and "per jam" in flood.text
    assert await Proposal.all().count() == proposals.PER_HOUR


async def test_hostile_or_oversized_files_are_refused(client, world, later):  # noqa: F811
    exe = await fill(client, later, files=[("file", ("a.pdf", b"MZ\x90\x00" + b"\x00" * 200))])
    assert exe.status_code == 415 and "tidak ada berkas yang tersimpan" in exe.text
    big = b"%PDF-1.4\n" + b"0" * (proposals.MAX_FILE_BYTES + 10)
    oversized = await fill(client, later, files=[("file", ("besar.pdf", big))])
    assert oversized.status_code == 413
    many = [("file", (f"{n}.pdf", pdf_bytes([str(n)]))) for n in range(proposals.MAX_FILES + 1)]
    too_many = await fill(client, later, files=many)
    assert too_many.status_code in (413, 422)
    assert await Proposal.all().count() == 0 and await ProposalFile.all().count() == 0


async def test_staff_turn_a_proposal_into_a_draft_of_a_unit(client, world, later):  # noqa: F811
    link = (await fill(client, later)).headers["location"]
    proposal = await Proposal.get()
    csrf = await switch(client, "admin.a")
    assert (await client.get("/usulan/masuk")).status_code == 403
    assert (await client.get(f"/usulan/masuk/{proposal.id}")).status_code == 403

    csrf = await switch(client, "staf")
    inbox = await client.get("/usulan/masuk")
    assert "Lumbung Pangan Desa" in inbox.text
    review = await client.get(f"/usulan/masuk/{proposal.id}")
    assert "rahmat@example.id" in review.text and 'id="accept-form"' in review.text

    no_unit = await client.post(
        f"/usulan/masuk/{proposal.id}/terima", data={"csrf": csrf, "unit": "", "year": "2026"}
    )
    assert no_unit.status_code == 422 and 'id="accept-error"' in no_unit.text
    accepted = await client.post(
        f"/usulan/masuk/{proposal.id}/terima",
        data={"csrf": csrf, "unit": "DINKES", "year": "2026"},
    )
    assert accepted.status_code == 303
    draft = await Innovation.get(name="Lumbung Pangan Desa").prefetch_related("unit")
    assert accepted.headers["location"] == f"/inovasi/{draft.id}"
    assert draft.unit.code == "DINKES" and draft.status == "draft"
    assert draft.classification == "Inovasi Desa" and "gabah" in (draft.design or "")
    assert draft.proposal["masalah"] == FORM["problem"]
    assert await Notification.exists(user__username="admin.a", kind="proposal")
    assert (await Proposal.get(id=proposal.id)).status == ProposalStatus.ACCEPTED

    twice = await client.post(
        f"/usulan/masuk/{proposal.id}/tolak", data={"csrf": csrf, "reason": "Sudah ada serupa."}
    )
    assert twice.status_code == 409
    await client.post("/logout", data={"csrf": csrf})
    assert "menjadi draf" in (await client.get(link)).text


async def test_a_declined_proposal_shows_its_reason_at_the_link(client, world, later):  # noqa: F811
    link = (await fill(client, later)).headers["location"]
    proposal = await Proposal.get()
    csrf = await switch(client, "staf")
    short = await client.post(
        f"/usulan/masuk/{proposal.id}/tolak", data={"csrf": csrf, "reason": "tidak"}
    )
    assert short.status_code == 422 and 'id="decline-error"' in short.text
    assert "tidak</textarea>" in short.text
    reason = "Serupa dengan program lumbung pangan Dinas Ketahanan Pangan yang sudah berjalan."
    declined = await client.post(
        f"/usulan/masuk/{proposal.id}/tolak", data={"csrf": csrf, "reason": reason}
    )
    assert declined.status_code == 303
    await client.post("/logout", data={"csrf": csrf})
    page = await client.get(link)
    assert "Tidak dilanjutkan" in page.text and reason in page.text
    assert await AuditEvent.exists(action="decline", object_id=str(proposal.id))


async def test_contacts_are_purged_after_the_year(client, world, later):  # noqa: F811
    await fill(client, later)
    await Proposal.all().update(year=2025)
    assert await proposals.purge_contacts(2026) == 1
    purged = await Proposal.get()
    assert purged.contact_name is None and purged.contact_email is None
    assert purged.sender is None and purged.purged_at is not None
    assert purged.name == "Lumbung Pangan Desa"  # the proposal itself stays
    assert await proposals.purge_contacts(2026) == 0  # nothing twice
