import shutil
import time

from archive import heartbeat
from archive.worker import Worker


async def test_health_reports_every_part_and_a_worker_never_seen_as_degraded(client):
    # The test app runs no worker and none beats: uploads would never be read.
    response = await client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    checks = body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["blobs"]["status"] == "ok"
    assert checks["worker"] == {"status": "stale", "last_seen": None, "jobs_pending": 0}
    assert body["status"] == "degraded"


async def test_health_is_ok_with_a_live_worker_and_an_index(app, client, settings):
    worker = Worker(settings.model_copy(update={"extract_workers": 1}))
    app.state.worker = worker
    await worker.start()
    try:
        body = (await client.get("/api/health")).json()
        assert body["status"] == "ok", body
        assert body["checks"]["index"]["status"] == "ok"
        # The heartbeat is what a web process without a worker of its own reads.
        assert body["checks"]["worker"]["last_seen"] is not None
        # A monitor polling health reuses the app's search backend instead of opening one.
        opened = app.state.search
        assert (await client.get("/api/health")).json()["checks"]["index"]["status"] == "ok"
        assert app.state.search is opened
    finally:
        await worker.stop()
        app.state.worker = None
    # A clean stop leaves no heartbeat behind, rather than one that slowly turns stale.
    assert heartbeat.age(settings.data_dir) is None


async def test_a_heartbeat_that_stopped_shows_as_stale(client, settings):
    heartbeat.beat(settings.data_dir)
    assert (await client.get("/api/health")).json()["checks"]["worker"]["status"] == "ok"
    beat_file = settings.data_dir / heartbeat.FILE
    old = time.time() - heartbeat.STALE_AFTER_S - 5
    beat_file.write_text(beat_file.read_text().replace('"at": ', f'"at": {old}, "was": '))
    body = (await client.get("/api/health")).json()
    assert (body["checks"]["worker"]["status"], body["status"]) == ("stale", "degraded")
    assert body["checks"]["worker"]["last_seen"] is not None


async def test_a_blob_store_that_cannot_be_written_answers_503(client, settings):
    # What a lost mount looks like (and, unlike a read-only folder, also to root): the
    # store's folder is not a folder.
    shutil.rmtree(settings.blob_dir, ignore_errors=True)
    settings.blob_dir.write_text("not a folder")
    response = await client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["checks"]["blobs"]["status"]) == ("down", "down")
    assert body["checks"]["database"]["status"] == "ok"


async def test_openapi_lists_the_contract_routes(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ["/api/auth/token", "/api/units", "/api/users", "/api/periods",
                 "/api/innovations", "/api/innovations/{innovation_id}"]:  # fmt: skip
        assert path in paths


async def test_unknown_route_answers_json(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "detail" in response.json()
