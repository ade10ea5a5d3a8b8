"""Prometheus metrics (``SEPEDA_METRICS=true``): requests and latencies, the job queue, failed
extractions, stored files and the search index's lag.

Request counters live in the process that served the request; the queue, extraction and file
figures are read from the database at each scrape, so they are the installation's, whichever
process answers. Each app has its own registry, so tests (and several apps) never share one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.functions import Count

from archive.models import Blob, Evidence, ExtractionStatus, Job, JobKind, JobState
from archive.timeutil import utcnow

# Page and API latencies: most answer in tens of milliseconds, reports and exports in seconds.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "sepeda_http_requests", "HTTP requests answered", ["method", "route", "status"],
            registry=r,
        )  # fmt: skip
        self.latency = Histogram(
            "sepeda_http_request_duration_seconds", "Time to answer a request",
            ["method", "route"], buckets=BUCKETS, registry=r,
        )  # fmt: skip
        self.jobs = Gauge(
            "sepeda_jobs", "Background jobs not done, by kind and state", ["kind", "state"],
            registry=r,
        )  # fmt: skip
        self.queue = Gauge(
            "sepeda_extraction_queue_length", "Documents waiting to be read or being read",
            registry=r,
        )  # fmt: skip
        self.index_lag = Gauge(
            "sepeda_index_lag_seconds",
            "Age of the oldest change not yet in the search index (0 when up to date)",
            registry=r,
        )
        self.totals = _DatabaseTotals()
        r.register(self.totals)

    async def render(self) -> Response:
        """Read the database figures, then the whole registry in the text format."""
        open_states = (JobState.PENDING, JobState.RUNNING, JobState.FAILED)
        counts = {(kind.value, state.value): 0 for kind in JobKind for state in open_states}
        rows = (
            await Job.filter(state__in=open_states)
            .annotate(n=Count("id"))
            .group_by("kind", "state")
            .values("kind", "state", "n")
        )
        for row in rows:
            counts[(str(row["kind"]), str(row["state"]))] = row["n"]
        for (kind, state), n in counts.items():
            self.jobs.labels(kind, state).set(n)
        self.queue.set(counts[("extract", "pending")] + counts[("extract", "running")])
        oldest = (
            await Job.filter(kind=JobKind.INDEX, state__in=[JobState.PENDING, JobState.RUNNING])
            .order_by("id")
            .first()
        )
        self.index_lag.set((utcnow() - oldest.created_at).total_seconds() if oldest else 0.0)
        # Counted from the database: every process (and every restart) reports the same total.
        self.totals.uploads = await Evidence.filter(blob_id__not_isnull=True).count()
        self.totals.failures = await Blob.filter(extraction_status=ExtractionStatus.FAILED).count()
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class _DatabaseTotals(Collector):
    """Totals kept by the database rather than by one process's memory (files are never
    deleted, only superseded, so these only grow)."""

    def __init__(self) -> None:
        self.uploads = 0
        self.failures = 0

    def collect(self) -> Iterator[CounterMetricFamily]:
        yield CounterMetricFamily(
            "sepeda_uploads", "Evidence files uploaded (every version)", value=self.uploads
        )
        yield CounterMetricFamily(
            "sepeda_extraction_failures", "Stored files whose text could not be read",
            value=self.failures,
        )  # fmt: skip


class MetricsMiddleware:
    """Counts and times every HTTP request by its route template (``/inovasi/{id}``, not the
    id itself, so the number of series stays small)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _route_template(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        # The route knows its path without the prefix of the router that included it (``/api``);
        # the request's path has the prefix in front of as many segments as the route has.
        segments = scope["path"].split("/")
        extra = len(segments) - len(path.split("/"))
        prefix = "/".join(segments[: extra + 1]) if extra > 0 and ":path}" not in path else ""
        return f"{prefix}{path}"
    if scope["path"].startswith("/static/"):
        return "/static"
    return "unmatched"  # 404s: never the raw path, which anyone can vary


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    return await metrics.render()
