"""Workers in other processes hear of queued jobs at once, not at their next poll."""

import asyncio

import pytest

from archive import job_signal

pytestmark = pytest.mark.solo  # wake-ups within half a second


async def test_an_announcement_wakes_a_listening_worker_at_once(app):
    settings = app.state.settings
    woken = asyncio.Event()
    listener = asyncio.create_task(job_signal.listen(settings, woken.set))
    try:
        # Listening now (with PostgreSQL the listener wakes once on connecting, for whatever
        # was queued while nobody listened).
        await asyncio.sleep(0.5)
        woken.clear()
        await asyncio.sleep(0.3)
        assert not woken.is_set(), "woken with nothing announced"
        await job_signal.announce(settings)
        # Well under a poll (worker_poll_s is 1 s).
        await asyncio.wait_for(woken.wait(), 0.5)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)


async def test_an_upload_announces_its_job(app, client):
    """The web process that takes an upload signals the workers of every process."""
    from tests.archive.helpers import build_world, open_period
    from tests.documents import pdf_bytes

    await open_period()
    world = await build_world(client)
    woken = asyncio.Event()
    listener = asyncio.create_task(job_signal.listen(app.state.settings, woken.set))
    try:
        await asyncio.sleep(0.5)
        woken.clear()
        response = await client.post(
            f"/api/innovations/{world.draft_a.id}/evidence",
            data={"indicator": "regulasi"},
            files={"file": ("sk.pdf", pdf_bytes("KEPUTUSAN BUPATI"))},
            headers=world.headers["admin_a"],
        )
        assert response.status_code == 201, response.text
        await asyncio.wait_for(woken.wait(), 0.5)
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
