"""``/metrics``: off by default; when on, a Prometheus scrape sees requests, the queue and lag."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from httpx import ASGITransport, AsyncClient
from prometheus_client.parser import text_string_to_metric_families

from archive import create_app
from archive.models import Job
from archive.timeutil import utcnow
from tests.archive.helpers import build_world
from tests.documents import docx_bytes


@pytest.fixture
async def metered(settings) -> AsyncIterator[AsyncClient]:
    app = create_app(settings.model_copy(update={"metrics": True}))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def labels(**values: str) -> frozenset:
    return frozenset(values.items())


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape, parsed by Prometheus's own parser (so the format is valid)."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


async def test_metrics_are_off_unless_asked_for(client):
    assert (await client.get("/metrics")).status_code == 404


async def test_a_scrape_sees_requests_by_route_uploads_and_the_queue(metered):
    world = await build_world(metered)
    for _ in range(2):
        detail = await metered.get(
            f"/api/innovations/{world.draft_a.id}", headers=world.headers["admin_a"]
        )
        assert detail.status_code == 200
    uploaded = await metered.post(
        f"/api/innovations/{world.draft_a.id}/evidence",
        data={"indicator": "regulasi"},
        files={"file": ("sk.docx", docx_bytes("KEPUTUSAN BUPATI BALANGAN"))},
        headers=world.headers["admin_a"],
    )
    assert uploaded.status_code == 201
    # No worker runs in the test app: the change waits for the index since ten minutes.
    await Job.filter(kind="index").update(created_at=utcnow() - timedelta(minutes=10))

    response = await metered.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    route = "/api/innovations/{innovation_id}"
    # By the route's template, never the id: the number of series stays bounded.
    read = labels(method="GET", route=route, status="200")
    assert found[("sepeda_http_requests_total", read)] == 2
    assert not any(f"/api/innovations/{world.draft_a.id}" in dict(k[1]).get("route", "")
                   for k in found)  # fmt: skip
    upload_route = "/api/innovations/{innovation_id}/evidence"
    posted = labels(method="POST", route=upload_route, status="201")
    assert found[("sepeda_http_requests_total", posted)] == 1
    assert found[("sepeda_uploads_total", frozenset())] == 1
    assert found[("sepeda_extraction_queue_length", frozenset())] == 1
    assert found[("sepeda_jobs", frozenset({"kind": "extract", "state": "pending"}.items()))] == 1
    assert found[("sepeda_extraction_failures_total", frozenset())] == 0
    assert found[("sepeda_index_lag_seconds", frozenset())] >= 600
    count = ("sepeda_http_request_duration_seconds_count",
             frozenset({"method": "GET", "route": route}.items()))  # fmt: skip
    assert found[count] == 2


async def test_unknown_paths_share_one_series(metered):
    for path in ("/tidak-ada-1", "/tidak-ada-2"):
        assert (await metered.get(path)).status_code == 404
    found = samples((await metered.get("/metrics")).text)
    unmatched = [k for k in found if dict(k[1]).get("route") == "unmatched"]
    assert unmatched and not any("tidak-ada" in str(k) for k in found)
